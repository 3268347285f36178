package httpfile

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hwspec/compute/spec"
)

func TestParse(t *testing.T) {
	src := strings.Join([]string{
		"# file header, belongs to the first request",
		"### First",
		"# @expect valid",
		"// another note",
		"POST /v1/p/things?x=1 HTTP/1.1",
		"Content-Type: application/json",
		"# a comment between headers",
		"X-Auth-Token:  tok ",
		"",
		"",
		"{",
		`  "a": 1`,
		"}",
		"",
		"###",
		"GET https://example.com/v1/p/things/1",
		"X-Auth-Token: tok",
		"",
		"### Third, CRLF",
		"DELETE /v1/p/things/1 HTTP/1.1\r",
		"X-Auth-Token: tok\r",
	}, "\n")
	reqs, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 3 {
		t.Fatalf("got %d requests, want 3", len(reqs))
	}
	first := reqs[0]
	if first.Title != "First" || first.Method != "POST" || first.Target != "/v1/p/things?x=1" || first.Line != 5 {
		t.Errorf("first request: %+v", first)
	}
	if got := first.Comments; len(got) != 2 || got[0] != "@expect valid" || got[1] != "another note" {
		t.Errorf("comments = %q", got)
	}
	if first.Header.Get("X-Auth-Token") != "tok" || first.Header.Get("Content-Type") != "application/json" {
		t.Errorf("headers = %v", first.Header)
	}
	if string(first.Body) != "{\n  \"a\": 1\n}" || first.BodyLine != 11 {
		t.Errorf("body = %q at line %d", first.Body, first.BodyLine)
	}
	if reqs[1].Title != "" || reqs[1].Target != "https://example.com/v1/p/things/1" || reqs[1].Body != nil || reqs[1].BodyLine != 0 {
		t.Errorf("second request: %+v", reqs[1])
	}
	if reqs[2].Method != "DELETE" || reqs[2].Header.Get("X-Auth-Token") != "tok" || reqs[2].Index != 2 {
		t.Errorf("third request: %+v", reqs[2])
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src string
		line      int
		want      string
	}{
		{name: "empty", src: "", line: 1, want: "no request"},
		{name: "only comments", src: "# nothing\n###\n# still nothing\n", line: 1, want: "no request"},
		{name: "lower-case method", src: "post /x HTTP/1.1\n", line: 1, want: "upper-case HTTP method"},
		{name: "no target", src: "POST\n", line: 1, want: "request line"},
		{name: "bad version", src: "POST /x HTTP1.1\n", line: 1, want: "HTTP/x.y"},
		{name: "bad header", src: "POST /x HTTP/1.1\nnot a header\n", line: 2, want: "header line"},
		{name: "header name with space", src: "POST /x HTTP/1.1\nX Auth: t\n", line: 2, want: "header line"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.src))
			e, ok := err.(*Error)
			if !ok || e.Line != tc.line || !strings.Contains(e.Msg, tc.want) {
				t.Fatalf("got %v, want line %d containing %q", err, tc.line, tc.want)
			}
		})
	}
}

func TestExpectations(t *testing.T) {
	tests := []struct {
		name     string
		comments []string
		want     []string
		wantErr  string
	}{
		{name: "valid", comments: []string{"@expect valid"}, want: []string{"valid"}},
		{name: "valid with warning", comments: []string{"@expect valid", "@expect warning body /a r.w"}, want: []string{"valid", "warning body /a r.w"}},
		{name: "invalid at root", comments: []string{`@expect invalid body "" json.syntax`}, want: []string{`invalid body "" json.syntax`}},
		{name: "none", comments: []string{"just a note"}, wantErr: "no \"@expect valid\""},
		{name: "both", comments: []string{"@expect valid", "@expect invalid body /a r"}, wantErr: "both"},
		{name: "malformed", comments: []string{"@expect invalid body"}, wantErr: "malformed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Request{Comments: tc.comments}.Expectations()
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var s []string
			for _, x := range got {
				s = append(s, x.String())
			}
			if strings.Join(s, "|") != strings.Join(tc.want, "|") {
				t.Fatalf("got %q, want %q", s, tc.want)
			}
		})
	}
}

func TestNow(t *testing.T) {
	now, ok, err := Request{Comments: []string{"@now 2026-11-23T00:00:00Z"}}.Now()
	if err != nil || !ok || !now.Equal(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("Now = %v, %v, %v", now, ok, err)
	}
	if _, ok, err := (Request{}).Now(); ok || err != nil {
		t.Fatalf("no @now: ok = %v, err = %v", ok, err)
	}
	if _, _, err := (Request{Comments: []string{"@now tomorrow"}}).Now(); err == nil {
		t.Fatal("want an error for a malformed @now")
	}
}

func TestPositionsKept(t *testing.T) {
	src := "POST /x HTTP/1.1\nX-Auth-Token: a\nx-client-token: b\n\n  {\"a\": 1}\n\n"
	reqs, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	r := reqs[0]
	if string(r.Body) != "  {\"a\": 1}" || r.BodyLine != 5 {
		t.Errorf("body %q at line %d: leading white space must stay so columns match the file", r.Body, r.BodyLine)
	}
	if r.HeaderLines["X-Auth-Token"] != 2 || r.HeaderLines["X-Client-Token"] != 3 {
		t.Errorf("header lines = %v", r.HeaderLines)
	}
}

