package validate

import (
	"slices"
	"testing"
)

func TestPlaceFindings(t *testing.T) {
	body := []byte("{\n  \"server\": {\n    \"name\": \"x\",\n    \"skip\": [1, {\"a\": \"]}\"}, true],\n    \"nics\": [ {\"subnet_id\": 1}, {\"a/b\": null} ],\n    \"h\\u00e9\": \"\u00e9\u00e9\", \"after\": 1\n  }\n}")
	tests := []struct {
		ptr       string
		key       bool // placed at the member name (an unknown member)
		line, col int
	}{
		{ptr: "", line: 1, col: 1},
		{ptr: "/server", line: 2, col: 13},
		{ptr: "/server", key: true, line: 2, col: 3},
		{ptr: "/server/name", line: 3, col: 13},
		{ptr: "/server/nics/0", line: 5, col: 15},
		{ptr: "/server/nics/0/subnet_id", line: 5, col: 29},
		{ptr: "/server/nics/1/a~1b", line: 5, col: 41},
		{ptr: "/server/missing", line: 2, col: 13}, // the object that should hold it
		{ptr: "/server/missing", key: true, line: 2, col: 13},
		{ptr: "/server/nics/7", line: 5, col: 13},
		{ptr: "/server/nics/01", line: 5, col: 13}, // not an array index
		{ptr: "/server/h\u00e9", key: true, line: 6, col: 5},
		{ptr: "/server/after", key: true, line: 6, col: 22}, // columns count characters
		{ptr: "/server/after", line: 6, col: 31},
		{ptr: "/server/name/deeper", line: 3, col: 13},
	}
	// All at once, in an order unrelated to the body's, as the engine
	// places them; then each alone.
	var all []Finding
	for _, tc := range slices.Backward(tests) {
		all = append(all, placeTestFinding(tc.ptr, tc.key))
	}
	placeFindings(body, all)
	for i, tc := range slices.Backward(tests) {
		one := []Finding{placeTestFinding(tc.ptr, tc.key)}
		placeFindings(body, one)
		for _, f := range []Finding{all[len(tests)-1-i], one[0]} {
			if f.Line != tc.line || f.Column != tc.col {
				t.Errorf("%q (key %v) at %d:%d, want %d:%d", tc.ptr, tc.key, f.Line, f.Column, tc.line, tc.col)
			}
		}
	}
}

func placeTestFinding(ptr string, key bool) Finding {
	rule := "schema.type"
	if key {
		rule = "schema.additionalProperties"
	}
	return Finding{In: InBody, Pointer: ptr, Rule: rule}
}
