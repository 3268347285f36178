package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The member names of testdata/hostile.http: each tries to start a line,
// a workflow command, a fake summary or a terminal escape in the output.
var hostileNames = []string{
	"x\n::error file=README.md,line=1::INJECTED",
	"y\r\n1 file, 1 request: 1 valid, 0 invalid",
	"z\x1b[2K\x1b[1Afake",
	"w\u2028::warning::separator",
	"p%0A::error::percent",
	"q,title=x:y::z",
	"r\u202eevil",
	"s\u0085\x7f::error::nel",
	"t\t##[error]tab",
}

// checkSafe fails when output holds a byte that is not UTF-8 (U+FFFD
// itself is a character like any other), a control character other than the
// line feeds that end its lines, a line or paragraph separator, or a bidi
// control; or when a line would be read by GitHub Actions as a workflow
// command that the format did not mean to write; or when it has another
// number of lines than want (when want > 0).
func checkSafe(t *testing.T, name, format, out string, want int) {
	t.Helper()
	for i, r := range out {
		if r == utf8.RuneError && !strings.HasPrefix(out[i:], "\ufffd") || (r != '\n' && unicode.IsControl(r)) || r == '\u2028' || r == '\u2029' || (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') {
			t.Errorf("%s: %s output holds %U at byte %d: %q", name, format, r, i, out[max(0, i-40):min(len(out), i+40)])
			return
		}
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if want > 0 && len(lines) != want {
		t.Errorf("%s: %s output has %d lines, want %d:\n%s", name, format, len(lines), want, out)
	}
	command := regexp.MustCompile(`^::(error|warning|notice) [^:]*::`)
	for _, line := range lines {
		rest := strings.TrimLeftFunc(line, unicode.IsSpace)
		if !strings.HasPrefix(rest, "::") && !strings.HasPrefix(rest, "##[") {
			continue
		}
		if format != "github" || rest != line || !command.MatchString(line) {
			t.Errorf("%s: %s output has a line that GitHub Actions runs as a command: %q", name, format, line)
		}
	}
}

// TestHostileMemberNames validates member names built to inject lines and
// workflow commands, in every format: the output is the golden file's,
// holds no raw control character, has one line per finding (text, github),
// and the machine formats give the names back exactly.
func TestHostileMemberNames(t *testing.T) {
	for _, format := range []string{"text", "github", "json", "sarif"} {
		t.Run(format, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", "-format", format, "testdata/hostile.http")
			if code != 1 {
				t.Fatalf("exit %d, want 1; stderr: %s", code, errOut)
			}
			checkGolden(t, filepath.Join("testdata", "golden", "hostile-"+format+".txt"), out)
			lines := 0
			if format == "text" || format == "github" {
				lines = len(hostileNames) + 1
			}
			checkSafe(t, "hostile.http", format, out, lines)
			checkSafe(t, "hostile.http", "stderr", errOut, 0)
			if format == "text" && !strings.HasSuffix(out, "\n1 file, 2 requests: 1 valid, 1 invalid\n") {
				t.Errorf("summary is not the last line:\n%s", out)
			}
			if format == "json" {
				var rep struct {
					Results []struct {
						Errors []struct{ Pointer string }
					}
				}
				if err := json.Unmarshal([]byte(out), &rep); err != nil {
					t.Fatal(err)
				}
				for i, name := range hostileNames {
					if got := rep.Results[0].Errors[i].Pointer; got != "/server/"+name {
						t.Errorf("pointer %q, want %q", got, "/server/"+name)
					}
				}
			}
		})
	}
}

// TestHostileFileNames names files so as to inject lines and workflow
// commands (names with a line feed, a carriage return, an escape sequence,
// a separator, a leading "::"), valid, invalid and unparseable, and checks
// every format and standard error.
func TestHostileFileNames(t *testing.T) {
	dir := t.TempDir()
	invalid := "POST /v1.1/0123456789abcdef0123456789abcdef/cloudservers HTTP/1.1\nX-Auth-Token: t\n\n{\"server\":{}}\n"
	files := map[string]string{
		"a\n::error file=README.md,line=1::INJECTED.http": invalid,
		"::error::b.http":             invalid,
		"c\r\x1b[31m.http":            "not a request\n",
		"d\u2028::warning::e%0A.http": invalid,
		" ::notice::f.http":           invalid,
		"##[error]g.http":             invalid,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Skipf("this file system refuses the name %q: %v", name, err)
		}
	}
	for _, format := range []string{"text", "github", "json", "sarif"} {
		code, out, errOut := runCLI(t, "", "-format", format, dir)
		if code != 2 {
			t.Errorf("%s: exit %d, want 2 (one file does not parse); stderr: %s", format, code, errOut)
		}
		checkSafe(t, "hostile file names", format, out, 0)
		checkSafe(t, "hostile file names", "stderr", errOut, 0)
		if format == "json" {
			var rep struct{ Results []struct{ File string } }
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			for _, r := range rep.Results {
				seen[filepath.Base(r.File)] = true
			}
			for name := range files {
				if !seen[name] {
					t.Errorf("json results lack the file %q", name)
				}
			}
		}
	}
}
