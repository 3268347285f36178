package validation_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/hwspec/compute/gen/ecs"
	"github.com/hwspec/compute/gen/ecs/ecsecho"
	"github.com/hwspec/compute/server/validation"
	"github.com/hwspec/compute/validate"
)

// recordingECS remembers the body its handler was given.
type recordingECS struct{ got *ecs.CreateServersRequestBody }

func (r *recordingECS) CreateServers(_ context.Context, req ecsecho.CreateServersRequestObject) (ecsecho.CreateServersResponseObject, error) {
	r.got = req.Body
	id := "job"
	return ecsecho.CreateServers200JSONResponse{JobID: &id}, nil
}

func (r *recordingECS) ShowJob(context.Context, ecsecho.ShowJobRequestObject) (ecsecho.ShowJobResponseObject, error) {
	return nil, errors.New("not used")
}

// unreadable is a body whose bytes cannot be read again but which still
// carries the validated value: if the handler decoded the bytes a second
// time, the request would fail.
type unreadable struct{ value any }

func (u unreadable) Read([]byte) (int, error) { return 0, errors.New("second decode") }
func (u unreadable) Close() error             { return nil }
func (u unreadable) ValidatedValue() any      { return u.value }

func newEcho(t *testing.T, impl ecsecho.StrictServerInterface, extra ...echo.MiddlewareFunc) *echo.Echo {
	t.Helper()
	engine, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	e := echo.New()
	e.Use(validation.Middleware(engine))
	e.Use(extra...)
	ecsecho.RegisterHandlers(e, ecsecho.NewStrictHandler(impl, nil))
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

// hostileMembers is a CreateServers body whose server object has n
// undeclared members with long names full of characters that JSON and
// logs escape (HTML characters, a newline and a workflow command).
func hostileMembers(n int) string {
	var b strings.Builder
	b.WriteString(strings.TrimSuffix(validBody, "}}"))
	for i := range n {
		fmt.Fprintf(&b, `,"%s%d\n::error file=README.md,line=1::INJECTED":0`, strings.Repeat("<", 200), i)
	}
	b.WriteString("}}")
	return b.String()
}

// TestErrorBodyIsBounded sends bodies with many findings, and findings
// with long and hostile texts, and requires an answer of at most
// validation.MaxErrorBytes that still says what is wrong and that more was left out.
func TestErrorBodyIsBounded(t *testing.T) {
	e := newEcho(t, &recordingECS{})
	for _, n := range []int{1, 150, 4000} {
		t.Run(fmt.Sprint(n, " members"), func(t *testing.T) {
			rec := serve(e, hostileMembers(n), nil)
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status %d", rec.Code)
			}
			if rec.Body.Len() > validation.MaxErrorBytes {
				t.Fatalf("the answer has %d bytes, more than %d", rec.Body.Len(), validation.MaxErrorBytes)
			}
			var got struct {
				Error struct {
					Message string
					Details []struct{ Code, Message string }
				}
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			if strings.ContainsAny(got.Error.Message, "\n\r") {
				t.Fatalf("a raw line break in the message: %q", got.Error.Message)
			}
			if got.Error.Details[0].Code != "schema.additionalProperties" {
				t.Fatalf("first detail %+v", got.Error.Details[0])
			}
			last := got.Error.Details[len(got.Error.Details)-1]
			switch {
			case n == 1 && len(got.Error.Details) != 1:
				t.Fatalf("%d details for one finding", len(got.Error.Details))
			case n > 1 && !strings.Contains(got.Error.Message, "more findings are not shown") && last.Code != validate.TruncatedRule:
				t.Fatalf("nothing says that findings were left out: ... %s", got.Error.Message[max(0, len(got.Error.Message)-300):])
			}
		})
	}
}

// TestRespondBoundsEveryFormat hands Respond a result with more and longer
// findings than the engine reports, for each service's error format.

func TestRespondBoundsEveryFormat(t *testing.T) {
	var res validate.Result
	for i := range 200 {
		res.Findings = append(res.Findings, validate.Finding{In: validate.InBody, Pointer: "/" + strings.Repeat("<\u2028", 5000),
			Rule: "schema.type", Severity: validate.Error, Message: fmt.Sprint(i, strings.Repeat("&\x1b", 20000))})
	}
	for _, path := range []string{"/v1.1/p/cloudservers", "/v1/p/instances", "/v1/p/dev-servers"} {
		c := echo.New().NewContext(httptest.NewRequest(http.MethodPost, path, nil), httptest.NewRecorder())
		if err := validation.Respond(c, res); err != nil {
			t.Fatal(err)
		}
		rec := c.Response().Writer.(*httptest.ResponseRecorder)
		if rec.Code != http.StatusBadRequest || rec.Body.Len() > validation.MaxErrorBytes || !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s: status %d, %d bytes", path, rec.Code, rec.Body.Len())
		}
		if !bytes.Contains(rec.Body.Bytes(), []byte("more findings are not shown")) || !bytes.Contains(rec.Body.Bytes(), []byte(`0\u0026\\x1b`)) {
			t.Fatalf("%s: %.300s", path, rec.Body)
		}
	}
}
