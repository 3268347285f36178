package validation_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hwspec/compute/gen/ecs/ecsecho"
	"github.com/hwspec/compute/server/validation"
	"github.com/hwspec/compute/validate"
)

// TestWithMaxBody: the middleware reads up to the engine's body limit
// unless WithMaxBody lowers it, and answers a larger body 413 in the
// service's format: over the engine's limit with the engine's body.size
// finding, over a lower WithMaxBody with a message that names it. A body of
// exactly the limit goes through.
func TestWithMaxBody(t *testing.T) {
	engine, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	large, err := validate.New(validate.WithLimits(validate.Limits{MaxBodyBytes: 4 << 20}))
	if err != nil {
		t.Fatal(err)
	}
	over1MiB := validBody + strings.Repeat(" ", 1<<20) // valid JSON over the default limit
	for _, tc := range []struct {
		name    string
		engine  *validate.Engine
		opts    []validation.Option
		body    string
		status  int
		message string // what the 413 says
	}{
		{"exactly WithMaxBody", engine, []validation.Option{validation.WithMaxBody(int64(len(validBody)))}, validBody, http.StatusOK, ""},
		{"over a lower WithMaxBody", engine, []validation.Option{validation.WithMaxBody(int64(len(validBody) - 1))}, validBody, http.StatusRequestEntityTooLarge,
			fmt.Sprintf("the body is larger than %d bytes, the limit of this endpoint", len(validBody)-1)},
		{"over the engine's limit", engine, nil, over1MiB, http.StatusRequestEntityTooLarge,
			fmt.Sprintf("body: the body has %d bytes, more than the limit of 1048576 [body.size]", len(over1MiB))},
		{"over a higher WithMaxBody and the engine's limit", engine, []validation.Option{validation.WithMaxBody(2 << 20)}, over1MiB, http.StatusRequestEntityTooLarge,
			fmt.Sprintf("body: the body has %d bytes, more than the limit of 1048576 [body.size]", len(over1MiB))},
		{"the default is the engine's limit, not DefaultLimits", large, nil, over1MiB, http.StatusOK, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := echo.New()
			e.Use(validation.Middleware(tc.engine, tc.opts...))
			ecsecho.RegisterHandlers(e, ecsecho.NewStrictHandler(&recordingECS{}, nil))
			rec := serve(e, tc.body, nil)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %.300s", rec.Code, tc.status, rec.Body)
			}
			if tc.status == http.StatusRequestEntityTooLarge &&
				(!strings.Contains(rec.Body.String(), `"code":"Ecs.0005"`) || !strings.Contains(rec.Body.String(), tc.message)) {
				t.Fatalf("not an ECS error body with %q: %s", tc.message, rec.Body)
			}
		})
	}
}

// TestWithClock: the middleware validates at its clock's instant, not at
// the engine's.
func TestWithClock(t *testing.T) {
	engine, err := validate.New(validate.WithClock(func() time.Time { return time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC) }))
	if err != nil {
		t.Fatal(err)
	}
	body := strings.Replace(validBody, `"count":2`, `"count":2,"auto_terminate_time":"2027-01-01T00:00:00Z"`, 1)
	nov23 := func() time.Time { return time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		opts   []validation.Option
		status int
	}{
		{nil, http.StatusBadRequest}, // more than 3 years after the engine's 2020
		{[]validation.Option{validation.WithClock(nov23)}, http.StatusOK},
	} {
		e := echo.New()
		e.Use(validation.Middleware(engine, tc.opts...))
		ecsecho.RegisterHandlers(e, ecsecho.NewStrictHandler(&recordingECS{}, nil))
		if rec := serve(e, body, nil); rec.Code != tc.status {
			t.Errorf("%d options: status %d, want %d: %s", len(tc.opts), rec.Code, tc.status, rec.Body)
		}
	}
}
