package validation_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hwspec/compute/gen/ecs/ecsecho"
	"github.com/hwspec/compute/server/validation"
	"github.com/hwspec/compute/validate"
)

// TestWithMaxBody: the middleware reads at most the given number of bytes
// and answers a larger body 413 in the service's format; a body of exactly
// that size goes through.
func TestWithMaxBody(t *testing.T) {
	engine, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		max    int
		status int
	}{
		{len(validBody), http.StatusOK},
		{len(validBody) - 1, http.StatusRequestEntityTooLarge},
	} {
		t.Run(strconv.Itoa(tc.max), func(t *testing.T) {
			e := echo.New()
			e.Use(validation.Middleware(engine, validation.WithMaxBody(int64(tc.max))))
			ecsecho.RegisterHandlers(e, ecsecho.NewStrictHandler(&recordingECS{}, nil))
			rec := serve(e, validBody, nil)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			if tc.status == http.StatusRequestEntityTooLarge && !strings.Contains(rec.Body.String(), `"code":"Ecs.0005"`) {
				t.Fatalf("not an ECS error body: %s", rec.Body)
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
