package har

import (
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// readAll reads every entry of a HAR text.
func readAll(t *testing.T, src string, max int64) ([]Entry, error) {
	t.Helper()
	r := NewReader(strings.NewReader(src))
	switch {
	case max > 0:
		r.MaxEntryBytes = max
	case max < 0: // a body limit instead
		r.MaxBodyBytes = int(-max)
	}
	var out []Entry
	for {
		e, err := r.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			if _, again := r.Next(); again != err {
				t.Errorf("the error is not sticky: %v, then %v", err, again)
			}
			return out, err
		}
		out = append(out, *e)
	}
}

func TestEntries(t *testing.T) {
	tests := []struct {
		name string
		har  string
		want []Entry
	}{
		{
			name: "no entries",
			har:  `{"log":{"version":"1.2","entries":[]}}`,
		},
		{
			name: "members before and after log and entries are skipped",
			har: `{"comment":{"x":[1,2]},"log":{"version":"1.2","pages":[{"id":"p"}],
"entries":[{"request":{"method":"GET","url":"https://h/a"}}],"comment":"end"},"after":1}`,
			want: []Entry{{Index: 0, Line: 2, Column: 12, Method: "GET", URL: "https://h/a", Header: http.Header{}}},
		},
		{
			name: "missing postData: no body; the URL's query wins over queryString",
			har: `{"log":{"entries":[{"request":{"method":"GET","url":"https://h/v1/p/dev-servers?limit=10#frag",
"queryString":[{"name":"limit","value":"99"}],"headers":[]},"response":{"status":200,"content":{"text":"big"}}}]}}`,
			want: []Entry{{Index: 0, Line: 1, Column: 20, Method: "GET", URL: "https://h/v1/p/dev-servers?limit=10", Header: http.Header{},
				Response: &Response{Status: 200, Header: http.Header{}, Body: []byte("big"), BodySize: 3}}},
		},
		{
			name: "duplicate headers keep every value; HTTP/2 pseudo-headers are dropped",
			har: `{"log":{"entries":[{"request":{"method":"POST","url":"https://h/x","headers":[
{"name":":authority","value":"h"},{"name":":method","value":"POST"},{"name":":path","value":"/x"},{"name":":scheme","value":"https"},
{"name":"x-auth-token","value":"a"},{"name":"X-Auth-Token","value":"b"},{"name":"content-type","value":"application/json"}],
"postData":{"mimeType":"application/json","text":"{\"a\":1}"}}}]}}`,
			want: []Entry{{Index: 0, Line: 1, Column: 20, Method: "POST", URL: "https://h/x",
				Header: http.Header{"X-Auth-Token": {"a", "b"}, "Content-Type": {"application/json"}}, Body: []byte(`{"a":1}`), BodySize: 7}},
		},
		{
			name: "startedDateTime is when the request was sent",
			har:  `{"log":{"entries":[{"startedDateTime":"2026-11-29T13:16:44.985+08:00","request":{"method":"GET","url":"/x"}},{"startedDateTime":"yesterday","request":{"method":"GET","url":"/y"}}]}}`,
			want: []Entry{
				{Index: 0, Line: 1, Column: 20, Method: "GET", URL: "/x", Header: http.Header{}, Started: time.Date(2026, 11, 29, 13, 16, 44, 985e6, time.FixedZone("", 8*3600))},
				{Index: 1, Line: 1, Column: 110, Method: "GET", URL: "/y", Header: http.Header{}},
			},
		},
		{
			name: "base64 postData is decoded",
			har:  `{"log":{"entries":[{"request":{"method":"POST","url":"/x","postData":{"mimeType":"application/json","encoding":"base64","text":"eyJhIjoxfQ=="}}}]}}`,
			want: []Entry{{Index: 0, Line: 1, Column: 20, Method: "POST", URL: "/x", Header: http.Header{}, Body: []byte(`{"a":1}`), BodySize: 7}},
		},
		{
			name: "form params without text are form-encoded",
			har:  `{"log":{"entries":[{"request":{"method":"POST","url":"/x","postData":{"mimeType":"application/x-www-form-urlencoded","params":[{"name":"a b","value":"1&2"},{"name":"c","value":""}]}}}]}}`,
			want: []Entry{{Index: 0, Line: 1, Column: 20, Method: "POST", URL: "/x", Header: http.Header{}, Body: []byte(`a+b=1%262&c=`), BodySize: 12}},
		},
		{
			name: "empty text is no body",
			har:  `{"log":{"entries":[{"request":{"method":"POST","url":"/x","postData":{"mimeType":"application/json","text":""}}}]}}`,
			want: []Entry{{Index: 0, Line: 1, Column: 20, Method: "POST", URL: "/x", Header: http.Header{}}},
		},
		{
			name: "startedDateTime as other recorders write it: Fiddler's seven fraction digits, an offset without a colon (BrowserMob Proxy), no fraction (mitmproxy)",
			har:  `{"log":{"entries":[{"startedDateTime":"2015-03-10T14:59:05.4581465-07:00","request":{"method":"GET","url":"/x"}},{"startedDateTime":"2026-11-29T13:16:44.985+0800","request":{"method":"GET","url":"/y"}},{"startedDateTime":"2026-11-29T13:16:44-07:00","request":{"method":"GET","url":"/z"}}]}}`,
			want: []Entry{
				{Index: 0, Line: 1, Column: 20, Method: "GET", URL: "/x", Header: http.Header{}, Started: time.Date(2015, 3, 10, 14, 59, 5, 458146500, time.FixedZone("", -7*3600))},
				{Index: 1, Line: 1, Column: 114, Method: "GET", URL: "/y", Header: http.Header{}, Started: time.Date(2026, 11, 29, 13, 16, 44, 985e6, time.FixedZone("", 8*3600))},
				{Index: 2, Line: 1, Column: 203, Method: "GET", URL: "/z", Header: http.Header{}, Started: time.Date(2026, 11, 29, 13, 16, 44, 0, time.FixedZone("", -7*3600))},
			},
		},
		{
			name: "postData that cannot be decoded is named in BodyError, and the next entry is read",
			har:  `{"log":{"entries":[{"request":{"method":"POST","url":"/a","postData":{"encoding":"base64","text":"%%%"}}},{"request":{"method":"POST","url":"/b","postData":{"encoding":"gzip","text":"x"}}},{"request":{"method":"GET","url":"/c"}}]}}`,
			want: []Entry{
				{Index: 0, Line: 1, Column: 20, Method: "POST", URL: "/a", Header: http.Header{}, BodyError: "request.postData.text is not base64: the last group has fewer than 4 characters"},
				{Index: 1, Line: 1, Column: 107, Method: "POST", URL: "/b", Header: http.Header{}, BodyError: `request.postData.encoding "gzip": want base64 or none`},
				{Index: 2, Line: 1, Column: 190, Method: "GET", URL: "/c", Header: http.Header{}},
			},
		},
		{
			name: "a body stored beside the file (Playwright content attach) is named, not read",
			har:  `{"log":{"entries":[{"request":{"method":"POST","url":"/x","postData":{"mimeType":"application/json","_sha1":"9f1c.json","_file":"9f1c.json"}}}]}}`,
			want: []Entry{{Index: 0, Line: 1, Column: 20, Method: "POST", URL: "/x", Header: http.Header{}, BodyFile: "9f1c.json"}},
		},
		{
			name: "pretty-printed: each entry's line and column",
			har:  "{\n  \"log\": {\n    \"entries\": [\n      {\n        \"request\": {\"method\": \"GET\", \"url\": \"/a\"}\n      },\n      {\"request\": {\"method\": \"DELETE\", \"url\": \"/b\"}}\n    ]\n  }\n}\n",
			want: []Entry{
				{Index: 0, Line: 4, Column: 7, Method: "GET", URL: "/a", Header: http.Header{}},
				{Index: 1, Line: 7, Column: 7, Method: "DELETE", URL: "/b", Header: http.Header{}},
			},
		},
		{
			name: "an entry's '{' read chunks after the comma before it",
			har:  `{"log":{"entries":[{"request":{"method":"GET","url":"/a"}},` + strings.Repeat(" ", 40000) + "\n" + strings.Repeat("\t", 3) + `{"request":{"method":"GET","url":"/b"}}]}}`,
			want: []Entry{
				{Index: 0, Line: 1, Column: 20, Method: "GET", URL: "/a", Header: http.Header{}},
				{Index: 1, Line: 2, Column: 4, Method: "GET", URL: "/b", Header: http.Header{}},
			},
		},
		{
			name: "a byte order mark is skipped; CRLF lines count as lines",
			har:  "\ufeff{\r\n\"log\":{\"entries\":[\r\n{\"request\":{\"method\":\"GET\",\"url\":\"/a\"}}]}}",
			want: []Entry{{Index: 0, Line: 3, Column: 1, Method: "GET", URL: "/a", Header: http.Header{}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readAll(t, tt.har, 0)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	big := `{"log":{"entries":[{"request":{"method":"GET","url":"/a"}},{"request":{"method":"GET","url":"/b"},"response":{"content":{"text":"` + strings.Repeat("x", 5000) + `"}}}]}}`
	tests := []struct {
		name    string
		har     string
		max     int64
		entries int    // read before the error
		want    string // the error's text
	}{
		{name: "empty file", har: "", want: "unexpected end of the file"},
		{name: "not JSON", har: "GET / HTTP/1.1\n", want: "line 1, column 1: not JSON: invalid character 'G' looking for beginning of value"},
		{name: "a JSON array", har: "[]", want: `line 1, column 2: not a HAR file: want a JSON object {"log": {"entries": [...]}}`},
		{name: "no log", har: `{"x":1}`, want: `not a HAR file`},
		{name: "log is not an object", har: `{"log":[]}`, want: `not a HAR file`},
		{name: "no entries", har: `{"log":{"version":"1.2"}}`, want: `line 1, column 24: not a HAR file: log has no "entries"`},
		{name: "entries twice", har: `{"log":{"entries":[],"entries":[]}}`, want: `log has "entries" twice`},
		{name: "entries not an array", har: `{"log":{"entries":{}}}`, want: `not a HAR file`},
		{name: "entry not an object", har: `{"log":{"entries":[{"request":{"method":"GET","url":"/"}},7]}}`, entries: 1, want: "line 1, column 59: entry 1: json: cannot unmarshal number into Go value of type har.harEntry"},
		{name: "entry without request", har: `{"log":{"entries":[{}]}}`, want: "line 1, column 20: entry 0: no request"},
		{name: "null entry", har: `{"log":{"entries":[null]}}`, want: "entry 0: no request"},
		{name: "no method", har: `{"log":{"entries":[{"request":{"url":"/"}}]}}`, want: "entry 0: request has no method"},
		{name: "no url", har: `{"log":{"entries":[{"request":{"method":"GET"}}]}}`, want: "entry 0: request has no url"},
		{name: "url only a fragment", har: `{"log":{"entries":[{"request":{"method":"GET","url":"#top"}}]}}`, want: "entry 0: request has no url"},
		{name: "headers of the wrong type", har: `{"log":{"entries":[{"request":{"method":"GET","url":"/","headers":{"a":"b"}}}]}}`, want: "entry 0: json: cannot unmarshal object"},
		{name: "response status not a number", har: `{"log":{"entries":[{"request":{"method":"GET","url":"/"},"response":{"status":"200"}}]}}`, want: "entry 0: json: cannot unmarshal string"},
		{name: "syntax error inside an entry", har: "{\"log\":{\"entries\":[\n{\"request\":{\"method\":\"GET\",\"url\":\"/\"}},\n{\"request\": x}]}}", entries: 1, want: "line 3, column 13: not JSON: invalid character 'x' looking for beginning of value"},
		{name: "a key that is not a string", har: "{\"log\":{\n  1:2}}", want: "line 2, column 3: not JSON: invalid character '1'"},
		{name: "a control character in a key", har: "{\"log\":{\n  \"a\x01\":2}}", want: "line 2, column 5: not JSON: invalid character '\\x01' in string literal"},
		{name: "a syntax error deep in a large entry", har: `{"log":{"entries":[{"request":{"method":"GET","url":"/","x":"` + strings.Repeat("y", 40000) + `"}},{"request":{"method":"GET","url":"/","x":"` + strings.Repeat("y", 40000) + `"!}}]}}`, entries: 1, want: "line 1, column 80109: not JSON: invalid character '!' after object key:value pair"},
		{name: "no comma between entries", har: "{\"log\":{\"entries\":[{\"request\":{\"method\":\"GET\",\"url\":\"/\"}}\n  {}]}}", entries: 1, want: "line 2, column 3: not JSON: expected comma after array element"},
		{name: "no colon after a key", har: "{\"log\" {}}", want: "line 1, column 8: not JSON: invalid character '{' after object key"},
		{name: "a string where log's object belongs", har: "{\"log\": \"x\" }", want: "line 1, column 12: not a HAR file"},
		{name: "a bad literal where log's object belongs", har: "{\"log\": nul }", want: "line 1, column 12: not JSON: invalid character ' ' in literal null (expecting 'l')"},
		{name: "not UTF-8", har: "{\"log\":{\"entries\":[\n{\"request\":{\"method\":\"GET\",\"url\":\"/\xff\"}}]}}", want: "line 2, column 36: not UTF-8"},
		{name: "a character cut by the end of the file", har: "{\"log\":{\"entries\":[], \"c\": \"\xe2\x82", want: "line 1, column 29: not UTF-8"},
		{name: "cut in the middle", har: `{"log":{"entries":[{"request":{"method":"GET","url":"/"}},{"requ`, entries: 1, want: "unexpected end of the file"},
		{name: "an entry over the limit", har: big, max: 4096, entries: 1, want: "line 1, column 60: entry 1 or a member of log is larger than 4096 bytes"},
		{name: "a member of log over the limit", har: `{"log":{"pages":"` + strings.Repeat("x", 5000) + `","entries":[]}}`, max: 4096, want: "line 1, column 17: log.pages is larger than 4096 bytes"},
		{name: "a member of log over the limit, after a line", har: "{\"log\":{\"entries\":[],\n\"pages\": [\"" + strings.Repeat("x", 50000) + `"]}}`, max: 4096, want: "line 2, column 10: log.pages is larger than 4096 bytes"},
		{name: "a member beside log over the limit", har: `{"x":"` + strings.Repeat("x", 5000) + `","log":{"entries":[]}}`, max: 4096, want: "line 1, column 6: x is larger than 4096 bytes"},
		{name: "deep nesting", har: `{"log":{"entries":[` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `]}}`, want: "exceeded max depth"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readAll(t, tt.har, tt.max)
			if len(got) != tt.entries {
				t.Errorf("read %d entries before the error, want %d", len(got), tt.entries)
			}
			var he *Error
			if !errors.As(err, &he) {
				t.Fatalf("error %v (%T), want a *har.Error", err, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

// TestResponses: how a recorded response becomes a Response, for the
// forms recorders write: whole, base64, omitted, attached, cut short,
// failed before or after the answer began.
func TestResponses(t *testing.T) {
	entry := func(resp string) string {
		return `{"log":{"entries":[{"request":{"method":"GET","url":"/x"},"response":` + resp + `}]}}`
	}
	json := http.Header{"Content-Type": {"application/json"}}
	tests := []struct {
		name string
		resp string
		want *Response
	}{
		{"whole", `{"status":200,"headers":[{"name":"Content-Type","value":"application/json"}],"content":{"size":8,"mimeType":"application/json","text":"{\"a\":\"\u00e9\"}"}}`,
			&Response{Status: 200, Header: json, Body: []byte("{\"a\":\"\u00e9\"}"), BodySize: 10}},
		{"base64, HTTP/2 pseudo-headers dropped, repeated headers kept", `{"status":200,"headers":[{"name":":status","value":"200"},{"name":"set-cookie","value":"a=1"},{"name":"set-cookie","value":"b=2"}],"content":{"size":2,"text":"e30=","encoding":"base64"}}`,
			&Response{Status: 200, Header: http.Header{"Set-Cookie": {"a=1", "b=2"}}, Body: []byte(`{}`), BodySize: 2}},
		{"an empty body is whole", `{"status":204,"content":{"size":0,"mimeType":"x-unknown"}}`,
			&Response{Status: 204, Header: http.Header{}}},
		{"empty text of size 0", `{"status":200,"content":{"size":0,"text":""}}`,
			&Response{Status: 200, Header: http.Header{}}},
		{"no content", `{"status":200}`,
			&Response{Status: 200, Header: http.Header{}, Incomplete: "not recorded (no content.text)"}},
		{"a response without a status is none", `{"content":{"size":2,"text":"{}"}}`, nil},
		{"omitted (Playwright content omit)", `{"status":200,"content":{"size":489,"mimeType":"application/json"}}`,
			&Response{Status: 200, Header: http.Header{}, Incomplete: "not recorded (no content.text)"}},
		{"no text, size unknown", `{"status":200,"content":{"size":-1,"mimeType":"x-unknown"}}`,
			&Response{Status: 200, Header: http.Header{}, Incomplete: "not recorded (no content.text)"}},
		{"empty text of a body that had bytes", `{"status":200,"content":{"size":489,"text":""}}`,
			&Response{Status: 200, Header: http.Header{}, Incomplete: "not recorded (content.size is 489 bytes, content.text is empty)"}},
		{"attached beside the file", `{"status":200,"content":{"size":489,"_file":"0a1b.json"}}`,
			&Response{Status: 200, Header: http.Header{}, BodyFile: "0a1b.json", Incomplete: "stored beside the HAR file (content._file)"}},
		{"cut short: text shorter than size", `{"status":200,"content":{"size":4000,"text":"{\"job_id\":"}}`,
			&Response{Status: 200, Header: http.Header{}, Body: []byte(`{"job_id":`), BodySize: 10, Incomplete: "cut short (content.size is 4000 bytes, content.text has 10)"}},
		{"cut short: a comment says so", `{"status":200,"content":{"text":"{}","comment":"Body Truncated at 1MB"}}`,
			&Response{Status: 200, Header: http.Header{}, Body: []byte(`{}`), BodySize: 2, Incomplete: "cut short (a comment says it was truncated)"}},
		{"another comment says nothing", `{"status":200,"content":{"size":2,"text":"{}","comment":"recorded by hand"}}`,
			&Response{Status: 200, Header: http.Header{}, Body: []byte(`{}`), BodySize: 2}},
		{"no answer (Chromium)", `{"status":0,"headers":[],"content":{"size":0,"mimeType":"x-unknown"},"_error":"net::ERR_CONNECTION_REFUSED"}`,
			&Response{Status: 0, Header: http.Header{}, Failure: "net::ERR_CONNECTION_REFUSED"}},
		{"no answer (Playwright), content not read", `{"status":-1,"content":{"size":-1,"encoding":"base64","text":"%%%"},"_failureText":"net::ERR_FAILED"}`,
			&Response{Status: -1, Header: http.Header{}, Failure: "net::ERR_FAILED"}},
		{"content not base64: not an error, the body is left out", `{"status":200,"headers":[{"name":"Content-Type","value":"application/json"}],"content":{"size":2,"encoding":"base64","text":"e30"}}`,
			&Response{Status: 200, Header: json, Incomplete: "not readable (content.text is not base64: the last group has fewer than 4 characters)"}},
		{"content of an encoding other than base64 (gzip)", `{"status":200,"content":{"size":2,"encoding":"gzip","text":"{}"}}`,
			&Response{Status: 200, Header: http.Header{}, Incomplete: `not readable (content.encoding "gzip": want base64 or none)`}},
		{"content text not a string", `{"status":200,"content":{"size":2,"text":{"a":1}}}`,
			&Response{Status: 200, Header: http.Header{}, Incomplete: "not readable (content.text is not a string)"}},
		{"a long failure text is cut at a character boundary", `{"status":200,"content":{"size":0},"_error":"` + strings.Repeat("é", 30) + `"}`,
			&Response{Status: 200, Header: http.Header{}, Failure: strings.Repeat("é", 30), Incomplete: "the recorder notes a failure after the answer began (" + strings.Repeat("é", 18) + "…)"}},
		{"failed after the answer began", `{"status":200,"headers":[{"name":"Content-Type","value":"application/json"}],"content":{"size":0},"_error":"net::ERR_ABORTED"}`,
			&Response{Status: 200, Header: json, Failure: "net::ERR_ABORTED", Incomplete: "the recorder notes a failure after the answer began (net::ERR_ABORTED)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readAll(t, entry(tt.resp), 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || !reflect.DeepEqual(got[0].Response, tt.want) {
				t.Fatalf("got  %+v\nwant %+v", got[0].Response, tt.want)
			}
			if tt.want != nil && got[0].Response.Answered() != (tt.want.Status > 0) {
				t.Errorf("Answered() = %v for status %d", got[0].Response.Answered(), tt.want.Status)
			}
		})
	}
	got, err := readAll(t, `{"log":{"entries":[{"request":{"method":"GET","url":"/x"},"response":null}]}}`, 0)
	if err != nil || got[0].Response != nil {
		t.Errorf("a null response: %+v, %v; want none", got, err)
	}
}

// TestBodyLimit: with MaxBodyBytes, at most MaxBodyBytes+1 bytes of each
// body are kept, and BodySize is the whole length, however it was encoded.
func TestBodyLimit(t *testing.T) {
	long := strings.Repeat("x", 100)
	b64 := base64.StdEncoding.EncodeToString([]byte(long))
	har := `{"log":{"entries":[
{"request":{"method":"POST","url":"/a","postData":{"text":"` + long + `"}},"response":{"status":200,"content":{"size":100,"text":"` + long + `"}}},
{"request":{"method":"POST","url":"/b","postData":{"encoding":"base64","text":"` + b64 + `"}},"response":{"status":200,"content":{"size":100,"encoding":"base64","text":"` + b64 + `"}}},
{"request":{"method":"POST","url":"/c","postData":{"params":[{"name":"a","value":"` + long + `"}]}},"response":{"status":200,"content":{"size":10,"text":"0123456789"}}}]}}`
	got, err := readAll(t, har, -10)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []struct {
		req, resp         string
		reqSize, respSize int64
	}{
		{long[:11], long[:11], 100, 100},
		{long[:11], long[:11], 100, 100},
		{"a=xxxxxxxxx", "0123456789", 102, 10},
	} {
		e := got[i]
		if string(e.Body) != want.req || e.BodySize != want.reqSize || string(e.Response.Body) != want.resp || e.Response.BodySize != want.respSize || e.Response.Incomplete != "" {
			t.Errorf("entry %d: request %q (%d bytes), response %q (%d bytes, %q); want %q (%d), %q (%d)", i, e.Body, e.BodySize, e.Response.Body, e.Response.BodySize, e.Response.Incomplete, want.req, want.reqSize, want.resp, want.respSize)
		}
	}
}

// TestUnreadableContent: a response whose content cannot be decoded is
// still an entry (its body left out, Incomplete saying why), with a body
// limit that cuts the text before the bad base64 too, and the entries
// after it are read: a static file's content written oddly does not stop
// the file.
func TestUnreadableContent(t *testing.T) {
	har := `{"log":{"entries":[
{"request":{"method":"GET","url":"https://cdn.example/app.js"},"response":{"status":200,"content":{"size":3,"encoding":"gzip","text":"abc"}}},
{"request":{"method":"GET","url":"https://cdn.example/logo.png"},"response":{"status":200,"content":{"size":300,"encoding":"base64","text":"` + strings.Repeat("A", 400) + `%%%%"}}},
{"request":{"method":"GET","url":"/x"},"response":{"status":200,"content":{"size":2,"text":"{}"}}}]}}`
	got, err := readAll(t, har, -8)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`not readable (content.encoding "gzip": want base64 or none)`, "not readable (content.text is not base64: illegal base64 data at input byte 400)", ""}
	if len(got) != len(want) {
		t.Fatalf("read %d entries, want %d", len(got), len(want))
	}
	for i, e := range got {
		if e.Response.Incomplete != want[i] || (want[i] != "") != (e.Response.Body == nil) {
			t.Errorf("entry %d: Incomplete %q, body %q; want %q", i, e.Response.Incomplete, e.Response.Body, want[i])
		}
	}
}

// TestOneByteAtATime: characters cut between reads are put together.
func TestOneByteAtATime(t *testing.T) {
	src := "\ufeff{\"log\":{\"entries\":[{\"request\":{\"method\":\"GET\",\"url\":\"/caf\u00e9/\u20ac/\U0001f600\"}}]}}"
	r := NewReader(iotest.OneByteReader(strings.NewReader(src)))
	e, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	if e.URL != "/caf\u00e9/\u20ac/\U0001f600" || e.Column != 20 {
		t.Errorf("got %q at column %d", e.URL, e.Column)
	}
}

// TestReadError: an error of the underlying reader is returned as it is.
func TestReadError(t *testing.T) {
	boom := errors.New("boom")
	r := NewReader(io.MultiReader(strings.NewReader(`{"log":{"entries":[`), errReader{boom}))
	if _, err := r.Next(); err != boom {
		t.Fatalf("got %v, want %v", err, boom)
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// TestPlaywright reads the HAR that Playwright recorded with Chromium
// (testdata/record.mjs says how): one line of JSON, HTTP/1.1 headers.
func TestPlaywright(t *testing.T) {
	data, err := os.ReadFile("testdata/playwright.har")
	if err != nil {
		t.Fatal(err)
	}
	got, err := readAll(t, string(data), 0)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, e := range got {
		lines = append(lines, e.Method+" "+e.URL+" "+e.Header.Get("X-Auth-Token")+" "+string(e.Body[:min(len(e.Body), 20)]))
	}
	want := []string{
		"GET http://127.0.0.1:18931/healthz  ",
		`POST http://127.0.0.1:18931/v1/0123456789abcdef0123456789abcdef/dev-servers local-dev-token {"name":"dev-01","fl`,
		"GET http://127.0.0.1:18931/v1/0123456789abcdef0123456789abcdef/dev-servers?limit=10&offset=0 local-dev-token ",
		`POST http://127.0.0.1:18931/v1/0123456789abcdef0123456789abcdef/dev-servers local-dev-token {"name":"dev 01","fl`,
		`POST http://127.0.0.1:18931/v3/auth/tokens local-dev-token {"auth":{}}`,
	}
	if !reflect.DeepEqual(lines, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	for i, e := range got {
		if e.Line != 1 || e.Column <= 1 || data[e.Column-1] != '{' {
			t.Errorf("entry %d at line %d, column %d: not at its '{'", i, e.Line, e.Column)
		}
	}
}
