package har

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzReader: no input makes the Reader panic or fail to end; every error
// is an *Error; an entry's position is its "{".
func FuzzReader(f *testing.F) {
	for _, s := range []string{
		`{"log":{"entries":[]}}`,
		`{"log":{"entries":[{"request":{"method":"GET","url":"/a","headers":[{"name":":authority","value":"h"}]}}]}}`,
		"{\n \"log\": {\"pages\": [1, {\"a\": null}],\n  \"entries\": [\n   {\"request\": {\"method\": \"POST\", \"url\": \"/x\", \"postData\": {\"encoding\": \"base64\", \"text\": \"e30=\"}}}\n  ]}}",
		`{"log":{"entries":[{"request":{"method":"POST","url":"/x","postData":{"params":[{"name":"a","value":"b"}]}}},7]}}`,
		`{"log":{"entries":[{"request": x}]}}`,
		`{"log" {}}`,
	} {
		f.Add([]byte(s))
	}
	if data, err := os.ReadFile("testdata/playwright.har"); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewReader(bytes.NewReader(data))
		r.MaxEntryBytes = 1 << 12
		for i := 0; ; i++ {
			e, err := r.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				var he *Error
				if !errors.As(err, &he) {
					t.Fatalf("error %v (%T), want a *har.Error", err, err)
				}
				return
			}
			if e.Index != i || e.Method == "" || e.URL == "" {
				t.Fatalf("entry %d: %+v", i, e)
			}
			if off := offsetOf(data, e.Line, e.Column); off < 0 || data[off] != '{' {
				t.Fatalf("entry %d at line %d, column %d: not its '{'", i, e.Line, e.Column)
			}
		}
	})
}

// offsetOf turns a 1-based line and column into an offset of data (-1 when
// it is outside).
func offsetOf(data []byte, line, col int) int {
	if line < 1 || col < 1 {
		return -1
	}
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			return -1
		}
		off += i + 1
	}
	if off+col-1 >= len(data) {
		return -1
	}
	return off + col - 1
}

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// endless is a reader that never ends: its first bytes, then fill forever.
type endless struct {
	head []byte
	fill byte
}

func (e *endless) Read(p []byte) (int, error) {
	n := copy(p, e.head)
	e.head = e.head[n:]
	for i := n; i < len(p); i++ {
		p[i] = e.fill
	}
	return len(p), nil
}

// TestBounded: an entry that never ends is refused after MaxEntryBytes
// (and one chunk) have been read, whatever follows; so is white space
// between entries that never ends.
func TestBounded(t *testing.T) {
	for _, tt := range []struct {
		name string
		src  *endless
	}{
		{"a string that never ends", &endless{head: []byte(`{"log":{"entries":[{"request":{"method":"GET","url":"/"}},{"response":"`), fill: 'x'}},
		{"white space that never ends", &endless{head: []byte(`{"log":{"entries":[{"request":{"method":"GET","url":"/"}},`), fill: ' '}},
		{"a key that never ends", &endless{head: []byte(`{"log":{"`), fill: 'k'}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := &countingReader{r: tt.src}
			r := NewReader(c)
			r.MaxEntryBytes = 1 << 20
			var err error
			for err == nil {
				_, err = r.Next()
			}
			if want := "larger than 1048576 bytes"; !bytes.Contains([]byte(err.Error()), []byte(want)) {
				t.Errorf("error %q, want %q", err, want)
			}
			if max := r.MaxEntryBytes + 2*chunkSize + 200; c.n > max {
				t.Errorf("read %d bytes, want at most %d", c.n, max)
			}
		})
	}
}

// TestStreams: entries are returned as they are read, before the end of
// the file is known (a file larger than memory is read entry by entry).
func TestStreams(t *testing.T) {
	entry := []byte(`{"request":{"method":"GET","url":"/a"}},`)
	head := append([]byte(`{"log":{"entries":[`), bytes.Repeat(entry, 3)...)
	var src io.Reader = io.MultiReader(bytes.NewReader(head), errReader{errors.New("not yet")})
	r := NewReader(src)
	for i := range 3 {
		if _, err := r.Next(); err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
	}
}

// FuzzTextValue holds the streaming decoder of content.text to what
// encoding/json and encoding/base64 make of the whole string: the same
// bytes (the first max+1 of them, with a limit), the same length, and an
// error exactly when base64.StdEncoding.DecodeString gives one. The input
// is the inside of a JSON string literal, escapes and all; one that
// encoding/json refuses is skipped (the Reader never hands such a string
// over).
func FuzzTextValue(f *testing.F) {
	for _, s := range []string{``, `{\"a\":\"\u00e9\"}`, `e30=`, `e30`, `e30=e30=`, `\ud83d\ude00 \\ \" \n \u2028 \/`, `\ud83d x \udc00\ud83d\u0041 \ud83d\ud83d\ude00`,
		`eyJhIjox\r\nfQ==`, `eyJhIjox\nfQ==\n`, `====`, `A===`, `////`, `a\u0000b`, `caf\u00C9 \b\f\t`, "caf\u00e9 \u20ac \U0001F600"} {
		f.Add(s, 0)
		f.Add(s, 3)
	}
	f.Add(strings.Repeat("QUJD", 3000)+"QQ==", 5000)
	f.Add(strings.Repeat("QUJD\r\n", 3000)+"QQ=", 4)
	f.Fuzz(func(t *testing.T, inside string, max int) {
		max = max % 10000
		raw := []byte(`"` + inside + `"`)
		var want string
		if !utf8.Valid(raw) || json.Unmarshal(raw, &want) != nil {
			return
		}
		check := func(name string, got []byte, size int64, whole []byte) {
			t.Helper()
			keep := whole
			if max > 0 && len(keep) > max+1 {
				keep = keep[:max+1]
			}
			if !bytes.Equal(got, keep) || size != int64(len(whole)) {
				t.Fatalf("%s of %s (max %d): got %q (%d bytes), want %q (%d)", name, raw, max, got, size, keep, len(whole))
			}
		}
		tv := textValue{limit: max}
		if err := tv.UnmarshalJSON(raw); err != nil || !tv.set || tv.bad {
			t.Fatalf("%s: %v, set %v, bad %v", raw, err, tv.set, tv.bad)
		}
		plain, err := tv.body("")
		if err != nil {
			t.Fatal(err)
		}
		check("text", plain.kept, plain.size, []byte(want))
		dec, err := tv.body("base64")
		wantDec, wantErr := base64.StdEncoding.DecodeString(want)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("base64 %q: error %v, encoding/base64 says %v", want, err, wantErr)
		}
		if err == nil {
			check("base64", dec.kept, dec.size, wantDec)
		}
	})
}
