package publish_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBreakingChangeGate runs scripts/spec-diff.sh in a throwaway git
// repository holding a copy of the specs: no change passes, a deliberately
// breaking change fails, and the same change passes once approved.
func TestBreakingChangeGate(t *testing.T) {
	if testing.Short() {
		t.Skip("builds oasdiff; skipped with -short")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	tools := t.TempDir()
	oasdiff := filepath.Join(tools, "oasdiff")
	build := exec.Command("go", "build", "-o", oasdiff, "github.com/oasdiff/oasdiff")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building oasdiff: %v\n%s", err, out)
	}

	repo := t.TempDir()
	copyFile(t, filepath.Join(root, "scripts", "spec-diff.sh"), filepath.Join(repo, "scripts", "spec-diff.sh"), 0o755)
	for _, api := range []string{"devserver", "clouddc", "ecs"} {
		copyFile(t, filepath.Join(root, "spec", api, "openapi.yaml"), filepath.Join(repo, "spec", api, "openapi.yaml"), 0o644)
	}
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...)
		cmd.Dir = repo
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	git("add", ".")
	git("commit", "-q", "-m", "base")
	gate := func() (int, string) {
		cmd := exec.Command(filepath.Join(repo, "scripts", "spec-diff.sh"), "breaking", "HEAD")
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "OASDIFF="+oasdiff)
		out, err := cmd.CombinedOutput()
		if exit, ok := err.(*exec.ExitError); ok {
			return exit.ExitCode(), string(out)
		} else if err != nil {
			t.Fatal(err)
		}
		return 0, string(out)
	}
	if code, out := gate(); code != 0 {
		t.Fatalf("unchanged specs fail the gate (exit %d):\n%s", code, out)
	}

	// A breaking change: an optional request field becomes required.
	ecsSpec := filepath.Join(repo, "spec", "ecs", "openapi.yaml")
	data, err := os.ReadFile(ecsSpec)
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(data), "        - nics\n        - root_volume\n", "        - nics\n        - root_volume\n        - availability_zone\n", 1)
	if broken == string(data) {
		t.Fatal("the fixture change did not apply")
	}
	if err := os.WriteFile(ecsSpec, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := gate()
	if code != 1 || !strings.Contains(out, "availability_zone") {
		t.Fatalf("the breaking change passed the gate (exit %d):\n%s", code, out)
	}

	// Approved: the change's id listed in spec/ecs/breaking-approved.txt.
	var approval string
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "availability_zone") {
			approval = strings.TrimSpace(line)
			break
		}
	}
	if err := os.WriteFile(filepath.Join(repo, "spec", "ecs", "breaking-approved.txt"), []byte("POST /v1.1/{project_id}/cloudservers "+approval+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out := gate(); code != 0 {
		t.Logf("approval line: %q", approval)
		t.Fatalf("an approved break still fails the gate (exit %d):\n%s", code, out)
	}
}

func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, mode); err != nil {
		t.Fatal(err)
	}
}
