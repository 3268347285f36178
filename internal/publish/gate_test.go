package publish_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// oasdiffDir holds the oasdiff binary that the tests of this package share;
// TestMain removes it.
var oasdiffDir string

// buildOasdiff builds oasdiff from the version go.mod pins, once per test
// binary, however many tests need it.
var buildOasdiff = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "oasdiff-")
	if err != nil {
		return "", err
	}
	oasdiffDir = dir
	bin := filepath.Join(dir, "oasdiff")
	build := exec.Command("go", "build", "-modfile=tools/go.mod", "-o", bin, "github.com/oasdiff/oasdiff")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building oasdiff: %v\n%s", err, out)
	}
	return bin, nil
})

func TestMain(m *testing.M) {
	code := m.Run()
	if oasdiffDir != "" {
		os.RemoveAll(oasdiffDir)
	}
	os.Exit(code)
}

// specRepo is a throwaway git repository holding scripts/spec-diff.sh and a
// copy of the specs, with the oasdiff binary built from the pinned version.
type specRepo struct {
	t            *testing.T
	dir, oasdiff string
}

func newSpecRepo(t *testing.T) *specRepo {
	t.Helper()
	if testing.Short() {
		t.Skip("builds oasdiff; skipped with -short")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	oasdiff, err := buildOasdiff()
	if err != nil {
		t.Fatal(err)
	}
	r := &specRepo{t: t, dir: t.TempDir(), oasdiff: oasdiff}
	copyFile(t, filepath.Join(root, "scripts", "spec-diff.sh"), filepath.Join(r.dir, "scripts", "spec-diff.sh"), 0o755)
	for _, api := range []string{"devserver", "clouddc", "ecs"} {
		copyFile(t, filepath.Join(root, "spec", api, "openapi.yaml"), filepath.Join(r.dir, "spec", api, "openapi.yaml"), 0o644)
	}
	r.git("init", "-q", "-b", "main")
	r.git("add", ".")
	r.git("commit", "-q", "-m", "base")
	return r
}

// git runs a git command in the repository and returns its output.
func (r *specRepo) git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...)
	cmd.Dir = r.dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// run runs spec-diff.sh with args and extra environment, and returns its
// exit code and output.
func (r *specRepo) run(env []string, args ...string) (int, string) {
	r.t.Helper()
	cmd := exec.Command(filepath.Join(r.dir, "scripts", "spec-diff.sh"), args...)
	cmd.Dir = r.dir
	cmd.Env = append(append(os.Environ(), "OASDIFF="+r.oasdiff, "UPSTREAM=", "SKIP_LOG="), env...) // SKIP_LOG: make check's list is not the fixture's
	out, err := cmd.CombinedOutput()
	if exit, ok := err.(*exec.ExitError); ok {
		return exit.ExitCode(), string(out)
	} else if err != nil {
		r.t.Fatal(err)
	}
	return 0, string(out)
}

