package validate_test

import (
	"testing"

	"github.com/hwspec/compute/validate"
)

// TestRouteAsWritten: the engine routes a request line as the server's
// router does, so that it never calls valid a request the server cannot
// route: slashes and the method's case count.
func TestRouteAsWritten(t *testing.T) {
	e, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	const show = "/v1/0123456789abcdef0123456789abcdef/dev-servers/62383738-e52a-450a-9f84-f9e705402be8"
	for _, c := range []struct {
		method, target string
		want           string // the operation, or the route finding's rule
	}{
		{"GET", show, "ShowDevServer"},
		{"DELETE", show, "DeleteDevServer"},
		{"GET", show + "?limit=1", "ShowDevServer"},
		{"GET", show + "/", "route.unknown"},
		{"GET", "/" + show, "route.unknown"},
		{"GET", "/v1/0123456789abcdef0123456789abcdef//dev-servers/62383738-e52a-450a-9f84-f9e705402be8", "route.unknown"},
		{"GET", "/v1/0123456789abcdef0123456789abcdef/dev-servers/", "route.unknown"},
		{"GET", "/v1/0123456789abcdef0123456789abcdef/dev%2Dservers", "route.unknown"},
		{"get", show, "route.method"},
		{"Delete", show, "route.method"},
		{"HEAD", show, "route.method"},
	} {
		t.Run(c.method+" "+c.target, func(t *testing.T) {
			res := e.Validate(validate.Request{Method: c.method, Target: c.target, Header: map[string][]string{"X-Auth-Token": {"t"}}})
			got := ""
			if res.Operation != nil {
				got = res.Operation.ID
			} else if len(res.Findings) > 0 {
				got = res.Findings[0].Rule
			}
			if got != c.want {
				t.Errorf("got %q, want %q (findings %v)", got, c.want, res.Findings)
			}
			if got := e.Route(c.method, c.target); (got != nil) != (res.Operation != nil) {
				t.Errorf("Route and Validate route differently: %v", got)
			}
		})
	}
}

// TestRouteMessageNamesNoFlag: the engine serves the server and the client
// too, so its message names no command-line flag.
func TestRouteMessageNamesNoFlag(t *testing.T) {
	e, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	res := e.Validate(validate.Request{Method: "GET", Target: "/v1/p/nothing-here"})
	if len(res.Findings) != 1 || res.Findings[0].Rule != validate.RouteUnknownRule || res.Findings[0].Message != "no operation matches GET /v1/p/nothing-here" {
		t.Fatalf("%+v", res.Findings)
	}
}
