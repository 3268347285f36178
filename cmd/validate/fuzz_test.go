package main

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hwspec/compute/spec"
	"github.com/hwspec/compute/validate"
)

// FuzzCLI runs the CLI on mutated .http files (as standard input) in every
// format. It must never panic; the exit status is 0, 1 or 2; json and
// sarif are well-formed; and no output holds a raw control character or a
// line that GitHub Actions would run as a command: text and github have
// exactly one line per finding of the json report plus the summary.
func FuzzCLI(f *testing.F) {
	for _, name := range []string{"testdata/mixed.http", "testdata/hostile.http"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	files, err := fs.Glob(spec.Examples(), "*/*.http")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		data, err := fs.ReadFile(spec.Examples(), name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	engine, err := validate.New()
	if err != nil {
		f.Fatal(err)
	}
	load := loadEngine
	loadEngine = func(...validate.Option) (*validate.Engine, error) { return engine, nil }
	f.Cleanup(func() { loadEngine = load })
	f.Add([]byte("\ufeffGET /v1/p/jobs/j%0A::error::x HTTP/1.1\nX-Auth-Token: t\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFormats(t, func(format string) (int, string, string) {
			return runCLI(t, string(data), "-format", format, "-")
		})
	})
}

// FuzzCLIHAR runs the CLI on mutated HAR files in every format, with the
// checks of FuzzCLI.
func FuzzCLIHAR(f *testing.F) {
	for _, name := range []string{"testdata/har/edge.har", "testdata/har/hostile.har", "testdata/har/responses.har", "../../har/testdata/playwright.har"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"log":{"entries":[{"request":{"method":"GET","url":"https://h/v1/p/jobs/j%0A::error::x","headers":[{"name":"X-Auth-Token","value":"t"}]}}]}}`))
	engine, err := validate.New()
	if err != nil {
		f.Fatal(err)
	}
	load := loadEngine
	loadEngine = func(...validate.Option) (*validate.Engine, error) { return engine, nil }
	f.Cleanup(func() { loadEngine = load })
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "capture.har")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		checkFormats(t, func(format string) (int, string, string) {
			return runCLI(t, "", "-format", format, path)
		})
	})
}

// checkFormats runs one input in every format (run runs the CLI with
// -format F): the exit status is 0, 1 or 2 and the same in every format;
// json and sarif are well-formed; no output holds a raw control character
// or a line that GitHub Actions would run as a command; text and github
// have one line per finding of the json report plus the summary.
func checkFormats(t *testing.T, run func(format string) (int, string, string)) {
	t.Helper()
	code, out, errOut := run("json")
	if code < 0 || code > 2 {
		t.Fatalf("exit %d", code)
	}
	var rep struct {
		Results []struct {
			Errors []json.RawMessage `json:"errors"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("json output does not parse: %v\n%s", err, out)
	}
	findings := 0
	for _, r := range rep.Results {
		findings += len(r.Errors)
	}
	checkSafe(t, "fuzz", "json", out, 0)
	checkSafe(t, "fuzz", "stderr", errOut, 0)
	for _, format := range []string{"text", "github", "sarif"} {
		c, out, errOut := run(format)
		if c != code {
			t.Fatalf("%s: exit %d, json exit %d", format, c, code)
		}
		lines := 0
		if format != "sarif" {
			lines = findings + 1
		} else if !json.Valid([]byte(out)) {
			t.Fatalf("sarif output does not parse:\n%s", out)
		}
		checkSafe(t, "fuzz", format, out, lines)
		checkSafe(t, "fuzz", "stderr", errOut, 0)
		if format == "text" && !strings.Contains(out[strings.LastIndex(strings.TrimSuffix(out, "\n"), "\n")+1:], " requests: ") && !strings.Contains(out, " request: ") {
			t.Fatalf("text output does not end with the summary:\n%s", out)
		}
	}
}