// TestBreakingChangeGate: no change passes, a deliberately breaking change
// fails, and the same change passes once approved.
func TestBreakingChangeGate(t *testing.T) {
	r := newSpecRepo(t)
	repo := r.dir
	gate := func() (int, string) { return r.run(nil, "breaking", "HEAD") }
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
	if code, md := r.run([]string{"FORMAT=markdown"}, "changelog", "HEAD"); code != 0 || !strings.Contains(md, "\n# ecs: HEAD → working tree\n\n## API Changelog") || !strings.Contains(md, "availability_zone") {
		t.Errorf("markdown changelog (exit %d):\n%s", code, md)
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

// TestGateBase checks which commit the gate compares with when no BASE is
// given: the merge base with UPSTREAM on a branch, else the latest v* tag,
// else the commit before HEAD.
func TestGateBase(t *testing.T) {
	r := newSpecRepo(t)
	first := r.git("rev-parse", "HEAD")
	r.git("commit", "-q", "--allow-empty", "-m", "second")
	second := r.git("rev-parse", "HEAD")
	r.git("checkout", "-q", "-b", "feature", first)
	r.git("commit", "-q", "--allow-empty", "-m", "on the branch")
	r.git("commit", "-q", "--allow-empty", "-m", "on the branch again")

	base := func(env ...string) string {
		t.Helper()
		code, out := r.run(env, "changelog")
		if code != 0 {
			t.Fatalf("spec-diff.sh changelog (exit %d):\n%s", code, out)
		}
		for _, line := range strings.Split(out, "\n") {
			if rest, ok := strings.CutPrefix(line, "== ecs: "); ok {
				b, _, _ := strings.Cut(rest, " ")
				return b
			}
		}
		t.Fatalf("no ecs header in:\n%s", out)
		return ""
	}
	if got := base(); got != "HEAD~1" {
		t.Errorf("without tag or UPSTREAM: base %s, want HEAD~1", got)
	}
	if got := base("UPSTREAM=main"); got != first {
		t.Errorf("UPSTREAM=main: base %s, want the merge base %s (main is at %s)", got, first, second)
	}
	r.git("tag", "v1.0.0", first)
	if got := base(); got != "v1.0.0" {
		t.Errorf("with a tag: base %s, want v1.0.0", got)
	}
	if code, out := r.run([]string{"UPSTREAM=nosuch"}, "breaking"); code != 2 {
		t.Errorf("UPSTREAM naming no ref: exit %d, want 2:\n%s", code, out)
	}
}

// TestGateShallowClone runs the gate where actions/checkout leaves it by
// default: a clone of depth 1, where HEAD~1 is missing. With origin
// reachable the script fetches the history and compares; without it, it
// skips with a message saying why, and exits 0.
func TestGateShallowClone(t *testing.T) {
	r := newSpecRepo(t)
	r.git("commit", "-q", "--allow-empty", "-m", "second")
	clone := func(t *testing.T, src string) *specRepo {
		t.Helper()
		c := &specRepo{t: t, dir: filepath.Join(t.TempDir(), "clone"), oasdiff: r.oasdiff}
		cmd := exec.Command("git", "clone", "-q", "--depth", "1", "file://"+src, c.dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git clone --depth 1: %v\n%s", err, out)
		}
		if got := c.git("rev-parse", "--is-shallow-repository"); got != "true" {
			t.Fatalf("the clone is not shallow: %s", got)
		}
		return c
	}

	t.Run("fetches the base", func(t *testing.T) {
		c := clone(t, r.dir)
		code, out := c.run(nil, "breaking")
		if code != 0 || !strings.Contains(out, "fetching the history") || !strings.Contains(out, "== ecs: HEAD~1 → working tree") {
			t.Fatalf("exit %d, want the gate to fetch HEAD~1 and compare:\n%s", code, out)
		}
	})
	t.Run("skips without origin", func(t *testing.T) {
		c := clone(t, r.dir)
		c.git("remote", "remove", "origin")
		skipLog := filepath.Join(t.TempDir(), "skipped.txt")
		code, out := c.run([]string{"SKIP_LOG=" + skipLog}, "breaking")
		if code != 0 || !strings.Contains(out, "SKIPPED: no base to compare with: HEAD~1 is not in this clone (a shallow clone, and fetching from origin failed)") || !strings.Contains(out, "fetch-depth: 0") || strings.Contains(out, "== ecs") {
			t.Fatalf("exit %d, want a skip that says why and how to fix it:\n%s", code, out)
		}
		// make check lists the skip at the end, from SKIP_LOG.
		if logged, err := os.ReadFile(skipLog); err != nil || string(logged) != "make breaking: no base to compare with: HEAD~1 is not in this clone (a shallow clone, and fetching from origin failed)\n" {
			t.Fatalf("SKIP_LOG holds %q (%v)", logged, err)
		}
		// An explicit BASE that is not there is still an error.
		if code, out := c.run(nil, "breaking", "v9.9.9"); code != 2 || !strings.Contains(out, "unknown git ref v9.9.9") {
			t.Fatalf("explicit unknown BASE: exit %d, want 2:\n%s", code, out)
		}
	})
	t.Run("this repository", func(t *testing.T) {
		root, err := filepath.Abs(filepath.Join("..", ".."))
		if err != nil {
			t.Fatal(err)
		}
		c := clone(t, root)
		code, out := c.run(nil, "breaking")
		if code != 0 || !(strings.Contains(out, "== ecs: ") || strings.Contains(out, "SKIPPED: no base to compare with")) {
			t.Fatalf("depth-1 clone of this repository: exit %d, want a comparison or a clear skip:\n%s", code, out)
		}
		t.Logf("gate on a depth-1 clone of this repository:\n%s", out)
	})
}
