package validation_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

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
