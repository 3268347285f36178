package validate

import (
	"io/fs"
	"testing"

	"github.com/hwspec/compute/httpfile"
	"github.com/hwspec/compute/spec"
)

// SpecExample is one request of spec/examples, for tests and benchmarks.
type SpecExample struct {
	File string
	httpfile.Request
}

// SpecExamples parses every example file. (Test-only: exported to the
// external test package by being declared in a _test.go file.)
func SpecExamples(t testing.TB) []SpecExample {
	t.Helper()
	files, err := fs.Glob(spec.Examples(), "*/*.http")
	if err != nil || len(files) == 0 {
		t.Fatalf("no example files: %v", err)
	}
	var out []SpecExample
	for _, name := range files {
		data, err := fs.ReadFile(spec.Examples(), name)
		if err != nil {
			t.Fatal(err)
		}
		reqs, err := httpfile.Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, r := range reqs {
			out = append(out, SpecExample{File: name, Request: r})
		}
	}
	return out
}

// Validate validates the example with the engine.
func (x SpecExample) Validate(e *Engine) Result {
	return e.Validate(Request{Method: x.Method, Target: x.Target, Header: x.Header, Body: x.Body})
}
