package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	validHTTP   = "GET /v1/0123456789abcdef0123456789abcdef/jobs/j HTTP/1.1\nX-Auth-Token: t\n"
	invalidHTTP = "POST /v1.1/0123456789abcdef0123456789abcdef/cloudservers HTTP/1.1\nContent-Type: application/json\nX-Auth-Token: t\n\n{\"server\":{}}\n"
)

// tree writes files under a new directory: a value "" is a directory, a
// value "->X" a symbolic link to X, "|fifo" a named pipe.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		switch {
		case content == "":
			err = os.MkdirAll(p, 0o755)
		case strings.HasPrefix(content, "->"):
			err = os.Symlink(content[2:], p)
		case content == "|fifo":
			err = mkfifo(p)
		default:
			err = os.WriteFile(p, []byte(content), 0o644)
		}
		if err != nil {
			t.Skipf("cannot make %s: %v", name, err)
		}
	}
	return dir
}

// TestCIBehaviour holds the exit status and the reports of runs that CI
// must not let pass by mistake, and of inputs that must not stop a run.
// Every problem with an input appears in every format, not only on
// standard error, and the other inputs are still validated.
func TestCIBehaviour(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		args  []string // after the directory; "@" is replaced by it
		stdin string
		code  int
		// each format's output must contain want (with the directory
		// for "@"), standard error wantErr
		want    []string
		wantErr string
	}{
		{
			name: "empty directory", files: map[string]string{"sub": "", "README.md": "x"},
			args: []string{"@"}, code: 2, want: []string{"input.empty"}, wantErr: "no .http, .har or .json file",
		},
		{
			name: "only bare JSON bodies, no -operation", files: map[string]string{"a.json": "{}"},
			args: []string{"@"}, code: 2, want: []string{"input.empty", "input.skipped"}, wantErr: "needs -operation",
		},
		{
			name: "bare JSON met while walking is skipped, the rest validated", files: map[string]string{"a.json": "{}", "b.http": invalidHTTP, "c.http": validHTTP},
			args: []string{"@"}, code: 1, want: []string{"input.skipped", "a.json", "schema.required", "b.http"}, wantErr: "notice: ",
		},
		{
			name: "bare JSON met while walking, with -operation", files: map[string]string{"a.json": `{"server":{}}`},
			args: []string{"-operation", "CreateServers", "@"}, code: 1, want: []string{"schema.required"},
		},
		{
			name: "an unparseable file does not hide the others", files: map[string]string{"a.http": invalidHTTP, "b.http": "not a request\n", "c.http": validHTTP},
			args: []string{"@"}, code: 2, want: []string{"input.syntax", "b.http", "schema.required", "a.http"}, wantErr: "b.http: line 1: ",
		},
		{
			name: "syntax error after valid requests", files: map[string]string{"a.http": validHTTP + "###\n" + invalidHTTP + "###\nGET\n"},
			args: []string{"@"}, code: 2, want: []string{"input.syntax", "schema.required"}, wantErr: "a.http: line 10: want a request line",
		},
		{
			name: "a dangling link is unreadable, the rest validated", files: map[string]string{"a.http": "->nowhere.http", "b.http": invalidHTTP},
			args: []string{"@"}, code: 2, want: []string{"input.unreadable", "schema.required"}, wantErr: "no such file",
		},
		{
			name: "a missing path among others", files: map[string]string{"b.http": invalidHTTP},
			args: []string{"@/b.http", "@/nope.http"}, code: 2, want: []string{"input.unreadable", "schema.required"}, wantErr: "no such file",
		},
		{
			name: "byte order mark in a .http file", files: map[string]string{"a.http": "\ufeff" + validHTTP},
			args: []string{"@"}, code: 0,
		},
		{
			name: "byte order mark in a bare body", files: map[string]string{"a.json": "\ufeff{\"server\":{}}"},
			args: []string{"-operation", "CreateServers", "@/a.json"}, code: 1, want: []string{"schema.required"},
		},
		{
			name: "byte order mark on standard input", stdin: "\ufeff" + validHTTP,
			args: []string{"-"}, code: 0,
		},
		{
			name: "FIFO met while walking is skipped", files: map[string]string{"a.http": "|fifo", "b.http": validHTTP},
			args: []string{"@"}, code: 0, want: []string{"input.skipped", "a.http"}, wantErr: "notice: ",
		},
		{
			name: "FIFO given by name is an error, not a hang", files: map[string]string{"a.http": "|fifo", "b.http": validHTTP},
			args: []string{"@/a.http", "@/b.http"}, code: 2, want: []string{"input.unreadable"}, wantErr: "named pipe",
		},
		{
			name: "device given by name is an error, not a hang",
			args: []string{"/dev/zero"}, code: 2, want: []string{"input.unreadable"}, wantErr: "device",
		},
		{
			name: "body over the limit in a .http file reports its real size", files: map[string]string{"a.http": "POST /v1.1/0123456789abcdef0123456789abcdef/cloudservers HTTP/1.1\nContent-Type: application/json\nX-Auth-Token: t\n\n{\"a\":\"" + strings.Repeat("x", 3<<20) + "\"}\n"},
			args: []string{"@"}, code: 1, want: []string{"body.size", "has 3145736 bytes"},
		},
		{
			name: "bare body over the limit reports its real size", files: map[string]string{"a.json": "{\"a\":\"" + strings.Repeat("x", 3<<20) + "\"}"},
			args: []string{"-operation", "CreateServers", "@/a.json"}, code: 1, want: []string{"body.size", "has 3145736 bytes"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := tree(t, tc.files)
			args := make([]string, len(tc.args))
			for i, a := range tc.args {
				args[i] = strings.ReplaceAll(a, "@", dir)
			}
			for _, format := range []string{"text", "github", "json", "sarif"} {
				code, out, errOut := runCLI(t, tc.stdin, append([]string{"-format", format}, args...)...)
				if code != tc.code || !strings.Contains(errOut, tc.wantErr) {
					t.Errorf("%s: exit %d, want %d; stderr %q, want it to contain %q\n%s", format, code, tc.code, errOut, tc.wantErr, out)
				}
				for _, w := range tc.want {
					if !strings.Contains(out, w) {
						t.Errorf("%s output lacks %q:\n%s", format, w, out)
					}
				}
				if format == "json" || format == "sarif" {
					var v any
					if err := json.Unmarshal([]byte(out), &v); err != nil {
						t.Errorf("%s output is not JSON: %v\n%s", format, err, out)
					}
				}
			}
		})
	}
}
