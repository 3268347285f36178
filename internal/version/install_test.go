package version_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/module"
	"golang.org/x/mod/zip"

	"github.com/hwspec/compute/internal/version"
)

// TestGoInstallReportsVersion does what a user does, go install
// github.com/hwspec/compute/cmd/localserver@v1.2.3, against a module proxy
// (a directory) that serves this checkout as v1.2.3, and requires
// localserver -version to print v1.2.3: no -ldflags, only the build
// information the go command records.
func TestGoInstallReportsVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command from a module zip; skipped with -short")
	}
	const v = "v1.2.3"
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	proxy := t.TempDir()
	dir := filepath.Join(proxy, filepath.FromSlash(version.Module), "@v")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, v+".zip"))
	if err != nil {
		t.Fatal(err)
	}
	if err := zip.CreateFromDir(f, module.Version{Path: version.Module, Version: v}, root); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{
		v + ".mod":  string(gomod),
		v + ".info": `{"Version":"` + v + `","Time":"2026-11-29T00:00:00Z"}`,
		"list":      v + "\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	modcache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	// The fake v1.2.3 goes to a module cache of its own, never the shared
	// one; the dependencies come from the shared cache, served as a proxy.
	cmd := exec.Command("go", "install", version.Module+"/cmd/localserver@"+v)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(),
		"GOPROXY=file://"+filepath.ToSlash(proxy)+",file://"+filepath.ToSlash(strings.TrimSpace(string(modcache)))+"/cache/download",
		"GOMODCACHE="+t.TempDir(), "GOFLAGS=-modcacherw", "GOSUMDB=off", "GOWORK=off", "GOBIN="+bin)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go install …@%s: %v\n%s", v, err, out)
	}
	out, err := exec.Command(filepath.Join(bin, "localserver"), "-version").Output()
	if err != nil {
		t.Fatalf("localserver -version: %v", err)
	}
	if got := string(out); !strings.HasPrefix(got, "localserver "+v+" (go1.") {
		t.Fatalf("localserver -version printed %q, want %q", got, "localserver "+v+" (go…)")
	}
}
