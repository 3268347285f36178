package har

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Response is the response recorded for an entry.
type Response struct {
	// Status is the status code; 0 or less when the request got no
	// answer (Chromium records 0, Playwright -1).
	Status int
	Header http.Header
	// Body is the recorded content: content.text, base64-decoded when
	// content.encoding is base64; nil when none was recorded. A Reader
	// with MaxBodyBytes keeps at most MaxBodyBytes+1 bytes of it.
	Body []byte
	// BodySize is the body's length before a Reader with MaxBodyBytes cut
	// Body (len(Body) when it did not).
	BodySize int64
	// Incomplete says why Body is not the whole body the response had
	// ("" when it is, an empty body included): not recorded, cut short,
	// a failure the recorder noted after the answer began, or content
	// that cannot be decoded (Body is then nil). It is "" for a request
	// that got no answer.
	Incomplete string
	// Failure is the reason the recorder gives for a failed request
	// (Chromium's _error, Playwright's _failureText), or "".
	Failure string
	// BodyFile is the name of the file beside the HAR file that holds the
	// body (content._file: Playwright's content "attach"), or "". The
	// Reader reads only the HAR: Body is then nil and Incomplete says so.
	BodyFile string
}

// Answered reports whether the request got an answer: a status above 0.
func (r *Response) Answered() bool { return r.Status > 0 }

// harResponse is the part of an entry's response that is read. An entry
// without a response, or whose response has no status, leaves Status nil.
type harResponse struct {
	Status  *int        `json:"status"`
	Headers []nameValue `json:"headers"`
	Content struct {
		Size     *float64  `json:"size"`
		Text     textValue `json:"text"`
		Encoding string    `json:"encoding"`
		Comment  string    `json:"comment"`
		File     string    `json:"_file"` // Playwright's content: "attach"
		SHA1     string    `json:"_sha1"`
	} `json:"content"`
	Comment     string `json:"comment"`
	Error       string `json:"_error"`       // Chromium
	FailureText string `json:"_failureText"` // Playwright
}

// response turns a recorded response into a Response. Content that
// cannot be decoded (an encoding other than base64, text that is not
// base64 or not a string) leaves the body out and says why in Incomplete.
func (hr *harResponse) response() *Response {
	resp := &Response{Status: *hr.Status, Header: http.Header{}, Failure: hr.Error}
	if resp.Failure == "" {
		resp.Failure = hr.FailureText
	}
	addHeaders(resp.Header, hr.Headers)
	if !resp.Answered() {
		return resp // nothing to read: whatever content says, no body came
	}
	c := &hr.Content
	var unreadable error
	if c.Text.set || c.Text.bad {
		body, err := c.Text.body(c.Encoding)
		unreadable = err
		resp.Body, resp.BodySize = body.kept, body.size
		if len(resp.Body) == 0 {
			resp.Body = nil
		}
	}
	switch {
	case unreadable != nil:
		// Another entry's content (an image, a script) is as likely to be
		// the one a recorder wrote oddly: the entry is still read, and its
		// status and headers checked.
		resp.Incomplete = fmt.Sprintf("not readable (content.%v)", unreadable)
	case resp.Failure != "":
		resp.Incomplete = fmt.Sprintf("the recorder notes a failure after the answer began (%s)", cut(resp.Failure))
	case !c.Text.set && (c.File != "" || c.SHA1 != ""):
		resp.BodyFile = c.File
		resp.Incomplete = "stored beside the HAR file (content._file)"
	case !c.Text.set && (c.Size == nil || *c.Size != 0):
		resp.Incomplete = "not recorded (no content.text)"
	case c.Size != nil && *c.Size > float64(resp.BodySize) && resp.BodySize == 0:
		resp.Incomplete = fmt.Sprintf("not recorded (content.size is %.0f bytes, content.text is empty)", *c.Size)
	case c.Size != nil && *c.Size > float64(resp.BodySize):
		resp.Incomplete = fmt.Sprintf("cut short (content.size is %.0f bytes, content.text has %d)", *c.Size, resp.BodySize)
	case truncated(c.Comment) || truncated(hr.Comment):
		resp.Incomplete = "cut short (a comment says it was truncated)"
	}
	return resp
}

// truncated reports whether a recorder's comment says the body was
// truncated.
func truncated(comment string) bool {
	return strings.Contains(strings.ToLower(comment), "truncat")
}

// decodeText turns a recorded text that is already a Go string (a
// request's postData.text) into a body, as textValue does for a response:
// base64-decoded when encoding says so, at most max+1 bytes kept when max
// is positive. An error names the member that is wrong ("text",
// "encoding").
func decodeText(text, encoding string, max int) ([]byte, int64, error) {
	t := textValue{limit: max, set: true}
	t.write([]byte(text))
	b, err := t.body(encoding)
	return b.kept, b.size, err
}

// keep returns at most max+1 bytes of s (all of it when max is not
// positive) and its length.
func keep(s string, max int) ([]byte, int64) {
	var b sink
	b.add([]byte(s), max)
	return b.kept, b.size
}

// textValue is a response's content.text as encoding/json decodes it:
// UnmarshalJSON gets the string's bytes from the decoder's buffer and
// keeps at most limit+1 bytes of it (all of it when limit is not
// positive) both as it is and base64-decoded, since the encoding member
// may come after the text. A large recorded body (a download) is never
// held whole, and base64 is checked to the end.
type textValue struct {
	limit int  // set before decoding
	set   bool // the member was a string
	bad   bool // the member was neither a string nor null
	plain sink
	b64   base64Sink
}

