package main

import (
	"strings"
	"testing"
)

// TestUnknownRouteHint: the CLI, not the engine, points to -list-operations.
func TestUnknownRouteHint(t *testing.T) {
	code, out, errOut := runCLI(t, "GET /v1/p/nothing-here HTTP/1.1\n", "-")
	if code != 1 || !strings.Contains(out, "no operation matches GET /v1/p/nothing-here (see -list-operations) [route.unknown]") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}
