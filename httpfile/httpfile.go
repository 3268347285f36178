// Package httpfile reads .http files: one or more HTTP requests written as
// text, the format of the JetBrains and VS Code REST clients.
//
// A file holds requests separated by lines starting with "###" (the rest of
// such a line is the next request's title). Each request is an optional block
// of comment lines ("#" or "//"), a request line "METHOD target [HTTP/x.y]",
// header lines "Name: value", a blank line, and the body up to the next
// separator. Comments directly inside the header block are skipped.
// Positions (1-based lines) are kept so that findings can point into the file.
package httpfile

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Request is one request of a .http file.
type Request struct {
	// Index is the 0-based position of the request in its file.
	Index int
	// Title is the text after the "###" separator that opens the request.
	Title string
	// Comments are the comment lines before the request line, without the
	// comment marker and surrounding space.
	Comments []string
	Method   string
	// Target is the request target as written (path and query, or an
	// absolute URL).
	Target string
	Header http.Header
	// Body is the body from its first non-blank line, without trailing
	// white space; line and column positions within it map onto the file
	// from BodyLine.
	Body []byte
	// BodySize is the length of the whole body; it is larger than
	// len(Body) only when a Reader with MaxBodyBytes cut the body.
	BodySize int64
	// Line is the line of the request line; BodyLine the first line of the
	// body (0 when there is none).
	Line     int
	BodyLine int
	// HeaderLines maps each header name (canonical form) to the line of its
	// first occurrence.
	HeaderLines map[string]int
}

