package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFilter(t *testing.T) {
	tests := []struct {
		name, input string
		passed      bool
		wantOut     []string // in this order
		unwanted    []string
		wantSkips   string
	}{
		{
			name:   "a failure, a skip, a pass",
			input:  readFile(t, "mixed.json"),
			passed: false,
			wantOut: []string{
				"    x_test.go:5: boom\n--- FAIL: TestC/sub",
				"FAIL\ttf\t0.01s",
				"ok  \ttf/ok\t0.01s",
				"skipped 1 test(s):\n  tf TestB: x_test.go:4: chromium is not installed (apt-get install chromium)\n",
			},
			unwanted:  []string{"hidden", "quiet", "PASS\n", "=== RUN   TestA"},
			wantSkips: "tf TestB: x_test.go:4: chromium is not installed (apt-get install chromium)\n",
		},
		{
			name:    "all pass",
			input:   `{"Action":"output","Package":"p","Output":"ok  \tp\t0.1s\n"}` + "\n" + `{"Action":"pass","Package":"p"}` + "\n",
			passed:  true,
			wantOut: []string{"ok  \tp\t0.1s\n"},
		},
		{
			name:    "no events: go test failed before running anything",
			input:   "go: cannot find main module\n",
			passed:  false,
			wantOut: []string{"go: cannot find main module\n"},
		},
		{
			name:    "a build failure",
			input:   `{"ImportPath":"p","Action":"build-output","Output":"p/x.go:1: syntax error\n"}` + "\n" + `{"ImportPath":"p","Action":"build-fail"}` + "\n",
			passed:  false,
			wantOut: []string{"p/x.go:1: syntax error\n"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, skips bytes.Buffer
			passed, err := filter(strings.NewReader(tc.input), &out, &skips)
			if err != nil {
				t.Fatal(err)
			}
			if passed != tc.passed {
				t.Errorf("passed = %v, want %v", passed, tc.passed)
			}
			rest := out.String()
			for _, w := range tc.wantOut {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("output lacks %q (in order) in:\n%s", w, out.String())
				}
				rest = rest[i+len(w):]
			}
			for _, u := range tc.unwanted {
				if strings.Contains(out.String(), u) {
					t.Errorf("output has %q, which plain go test hides:\n%s", u, out.String())
				}
			}
			if skips.String() != tc.wantSkips {
				t.Errorf("skips file: %q, want %q", skips.String(), tc.wantSkips)
			}
		})
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
