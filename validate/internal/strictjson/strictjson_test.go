package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
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
		got, err := Decode([]byte(in), Options{MaxDepth: 64})
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
		interned, err := Decode([]byte(in), Options{MaxDepth: 64, Names: map[string]string{"a": "a", "b": "b", "os:scheduler_hints": "os:scheduler_hints"}})
		if err != nil || !reflect.DeepEqual(interned, want) {
			t.Errorf("%s with interned names: got %#v, %v", in, interned, err)
		}
	}
}

func TestDecodeBodyRejects(t *testing.T) {
	deep := strings.Repeat("[", 65) + strings.Repeat("]", 65)
	tests := []struct {
		name, in string
		kind     Kind
		ptr      string
		offset   int
	}{
		{name: "duplicate member", in: `{"a":1,"a":2}`, kind: DuplicateKey, ptr: "/a", offset: 7},
		{name: "nested duplicate", in: `{"s":{"n":"x","m":1,"n":"y"}}`, kind: DuplicateKey, ptr: "/s/n", offset: 20},
		{name: "duplicate after escape", in: `{"a":1,"\u0061":2}`, kind: DuplicateKey, ptr: "/a", offset: 7},
		{name: "invalid UTF-8", in: "{\"a\":\"\xff\"}", kind: UTF8, ptr: "/a"},
		{name: "too deep", in: deep, kind: Depth, ptr: strings.Repeat("/0", 64), offset: 64},
		{name: "trailing comma", in: `{"a":1,}`, kind: Syntax, offset: 7},
		{name: "trailing data", in: `{} {}`, kind: Syntax, offset: 3},
		{name: "single quotes", in: `{'a':1}`, kind: Syntax, offset: 1},
		{name: "leading zero", in: `01`, kind: Syntax, offset: 1},
		{name: "bare dot", in: `1.`, kind: Syntax},
		{name: "unclosed string", in: `"abc`, kind: Syntax},
		{name: "raw newline in string", in: "\"a\nb\"", kind: Syntax, offset: 2},
		{name: "bad escape", in: `"\x41"`, kind: Syntax},
		{name: "short unicode escape", in: `"\u12"`, kind: Syntax},
		{name: "misspelt literal", in: `{"a":ture}`, kind: Syntax, ptr: "/a", offset: 5},
		{name: "empty", in: ``, kind: Syntax},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode([]byte(tc.in), Options{MaxDepth: 64})
			de, ok := err.(*Error)
			if !ok {
				t.Fatalf("got %v, want a %d error", err, tc.kind)
			}
			if de.Kind != tc.kind || pointer(de.Path) != tc.ptr || (tc.offset != 0 && de.Offset != tc.offset) {
				t.Fatalf("got %d at %q offset %d (%s), want %d at %q offset %d", de.Kind, pointer(de.Path), de.Offset, de.Msg, tc.kind, tc.ptr, tc.offset)
			}
			if strings.Contains(de.Msg, "\xff") {
				t.Fatalf("message repeats input bytes: %q", de.Msg)
			}
		})
	}
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
		got, err := Decode(data, Options{MaxDepth: 64})
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
		de := err.(*Error)
		if stdErr == nil && de.Kind == Syntax {
			t.Fatalf("rejected valid JSON %q: %v", data, err)
		}
	})
}

// pointer writes path segments as a JSON pointer.
func pointer(segs []string) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteByte('/')
		b.WriteString(strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1"))
	}
	return b.String()
}