// Error is a syntax error at a line of a .http file.
type Error struct {
	Line int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// MaxLineBytes is the longest line accepted, except inside a body read
// with a MaxBodyBytes limit.
const MaxLineBytes = 4 << 20

// bom is the UTF-8 byte order mark some editors write at the start of a file.
const bom = "\ufeff"

// Parse reads every request of a .http file.
func Parse(data []byte) ([]Request, error) {
	var reqs []Request
	r := newReaderSize(bytes.NewReader(data), min(len(data)+1, readerSize))
	for {
		req, err := r.Next()
		if err == io.EOF {
			return reqs, nil
		}
		if err != nil {
			return nil, err
		}
		reqs = append(reqs, *req)
	}
}

// Reader reads the requests of a .http file one at a time, so that a file
// of any size is read in memory bounded by its longest request: one line
// (at most MaxLineBytes) and one body (at most MaxBodyBytes+1 bytes when
// that limit is set). A UTF-8 byte order mark at the start is skipped.
type Reader struct {
	// MaxBodyBytes, when positive, bounds the bytes of a body that are
	// kept: a longer body is cut to its first MaxBodyBytes+1 bytes (so that
	// a validator still sees it is too large), Request.BodySize says how
	// long it was, and its lines may be longer than MaxLineBytes.
	MaxBodyBytes int

	br     *bufio.Reader
	long   []byte // a line longer than br's buffer, assembled
	lineNo int
	state  int
	title  string
	notes  []string
	cur    *Request
	body   bodyBuf
	n      int   // requests returned
	err    error // sticky: io.EOF or the syntax error
}

// The reader's states: before a request line, in the header block, in a
// body.
const (
	preamble = iota
	headers
	inBody
)

// readerSize is the size of a Reader's buffer: lines up to it are read
// without copying.
const readerSize = 64 << 10

// NewReader returns a Reader of src. Its buffer is reused across Reset, so
// one Reader reads many files without allocating for each.
func NewReader(src io.Reader) *Reader { return newReaderSize(src, readerSize) }

func newReaderSize(src io.Reader, size int) *Reader {
	r := &Reader{br: bufio.NewReaderSize(src, size)}
	r.Reset(src)
	return r
}

// Reset makes r read src from its start, keeping its buffers (and
// MaxBodyBytes), so one Reader can read many files without allocating.
func (r *Reader) Reset(src io.Reader) {
	r.br.Reset(src)
	*r = Reader{MaxBodyBytes: r.MaxBodyBytes, br: r.br, long: r.long[:0], body: bodyBuf{buf: r.body.buf[:0]}}
}

// Next returns the next request. It returns io.EOF after the last one, and
// an *Error for a syntax error (or a file without a request); the requests
// before a syntax error are returned first.
func (r *Reader) Next() (*Request, error) {
	if r.err != nil {
		return nil, r.err
	}
	for {
		line, long, err := r.readLine()
		if err == io.EOF {
			if req := r.flush(); req != nil {
				return req, nil
			}
			r.err = io.EOF
			if r.n == 0 {
				r.err = &Error{Line: 1, Msg: "no request in the file"}
			}
			return nil, r.err
		}
		if err != nil {
			r.err = &Error{Line: r.lineNo, Msg: err.Error()}
			return nil, r.err
		}
		if long && (r.state != inBody || r.MaxBodyBytes <= 0 || bytes.HasPrefix(line, []byte("###"))) {
			r.err = &Error{Line: r.lineNo, Msg: fmt.Sprintf("line longer than %d bytes", MaxLineBytes)}
			return nil, r.err
		}
		if bytes.HasPrefix(line, []byte("###")) {
			req := r.flush()
			r.state = preamble
			r.title = strings.TrimSpace(strings.TrimLeft(string(line), "#"))
			r.notes = nil
			if req != nil {
				return req, nil
			}
			continue
		}
		if err := r.handle(line, long); err != nil {
			r.err = err
			return nil, err
		}
	}
}

// handle applies one line (not a separator) to the current request.
func (r *Reader) handle(line []byte, long bool) error {
	switch r.state {
	case preamble:
		trimmed := strings.TrimSpace(string(line))
		switch {
		case trimmed == "":
		case strings.HasPrefix(trimmed, "#"):
			r.notes = append(r.notes, strings.TrimSpace(strings.TrimPrefix(trimmed, "#")))
		case strings.HasPrefix(trimmed, "//"):
			r.notes = append(r.notes, strings.TrimSpace(strings.TrimPrefix(trimmed, "//")))
		default:
			method, target, err := parseRequestLine(trimmed)
			if err != nil {
				return &Error{Line: r.lineNo, Msg: err.Error()}
			}
			r.cur = &Request{Index: r.n, Title: r.title, Comments: r.notes, Method: method, Target: target, Header: http.Header{}, HeaderLines: map[string]int{}, Line: r.lineNo}
			r.title, r.notes = "", nil
			r.state = headers
		}
	case headers:
		trimmed := bytes.TrimSpace(line)
		switch {
		case len(trimmed) == 0:
			r.state = inBody
			r.body.reset(r.MaxBodyBytes)
		case bytes.HasPrefix(trimmed, []byte("#")) || bytes.HasPrefix(trimmed, []byte("//")):
		default:
			name, value, ok := strings.Cut(string(line), ":")
			name = strings.TrimSpace(name)
			if !ok || name == "" || strings.ContainsAny(name, " \t") {
				return &Error{Line: r.lineNo, Msg: fmt.Sprintf("want a header line \"Name: value\", got %q", truncate(string(line)))}
			}
			r.cur.Header.Add(name, strings.TrimSpace(value))
			if canonical := http.CanonicalHeaderKey(name); r.cur.HeaderLines[canonical] == 0 {
				r.cur.HeaderLines[canonical] = r.lineNo
			}
		}
	case inBody:
		if r.cur.BodyLine == 0 && (long || len(bytes.TrimSpace(line)) != 0) {
			r.cur.BodyLine = r.lineNo
		}
		if r.cur.BodyLine != 0 {
			r.body.line(line)
			if long {
				return r.restOfLine()
			}
		}
	}
	return nil
}

// flush ends the current request and returns it (nil when there is none).
func (r *Reader) flush() *Request {
	req := r.cur
	if req == nil {
		return nil
	}
	req.Body, req.BodySize = r.body.finish()
	if len(req.Body) == 0 {
		req.Body, req.BodyLine = nil, 0
	}
	r.cur = nil
	r.n++
	return req
}

// readLine returns the next line without its line ending ("\n", "\r\n",
// and one more "\r" as bufio.ScanLines and the old parser dropped). The
// line is valid until the next read. A line longer than MaxLineBytes is
// returned cut at that length with long set; the rest is left unread for
// restOfLine.
func (r *Reader) readLine() (line []byte, long bool, err error) {
	r.long = r.long[:0]
	for {
		chunk, err := r.br.ReadSlice('\n')
		switch {
		case err == bufio.ErrBufferFull:
			r.long = append(r.long, chunk...)
			if len(r.long) >= MaxLineBytes {
				r.lineNo++
				return r.long[:MaxLineBytes], true, nil
			}
			continue
		case err == io.EOF && len(chunk) == 0 && len(r.long) == 0:
			return nil, false, io.EOF
		case err != nil && err != io.EOF:
			return nil, false, err
		}
		line = chunk
		if len(r.long) > 0 {
			r.long = append(r.long, chunk...)
			line = r.long
		}
		if len(line) > MaxLineBytes+1 || (len(line) == MaxLineBytes+1 && line[MaxLineBytes] != '\n') {
			r.lineNo++
			return line[:MaxLineBytes], true, nil
		}
		break
	}
	r.lineNo++
	if r.lineNo == 1 {
		line = bytes.TrimPrefix(line, []byte(bom))
	}
	line = bytes.TrimSuffix(line, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	return line, false, nil
}

// restOfLine adds the rest of a long body line to the body, in chunks.
func (r *Reader) restOfLine() error {
	rest := r.long[MaxLineBytes:] // what readLine read beyond the cut
	if len(rest) > 0 && rest[len(rest)-1] == '\n' {
		r.body.add(trimEOL(rest))
		return nil
	}
	r.body.add(rest)
	for {
		chunk, err := r.br.ReadSlice('\n')
		switch err {
		case nil:
			r.body.add(trimEOL(chunk))
			return nil
		case bufio.ErrBufferFull:
			r.body.add(chunk)
		case io.EOF:
			r.body.add(chunk)
			return nil
		default:
			return &Error{Line: r.lineNo, Msg: err.Error()}
		}
	}
}

func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	b = bytes.TrimSuffix(b, []byte("\r"))
	return bytes.TrimSuffix(b, []byte("\r"))
}

// bodyBuf collects a body's lines, joined by "\n", keeping at most max+1
// bytes when max is positive, and finds the end of its content (the body
// without trailing white space) as it goes. Its buffer is reused from body
// to body; finish copies the body out.
type bodyBuf struct {
	max        int
	buf        []byte
	size       int64 // bytes added
	contentEnd int64 // size up to the last byte that is not white space
	lines      int
}

func (b *bodyBuf) reset(max int) { *b = bodyBuf{max: max, buf: b.buf[:0]} }

// line adds a line, after a "\n" when it is not the first.
func (b *bodyBuf) line(p []byte) {
	if b.lines > 0 {
		b.add([]byte("\n"))
	}
	b.lines++
	b.add(p)
}

func (b *bodyBuf) add(p []byte) {
	for i := len(p) - 1; i >= 0; i-- {
		if c := p[i]; c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			b.contentEnd = b.size + int64(i) + 1
			break
		}
	}
	b.size += int64(len(p))
	if b.max > 0 {
		room := b.max + 1 - len(b.buf)
		if room <= 0 {
			return
		}
		if len(p) > room {
			p = p[:room]
		}
	}
	b.buf = append(b.buf, p...)
}

// finish returns a copy of the body without trailing white space (cut at
// max+1 bytes) and its whole size.
func (b *bodyBuf) finish() ([]byte, int64) {
	body, size := b.buf, b.contentEnd
	if int64(len(body)) > size {
		body = body[:size]
	}
	var out []byte
	if len(body) > 0 {
		out = append(make([]byte, 0, len(body)), body...)
	}
	b.reset(b.max)
	return out, size
}

func parseRequestLine(line string) (method, target string, err error) {
	fields := strings.Fields(line)
	if len(fields) < 2 || len(fields) > 3 {
		return "", "", fmt.Errorf("want a request line \"METHOD /path HTTP/1.1\", got %q", truncate(line))
	}
	method = fields[0]
	for _, r := range method {
		if r < 'A' || r > 'Z' {
			return "", "", fmt.Errorf("method %q: want an upper-case HTTP method", truncate(method))
		}
	}
	if len(fields) == 3 && !strings.HasPrefix(fields[2], "HTTP/") {
		return "", "", fmt.Errorf("want HTTP/x.y after the target, got %q", truncate(fields[2]))
	}
	return method, fields[1], nil
}

func truncate(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}