// UnmarshalJSON reads the JSON string in data, which encoding/json has
// already checked.
func (t *textValue) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	if len(data) < 2 || data[0] != '"' || data[len(data)-1] != '"' {
		t.bad = true
		return nil
	}
	t.set = true
	raw := data[1 : len(data)-1]
	var rb [utf8.UTFMax]byte
	for len(raw) > 0 {
		i := bytes.IndexByte(raw, '\\')
		if i < 0 {
			t.write(raw)
			break
		}
		t.write(raw[:i])
		raw = raw[i:]
		if len(raw) < 2 {
			t.bad = true
			return nil
		}
		var c byte
		switch raw[1] {
		case '"', '\\', '/':
			c = raw[1]
		case 'b':
			c = '\b'
		case 'f':
			c = '\f'
		case 'n':
			c = '\n'
		case 'r':
			c = '\r'
		case 't':
			c = '\t'
		case 'u':
			r, ok := hex4(raw[2:])
			if !ok {
				t.bad = true
				return nil
			}
			raw = raw[6:]
			if utf16.IsSurrogate(r) {
				// A pair makes one character; a lone half is U+FFFD, as
				// encoding/json decodes it.
				r2, ok := rune(0), false
				if len(raw) >= 6 && raw[0] == '\\' && raw[1] == 'u' {
					r2, ok = hex4(raw[2:])
				}
				if d := utf16.DecodeRune(r, r2); ok && d != utf8.RuneError {
					r, raw = d, raw[6:]
				} else {
					r = utf8.RuneError
				}
			}
			t.write(rb[:utf8.EncodeRune(rb[:], r)])
			continue
		default:
			t.bad = true
			return nil
		}
		t.write([]byte{c})
		raw = raw[2:]
	}
	return nil
}

// hex4 reads the four hex digits of a \u escape.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// write takes the next bytes of the unescaped text.
func (t *textValue) write(p []byte) {
	t.plain.add(p, t.limit)
	t.b64.write(p, t.limit)
}

// body returns the text as the encoding says; an error names the member
// that is wrong.
func (t *textValue) body(encoding string) (sink, error) {
	if t.bad {
		return sink{}, errors.New("text is not a string")
	}
	switch encoding {
	case "":
		return t.plain, nil
	case "base64":
		if err := t.b64.finish(t.limit); err != nil {
			return sink{}, fmt.Errorf("text is not base64: %v", err)
		}
		return t.b64.out, nil
	}
	return sink{}, fmt.Errorf("encoding %q: want base64 or none", cut(encoding))
}

// sink keeps the first bytes written to it and counts them all.
type sink struct {
	kept []byte
	size int64
}

// add keeps what fits in max+1 bytes (everything when max is not
// positive) and counts p.
func (s *sink) add(p []byte, max int) {
	s.size += int64(len(p))
	if max <= 0 {
		s.kept = append(s.kept, p...)
	} else if room := max + 1 - len(s.kept); room > 0 {
		s.kept = append(s.kept, p[:min(room, len(p))]...)
	}
}

// base64Sink decodes standard base64 (padded; CR and LF ignored, as
// base64.StdEncoding does) as it is written, into a sink, and remembers
// the first error; nothing is written after it.
type base64Sink struct {
	out     sink
	pending []byte // characters not decoded yet
	ended   bool   // a padded group was decoded: nothing may follow
	err     error
	buf     []byte
}

// base64Batch is how many characters are decoded at a time.
const base64Batch = 4096

func (b *base64Sink) write(p []byte, max int) {
	for len(p) > 0 && b.err == nil {
		if p[0] == '\r' || p[0] == '\n' {
			p = p[1:]
			continue
		}
		if b.ended {
			b.err = errors.New("data after the padding")
			return
		}
		n := min(len(p), base64Batch-len(b.pending))
		if i := bytes.IndexByte(p[:n], '\n'); i >= 0 {
			n = i
		}
		if i := bytes.IndexByte(p[:n], '\r'); i >= 0 {
			n = i
		}
		b.pending = append(b.pending, p[:n]...)
		p = p[n:]
		if len(b.pending) == base64Batch {
			b.flush(max)
		}
	}
}

// flush decodes the pending characters that make whole groups of four.
func (b *base64Sink) flush(max int) {
	n := len(b.pending) / 4 * 4
	if n == 0 {
		return
	}
	if b.buf == nil {
		b.buf = make([]byte, base64.StdEncoding.DecodedLen(base64Batch))
	}
	m, err := base64.StdEncoding.Decode(b.buf, b.pending[:n])
	if err != nil {
		b.err = err
		return
	}
	b.ended = b.pending[n-1] == '='
	b.out.add(b.buf[:m], max)
	b.pending = b.pending[:copy(b.pending, b.pending[n:])]
}

// finish decodes what is pending and says whether the text was base64.
func (b *base64Sink) finish(max int) error {
	if b.err == nil {
		b.flush(max)
	}
	if b.err == nil && len(b.pending) > 0 {
		b.err = errors.New("the last group has fewer than 4 characters")
	}
	return b.err
}
