package validate

import (
	"testing"

	"github.com/hwspec/compute/internal/fixture"
)

// SpecExample is one request of spec/examples, for tests and benchmarks.
type SpecExample fixture.Example

// SpecExamples parses every example file. (Test-only: exported to the
// external test package by being declared in a _test.go file.)
func SpecExamples(t testing.TB) []SpecExample {
	t.Helper()
	var out []SpecExample
	for _, x := range fixture.Examples(t) {
		out = append(out, SpecExample(x))
	}
	return out
}

// Validate validates the example with the engine.
func (x SpecExample) Validate(e *Engine) Result {
	return e.Validate(Request{Method: x.Method, Target: x.Target, Header: x.Header, Body: x.Body})
}
