package validation_test

import (
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/hwspec/compute/gen/ecs/ecsecho"
	"github.com/hwspec/compute/server/validation"
	"github.com/hwspec/compute/validate"
)

// TestRespondTooLarge: a request whose body a server read only up to the
// engine's limit is answered 413 with the engine's body.size finding alone,
// its size the Content-Length when that is over the limit, else "more
// than" the limit (a chunked body, or a Content-Length the bytes read
// contradict); a request that routes nowhere gets its route finding. It
// never answers with an empty message.
func TestRespondTooLarge(t *testing.T) {
	const limit = 256
	engine, err := validate.New(validate.WithLimits(validate.Limits{MaxBodyBytes: limit}))
	if err != nil {
		t.Fatal(err)
	}
	head := `{"server":{"name":"` + strings.Repeat("x", limit) // limit+1 bytes and more: cut below
	head = head[:limit+1]
	const create = "/v1.1/0123456789abcdef0123456789abcdef/cloudservers"
	for _, tc := range []struct {
		name          string
		path          string
		contentLength int64
		body          string // what the server read
		status        int
		message       string
	}{
		{"Content-Length declared", create, 5000, head, http.StatusRequestEntityTooLarge, "the body has 5000 bytes, more than the limit of 256 [body.size]"},
		{"chunked", create, -1, head, http.StatusRequestEntityTooLarge, "the body has more than 256 bytes, the limit [body.size]"},
		{"a Content-Length within the limit", create, 10, head, http.StatusRequestEntityTooLarge, "the body has more than 256 bytes, the limit [body.size]"},
		{"fewer bytes than the limit", create, 12, `{"server":{}`, http.StatusRequestEntityTooLarge, "the body has more than 256 bytes, the limit [body.size]"},
		{"no operation", "/v1.1/0123456789abcdef0123456789abcdef/nothing", 5000, head, http.StatusNotFound, "[route.unknown]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, tc.path, strings.NewReader(tc.body))
			req.ContentLength = tc.contentLength
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			c := echo.New().NewContext(req, rec)
			if err := validation.RespondTooLarge(c, engine, []byte(tc.body)); err != nil {
				t.Fatal(err)
			}
			if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.message) {
				t.Fatalf("status %d, %s; want %d with %q", rec.Code, rec.Body, tc.status, tc.message)
			}
			if tc.status == http.StatusRequestEntityTooLarge && strings.Count(rec.Body.String(), " [") != strings.Count(rec.Body.String(), " [body.size]") {
				t.Errorf("more than the body.size finding: %s", rec.Body)
			}
		})
	}
}

// TestNilBody: a request built in-process with a nil Body (net/http's
// server always sets one; a handler that calls Echo's ServeHTTP itself may
// not) is validated as one without a body instead of panicking.
func TestNilBody(t *testing.T) {
	e := newEcho(t, &recordingECS{})
	for _, tc := range []struct {
		method string
		status int
	}{
		{http.MethodGet, http.StatusInternalServerError}, // valid: reaches ShowJob, which recordingECS does not serve
		{http.MethodPost, http.StatusBadRequest},         // CreateServers without its body
	} {
		path := "/v1/0123456789abcdef0123456789abcdef/jobs/j1"
		if tc.method == http.MethodPost {
			path = "/v1.1/0123456789abcdef0123456789abcdef/cloudservers"
		}
		req := &http.Request{Method: tc.method, URL: &url.URL{Path: path}, Header: http.Header{"X-Auth-Token": {"t"}, "Content-Type": {"application/json"}}}
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code != tc.status {
			t.Errorf("%s %s: status %d, want %d: %s", tc.method, path, rec.Code, tc.status, rec.Body)
		}
	}
}

// TestWithMaxBodyNegative: a negative WithMaxBody is 0, as in
// http.MaxBytesReader: a request without a body passes, one with a body is
// refused naming 0 bytes (a negative bound refused every request).
func TestWithMaxBodyNegative(t *testing.T) {
	engine, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	e := echo.New()
	e.Use(validation.Middleware(engine, validation.WithMaxBody(-1)))
	e.GET("/v1/:project/jobs/:job", func(c echo.Context) error { return c.NoContent(http.StatusNoContent) })
	req := httptest.NewRequest(http.MethodGet, "/v1/0123456789abcdef0123456789abcdef/jobs/j1", nil)
	req.Header.Set("X-Auth-Token", "t")
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	if rec.Code != http.StatusNoContent {
		t.Errorf("without a body: status %d, want 204: %s", rec.Code, rec.Body)
	}
	rec = serve(e, validBody, nil)
	if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "larger than 0 bytes") {
		t.Errorf("with a body: status %d, want 413 naming 0 bytes: %s", rec.Code, rec.Body)
	}
}

// TestNoLimit: the largest limits there are ("no limit": an engine with
// MaxBodyBytes math.MaxInt, WithMaxBody(math.MaxInt64)) still read the
// whole body: reading one byte past the limit must not overflow into
// reading nothing, which validated an empty body.
func TestNoLimit(t *testing.T) {
	unlimited, err := validate.New(validate.WithLimits(validate.Limits{MaxBodyBytes: math.MaxInt}))
	if err != nil {
		t.Fatal(err)
	}
	engine, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		engine *validate.Engine
		opts   []validation.Option
	}{
		{"engine without a limit", unlimited, nil},
		{"WithMaxBody(math.MaxInt64)", engine, []validation.Option{validation.WithMaxBody(math.MaxInt64)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := echo.New()
			e.Use(validation.Middleware(tc.engine, tc.opts...))
			impl := &recordingECS{}
			ecsecho.RegisterHandlers(e, ecsecho.NewStrictHandler(impl, nil))
			if rec := serve(e, validBody, nil); rec.Code != http.StatusOK || impl.got == nil {
				t.Fatalf("status %d, handler got %v: %s", rec.Code, impl.got, rec.Body)
			}
		})
	}
}