// FuzzParse must never panic, and what it returns must be consistent.
func FuzzParse(f *testing.F) {
	f.Add([]byte("### t\n# @expect valid\nPOST /v1/p/x HTTP/1.1\nA: b\n\n{}\n###\nGET /y\n"))
	f.Add([]byte("GET /\n\n\n"))
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
	f.Fuzz(func(t *testing.T, data []byte) {
		reqs, err := Parse(data)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error of type %T", err)
			}
			return
		}
		for i, r := range reqs {
			if r.Index != i || r.Line < 1 || r.Method == "" || r.Target == "" {
				t.Fatalf("request %d inconsistent: %+v", i, r)
			}
			if (len(r.Body) == 0) != (r.BodyLine == 0) || (r.BodyLine != 0 && r.BodyLine <= r.Line) {
				t.Fatalf("request %d body position inconsistent: line %d body line %d len %d", i, r.Line, r.BodyLine, len(r.Body))
			}
		}
	})
}

// FuzzReaderMatchesReference holds the streaming Reader to the whole-file
// parser it replaced: the same requests or the same error, for any input
// without a byte order mark (which the old parser did not accept).
func FuzzReaderMatchesReference(f *testing.F) {
	f.Add([]byte("### t\n# @expect valid\nPOST /v1/p/x HTTP/1.1\nA: b\n\n{}\n###\nGET /y\n"))
	f.Add([]byte("GET /\r\n\r\n \r\n{\r\r\n}\r\n\r\n"))
	f.Add([]byte("POST /x\n\n{\n\n  \t\n### a\nGET /b HTTP/1.1\nbad\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if bytes.HasPrefix(data, []byte(bom)) {
			return
		}
		want, wantErr := referenceParse(data)
		got, gotErr := Parse(data)
		if fmt.Sprint(wantErr) != fmt.Sprint(gotErr) {
			t.Fatalf("error %v, reference %v", gotErr, wantErr)
		}
		if len(got) != len(want) {
			t.Fatalf("%d requests, reference %d", len(got), len(want))
		}
		for i := range got {
			g, w := got[i], want[i]
			if g.BodySize != int64(len(g.Body)) {
				t.Fatalf("request %d: body size %d, body %d bytes", i, g.BodySize, len(g.Body))
			}
			g.BodySize = 0
			if !reflect.DeepEqual(g, w) {
				t.Fatalf("request %d:\n got %+v\nwant %+v", i, g, w)
			}
		}
	})
}

func TestReaderBOMAndReuse(t *testing.T) {
	r := NewReader(strings.NewReader(bom + "GET /a HTTP/1.1\n"))
	req, err := r.Next()
	if err != nil || req.Method != "GET" || req.Target != "/a" || req.Line != 1 {
		t.Fatalf("with a BOM: %+v, %v", req, err)
	}
	if _, err := r.Next(); err != io.EOF {
		t.Fatalf("after the last request: %v, want io.EOF", err)
	}
	r.Reset(strings.NewReader("# x\nPOST /b\n\n{}\n"))
	req, err = r.Next()
	if err != nil || req.Method != "POST" || req.Line != 2 || string(req.Body) != "{}" || req.BodyLine != 4 {
		t.Fatalf("after Reset: %+v, %v", req, err)
	}
	r.Reset(strings.NewReader("x" + bom + "\n"))
	if _, err := r.Next(); err == nil {
		t.Fatal("a BOM is skipped only at the start of a file")
	}
}

// TestReaderBoundsBodies reads bodies larger than MaxBodyBytes, on many
// lines and on one line longer than MaxLineBytes: each is cut at
// MaxBodyBytes+1 bytes, BodySize says its length, and the next request is
// read as usual.
func TestReaderBoundsBodies(t *testing.T) {
	long := strings.Repeat("a", MaxLineBytes+100)
	tests := []struct {
		name string
		body string
	}{
		{name: "many lines", body: strings.Repeat("{\"a\": 1}\r\n", 1000) + "}"},
		{name: "one long line", body: "[\"" + long + "\"]"},
		{name: "long line with CRLF", body: "[\"" + long + "\"]\r"},
		{name: "small", body: "{}"},
		{name: "trailing blank lines past the limit", body: "{}" + strings.Repeat("\n  \t", 100)},
	}
	const limit = 100
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := "POST /a HTTP/1.1\n\n" + tc.body + "\n\n### next\nGET /b\n"
			r := NewReader(strings.NewReader(src))
			r.MaxBodyBytes = limit
			req, err := r.Next()
			if err != nil {
				t.Fatal(err)
			}
			want := strings.TrimRight(strings.ReplaceAll(tc.body, "\r\n", "\n"), " \t\r\n")
			if req.BodySize != int64(len(want)) {
				t.Errorf("BodySize = %d, want %d", req.BodySize, len(want))
			}
			if len(want) > limit+1 {
				want = want[:limit+1]
			}
			if string(req.Body) != want {
				t.Errorf("Body = %.40q (%d bytes), want %.40q (%d bytes)", req.Body, len(req.Body), want, len(want))
			}
			next, err := r.Next()
			if err != nil || next.Target != "/b" || next.Title != "next" {
				t.Fatalf("next request: %+v, %v", next, err)
			}
		})
	}
	if _, err := Parse([]byte("GET /a\n\n" + long + "\n")); err == nil || !strings.Contains(err.Error(), "line longer than") {
		t.Fatalf("without MaxBodyBytes a long line is an error, got %v", err)
	}
}
