package validate

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestDecodeBodyMatchesEncodingJSON(t *testing.T) {
	inputs := []string{
		`{}`, `[]`, `null`, `true`, `false`, `0`, `-0.5e+10`, `1E3`, `""`,
		`{"a":1,"b":[1,2,{"c":null}],"d":"x"}`,
		`"\u00e9\ud83d\ude00\n\t\"\\\/"`,
		`"\ud83d"`, // lone surrogate: both decoders give U+FFFD
		" \n\t{ \"a\" : [ ] } \r\n",
		`{"os:scheduler_hints":{"group":"g"},"hw:passthrough":true}`,
	}
	for _, in := range inputs {
		got, err := decodeBody([]byte(in), DefaultLimits, nil)
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		dec := json.NewDecoder(strings.NewReader(in))
		dec.UseNumber()
		var want any
		if err := dec.Decode(&want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %#v, want %#v", in, got, want)
		}
		interned, err := decodeBody([]byte(in), DefaultLimits, map[string]string{"a": "a", "b": "b", "os:scheduler_hints": "os:scheduler_hints"})
		if err != nil || !reflect.DeepEqual(interned, want) {
			t.Errorf("%s with interned names: got %#v, %v", in, interned, err)
		}
	}
}

func TestDecodeBodyRejects(t *testing.T) {
	deep := strings.Repeat("[", 65) + strings.Repeat("]", 65)
	tests := []struct {
		name, in string
		rule     string
		ptr      string
		offset   int
	}{
		{name: "duplicate member", in: `{"a":1,"a":2}`, rule: "json.duplicate-key", ptr: "/a", offset: 7},
		{name: "nested duplicate", in: `{"s":{"n":"x","m":1,"n":"y"}}`, rule: "json.duplicate-key", ptr: "/s/n", offset: 20},
		{name: "duplicate after escape", in: `{"a":1,"\u0061":2}`, rule: "json.duplicate-key", ptr: "/a", offset: 7},
		{name: "invalid UTF-8", in: "{\"a\":\"\xff\"}", rule: "json.utf8", ptr: "/a"},
		{name: "too deep", in: deep, rule: "json.depth", ptr: strings.Repeat("/0", 64), offset: 64},
		{name: "trailing comma", in: `{"a":1,}`, rule: "json.syntax", offset: 7},
		{name: "trailing data", in: `{} {}`, rule: "json.syntax", offset: 3},
		{name: "single quotes", in: `{'a':1}`, rule: "json.syntax", offset: 1},
		{name: "leading zero", in: `01`, rule: "json.syntax", offset: 1},
		{name: "bare dot", in: `1.`, rule: "json.syntax"},
		{name: "unclosed string", in: `"abc`, rule: "json.syntax"},
		{name: "raw newline in string", in: "\"a\nb\"", rule: "json.syntax", offset: 2},
		{name: "bad escape", in: `"\x41"`, rule: "json.syntax"},
		{name: "short unicode escape", in: `"\u12"`, rule: "json.syntax"},
		{name: "misspelt literal", in: `{"a":ture}`, rule: "json.syntax", ptr: "/a", offset: 5},
		{name: "empty", in: ``, rule: "json.syntax"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decodeBody([]byte(tc.in), DefaultLimits, nil)
			de, ok := err.(*decodeError)
			if !ok {
				t.Fatalf("got %v, want a %s error", err, tc.rule)
			}
			if de.rule != tc.rule || pointer(de.ptr) != tc.ptr || (tc.offset != 0 && de.offset != tc.offset) {
				t.Fatalf("got %s at %q offset %d (%s), want %s at %q offset %d", de.rule, pointer(de.ptr), de.offset, de.msg, tc.rule, tc.ptr, tc.offset)
			}
			if strings.Contains(de.msg, "\xff") {
				t.Fatalf("message repeats input bytes: %q", de.msg)
			}
		})
	}
}

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

// FuzzDecodeBody checks the decoder against encoding/json: whatever it
// accepts, encoding/json accepts with the same value; whatever
// encoding/json accepts (valid UTF-8, no duplicate member, not too deep) it
// accepts too. It must never panic.
func FuzzDecodeBody(f *testing.F) {
	for _, s := range []string{`{"server":{"name":"a","count":2,"nics":[{"subnet_id":"x"}]}}`, `[1,"\u00e9",null,true]`, `{"a":{"a":1}}`, `"\ud800"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := decodeBody(data, DefaultLimits, nil)
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var want any
		stdErr := dec.Decode(&want)
		if stdErr == nil {
			if _, err := dec.Token(); !errors.Is(err, io.EOF) {
				stdErr = errors.New("data after the value")
			}
		}
		if err == nil {
			if stdErr != nil {
				t.Fatalf("accepted what encoding/json rejects (%v): %q", stdErr, data)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("value differs for %q: %#v vs %#v", data, got, want)
			}
			return
		}
		de := err.(*decodeError)
		if stdErr == nil && de.rule == "json.syntax" {
			t.Fatalf("rejected valid JSON %q: %v", data, err)
		}
	})
}
