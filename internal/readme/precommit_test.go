package readme_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"go.yaml.in/yaml/v4"
)

// TestPreCommitHooks: the hook pre-commit offers names a command of this
// module and picks exactly .http files.
func TestPreCommitHooks(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(root, ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID, Name, Entry, Language, Files string
	}
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatal(err)
	}
	if len(hooks) != 1 {
		t.Fatalf("%d hooks, want 1", len(hooks))
	}
	h := hooks[0]
	if h.ID != "validate-http" || h.Name == "" || h.Language != "golang" {
		t.Errorf("hook %+v", h)
	}
	// language: golang installs the module's commands with go install ./...;
	// the entry must be one of them.
	if _, err := os.Stat(filepath.Join(root, "cmd", h.Entry, "main.go")); err != nil {
		t.Errorf("entry %q is no command of this module: %v", h.Entry, err)
	}
	files, err := regexp.Compile(h.Files)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{"requests/create.http": true, "a.http": true, "a.https": false, "a.json": false, "http/readme.md": false} {
		if files.MatchString(name) != want {
			t.Errorf("files %q on %s: %v, want %v", h.Files, name, !want, want)
		}
	}
}
