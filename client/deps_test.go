package client_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDoesNotLinkEcho: a program that imports only the client and the
// generated types and clients of gen/<api> does not link Echo, which only
// the server packages gen/<api>/<api>echo need. go list -deps lists every
// package such a program links.
func TestDoesNotLinkEcho(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list; skipped with -short")
	}
	pkgs := []string{
		"github.com/hwspec/compute/client",
		"github.com/hwspec/compute/gen/ecs",
		"github.com/hwspec/compute/gen/devserver",
		"github.com/hwspec/compute/gen/clouddc",
	}
	// go test puts its own GOROOT/bin first in PATH.
	out, err := exec.Command("go", append([]string{"list", "-deps"}, pkgs...)...).Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < len(pkgs) {
		t.Fatalf("go list listed %d packages", len(deps))
	}
	for _, dep := range deps {
		if strings.HasPrefix(dep, "github.com/labstack/") {
			t.Errorf("links %s", dep)
		}
	}
}
