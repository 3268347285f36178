package validation_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/hwspec/compute/gen/ecs"
	"github.com/hwspec/compute/server/validation"
	"github.com/hwspec/compute/validate"
)

// recordingECS remembers the body its handler was given.
type recordingECS struct{ got *ecs.CreateServersRequestBody }

func (r *recordingECS) CreateServers(_ context.Context, req ecs.CreateServersRequestObject) (ecs.CreateServersResponseObject, error) {
	r.got = req.Body
	id := "job"
	return ecs.CreateServers200JSONResponse{JobID: &id}, nil
}

func (r *recordingECS) ShowJob(context.Context, ecs.ShowJobRequestObject) (ecs.ShowJobResponseObject, error) {
	return nil, errors.New("not used")
}

// unreadable is a body whose bytes cannot be read again but which still
// carries the validated value: if the handler decoded the bytes a second
// time, the request would fail.
type unreadable struct{ value any }

func (u unreadable) Read([]byte) (int, error) { return 0, errors.New("second decode") }
func (u unreadable) Close() error             { return nil }
func (u unreadable) ValidatedValue() any      { return u.value }

func newEcho(t *testing.T, impl ecs.StrictServerInterface, extra ...echo.MiddlewareFunc) *echo.Echo {
	t.Helper()
	engine, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	e := echo.New()
	e.Use(validation.Middleware(engine))
	e.Use(extra...)
	ecs.RegisterHandlers(e, ecs.NewStrictHandler(impl, nil))
	return e
}

const validBody = `{"server":{"imageRef":"67f433d8-ed0e-4321-a8a2-a71838539e09","flavorRef":"s6.small.1","name":"web","vpcid":"2a6f4aa6-d93e-45f5-a8cb-b030dbf8cd68","nics":[{"subnet_id":"ef039b60-6a14-42d1-963b-687b627fea08"}],"root_volume":{"volumetype":"SSD"},"count":2}}`

func serve(e *echo.Echo, body string, header map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/v1.1/0123456789abcdef0123456789abcdef/cloudservers", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Auth-Token", "t")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

// TestHandlerBindsTheValidatedValue proves the strict handler binds the
// value the middleware validated and never decodes the bytes again.
func TestHandlerBindsTheValidatedValue(t *testing.T) {
	impl := &recordingECS{}
	swap := func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			vb := c.Request().Body.(interface{ ValidatedValue() any })
			c.Request().Body = unreadable{value: vb.ValidatedValue()}
			return next(c)
		}
	}
	rec := serve(newEcho(t, impl, swap), validBody, nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if impl.got == nil || impl.got.Server.Name != "web" || *impl.got.Server.Count != 2 {
		t.Fatalf("handler got %+v", impl.got)
	}
}

func TestInvalidRequestsNeverReachTheHandler(t *testing.T) {
	impl := &recordingECS{}
	e := newEcho(t, impl)
	tests := []struct {
		name, body string
		header     map[string]string
		status     int
		code       string
	}{
		{"case variant", strings.Replace(validBody, `"name":"web"`, `"name":"web","Name":"evil"`, 1), nil, 400, "Ecs.0005"},
		{"duplicate", strings.Replace(validBody, `"name":"web"`, `"name":"web","name":"evil"`, 1), nil, 400, "Ecs.0005"},
		{"bad client token", validBody, map[string]string{"X-Client-Token": "nope"}, 400, "Ecs.0123"},
		{"too large", `{"server":{"name":"` + strings.Repeat("a", 2<<20) + `"}}`, nil, 413, "Ecs.0005"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := serve(e, tc.body, tc.header)
			if rec.Code != tc.status || !bytes.Contains(rec.Body.Bytes(), []byte(`"code":"`+tc.code+`"`)) {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			if impl.got != nil {
				t.Fatal("the handler ran")
			}
		})
	}
}

func TestCustomErrorHandlerAndSkipper(t *testing.T) {
	engine, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	e := echo.New()
	e.Use(validation.Middleware(engine,
		validation.WithSkipper(func(c echo.Context) bool { return c.Request().URL.Path == "/healthz" }),
		validation.WithErrorHandler(func(c echo.Context, res validate.Result) error {
			return c.String(http.StatusTeapot, res.Findings[0].Rule)
		})))
	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("skipped route: %d", rec.Code)
	}
	rec = serve(e, `{}`, nil)
	if rec.Code != http.StatusTeapot || rec.Body.String() != "schema.required" {
		t.Fatalf("custom handler: %d %s", rec.Code, rec.Body)
	}
}
