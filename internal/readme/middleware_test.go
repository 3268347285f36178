package readme_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/hwspec/compute/gen/ecs/ecsecho"
	"github.com/hwspec/compute/server/validation"
	"github.com/hwspec/compute/validate"
)

// withValidation is the README's use of server/validation in an Echo server
// of one's own.
func withValidation(myECS ecsecho.StrictServerInterface) *echo.Echo {
	// README:middleware
	engine, _ := validate.New()
	e := echo.New()
	e.Use(validation.Middleware(engine)) // invalid requests answered in the service's format
	ecsecho.RegisterHandlers(e, ecsecho.NewStrictHandler(myECS, nil))
	// README:end
	return e
}

// TestMiddleware: an invalid request never reaches the handler (nil here).
func TestMiddleware(t *testing.T) {
	e := withValidation(nil)
	req := httptest.NewRequest("POST", "/v1.1/0123456789abcdef0123456789abcdef/cloudservers", strings.NewReader(`{"server": {}}`))
	req.Header.Set("X-Auth-Token", "t")
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "Ecs.0005") {
		t.Fatalf("status %d, body %s; want 400 Ecs.0005", rec.Code, rec.Body)
	}
}
