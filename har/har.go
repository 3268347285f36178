// Package har reads the requests and responses recorded in an HTTP Archive
// (HAR 1.2) file: what browser developer tools, Playwright, Charles and
// mitmproxy save. It is the HAR counterpart of package httpfile: each
// entry's request comes out as a method, a target (the recorded URL),
// headers and a body, ready for validate.Engine.Validate, and its response
// as a status, headers and a body, ready for
// validate.Engine.ValidateResponse.
//
// A HAR file is one JSON document. The Reader walks it with a
// json.Decoder's tokens and decodes log.entries one entry at a time, so a
// file of any size is read in memory bounded by its largest entry (at
// most MaxEntryBytes); with MaxBodyBytes, at most that much of each body
// is kept.
//
// How an entry becomes a request:
//   - The URL is authoritative: queryString restates it and is not read.
//     A "#fragment" (never sent) is dropped.
//   - Headers are added in order, so a repeated header keeps every value.
//     HTTP/2 pseudo-headers (":authority", ":method", ":path", ":scheme"),
//     which Chromium records, restate the method and URL and are dropped.
//   - The body is postData.text. With "encoding": "base64" on postData (not
//     in HAR 1.2, but written by some recorders for binary bodies, as
//     HAR 1.2 does for response content) it is decoded; text that cannot
//     be is named in BodyError. Without text, form
//     params are encoded as application/x-www-form-urlencoded. An entry
//     without postData has no body. A body stored beside the HAR file
//     (postData._file) is named in BodyFile, not read.
//   - Started is startedDateTime, the instant the request was sent (see
//     Entry.Started for the forms read).
//
// How an entry's response becomes a Response (see its fields):
//   - Status and headers as recorded (pseudo-headers dropped). A status of
//     0 or less (Chromium writes 0, Playwright -1) is a request that got no
//     answer; Failure then says why when the recorder did (_error,
//     _failureText).
//   - The body is content.text, base64-decoded with "encoding": "base64".
//     HAR holds it decoded from any Content-Encoding, so that header does
//     not apply to it.
//   - Incomplete says why the body is not the whole body the response had:
//     no text (content "omit", a body stored beside the file with
//     "_file", named in BodyFile), text shorter than content.size, a comment that says it was
//     truncated, a failure the recorder noted after the answer began, or
//     content that cannot be decoded (an encoding other than base64, such
//     as "gzip", or text that is not base64). Such content is not an
//     error: it is as likely to be a static file's as one of the
//     operations', and the other entries are still read.
//
// The file must be UTF-8, as JSON is: encoding/json would silently turn a
// byte that is not into U+FFFD, so the Reader stops there with an *Error.
// A UTF-8 byte order mark at the start is skipped.
package har

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hwspec/compute/internal/safetext"
)

// Entry is the request of one entry of a HAR file.
type Entry struct {
	// Index is the entry's position in log.entries (its JSON pointer is
	// /log/entries/Index).
	Index int
	// Line and Column are the 1-based position of the entry's "{" in the
	// file.
	Line, Column int
	Method       string
	// URL is the request URL as recorded, without a fragment.
	URL    string
	Header http.Header
	// Body is the request body (nil when none was recorded).
	Body []byte
	// BodyFile is the name of the file beside the HAR file that holds the
	// request body (postData._file: Playwright's content "attach"), or "".
	// The Reader reads only the HAR: Body is then nil.
	BodyFile string
	// BodyError says why postData cannot be decoded (an encoding other
	// than base64, text that is not base64), naming the member; Body is
	// then nil. It is not an error of the file: the entry may be one that
	// is not validated at all (an upload to another service).
	BodyError string
	// BodySize is the request body's length before a Reader with
	// MaxBodyBytes cut Body (len(Body) when it did not).
	BodySize int64
	// Started is when the request was sent (startedDateTime); zero when
	// the entry has none in RFC 3339 form (or ISO 8601 with an offset
	// without a colon, as Java recorders write it).
	Started time.Time
	// Response is the entry's response; nil when the entry has none.
	Response *Response
}

// Error is a HAR file that cannot be read: not JSON, not a HAR, or an
// entry that is malformed or larger than MaxEntryBytes. Line and Column
// (1-based; 0 when unknown) say where.
type Error struct {
	Line, Column int
	Msg          string
}

func (e *Error) Error() string {
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// DefaultMaxEntryBytes is the default of Reader.MaxEntryBytes.
const DefaultMaxEntryBytes = 64 << 20

// Reader reads the entries of a HAR file one at a time.
type Reader struct {
	// MaxEntryBytes bounds the bytes of one entry (response included) and
	// of any other member of log; a larger one is an *Error, since JSON
	// cannot be resumed after a value that was not read. Record without
	// response bodies (Playwright: recordHar content "omit") when that
	// bites.
	MaxEntryBytes int64
	// MaxBodyBytes, when positive, bounds the bytes of a request or
	// response body that are kept: a longer body is cut to its first
	// MaxBodyBytes+1 bytes (so that a check can tell it is too long), and
	// BodySize keeps its length.
	MaxBodyBytes int

	src     *posReader
	dec     *json.Decoder
	state   int
	n       int // entries returned
	entries bool
	err     error // sticky
	// decodeStart is the offset where a value that failed to decode
	// started (-1 when the error is not a value's).
	decodeStart int64
	// scanned counts the bytes the decoder scanned as values (keys
	// included): the offset of a value's syntax error counts from there.
	scanned int64
	// reading names the member being skipped, for an error ("" when an
	// entry, a key or a delimiter is read).
	reading string
}

// The reader's states: before the document, in log, in log.entries,
// after log.
const (
	start = iota
	inLog
	inEntries
	done
)

// NewReader returns a Reader of src.
func NewReader(src io.Reader) *Reader {
	p := &posReader{r: src, lastNLBeforeChunk: -1}
	dec := json.NewDecoder(p)
	return &Reader{MaxEntryBytes: DefaultMaxEntryBytes, src: p, dec: dec, decodeStart: -1}
}

var (
	errTooLarge = errors.New("too large")
	errNotHAR   = errors.New(`not a HAR file: want a JSON object {"log": {"entries": [...]}}`)
)

// Next returns the next entry's request. It returns io.EOF after the last
// one, and an *Error when the file cannot be read further; the entries
// before it are returned first. Errors of the underlying reader are
// returned as they are.
func (r *Reader) Next() (*Entry, error) {
	if r.err != nil {
		return nil, r.err
	}
	e, err := r.next()
	switch {
	case err != nil:
		r.err = r.wrap(err)
		return nil, r.err
	case e == nil:
		r.err = io.EOF
		return nil, r.err
	}
	r.n++
	return e, nil
}

// wrap turns a decoding error into an *Error at the current position.
func (r *Reader) wrap(err error) error {
	var he *Error
	if errors.As(err, &he) {
		return he
	}
	var read *readError
	if errors.As(err, &read) {
		return read.err
	}
	line, col := r.src.pos(r.dec.InputOffset())
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		// A token's error is at the file's offset of the byte; a value's
		// after the byte, counted from the first value's start.
		at := syn.Offset
		if r.decodeStart >= 0 {
			at = r.decodeStart + syn.Offset - r.scanned - 1
		}
		if l, c := r.src.pos(at); l > 0 {
			line, col = l, c
		}
	}
	switch {
	case errors.Is(err, errTooLarge):
		if l, c := r.src.watched(); l > 0 { // the value's start
			line, col = l, c
		}
		if r.reading != "" {
			return &Error{Line: line, Column: col, Msg: fmt.Sprintf("%s is larger than %d bytes", cut(r.reading), r.MaxEntryBytes)}
		}
		return &Error{Line: line, Column: col, Msg: fmt.Sprintf("entry %d or a member of log is larger than %d bytes", r.n, r.MaxEntryBytes)}
	case err == io.ErrUnexpectedEOF || err == io.EOF:
		return &Error{Line: line, Column: col, Msg: "unexpected end of the file"}
	case syn != nil:
		return &Error{Line: line, Column: col, Msg: "not JSON: " + syn.Error()}
	}
	return &Error{Line: line, Column: col, Msg: err.Error()}
}

// next returns the next entry, or nil after the last one.
func (r *Reader) next() (*Entry, error) {
	for {
		switch r.state {
		case start:
			if err := r.delim('{'); err != nil {
				return nil, err
			}
			if err := r.member("log"); err != nil {
				return nil, err
			}
			if err := r.delim('{'); err != nil {
				return nil, err
			}
			r.state = inLog
		case inLog:
			if !r.dec.More() {
				if _, err := r.dec.Token(); err != nil { // log's "}"
					return nil, err
				}
				if !r.entries {
					line, col := r.src.pos(r.dec.InputOffset() - 1)
					return nil, &Error{Line: line, Column: col, Msg: `not a HAR file: log has no "entries"`}
				}
				r.state = done
				continue
			}
			key, err := r.key()
			if err != nil {
				return nil, err
			}
			if key != "entries" {
				if err := r.skip("log." + key); err != nil {
					return nil, err
				}
				continue
			}
			if r.entries {
				return nil, r.errorHere(`log has "entries" twice`)
			}
			r.entries = true
			if err := r.delim('['); err != nil {
				return nil, err
			}
			r.state = inEntries
		case inEntries:
			if r.dec.More() {
				return r.entry()
			}
			if _, err := r.dec.Token(); err != nil { // "]"
				return nil, err
			}
			r.state = inLog
		case done:
			// Whatever follows log in the document is not read: the
			// entries are all there is to validate.
			return nil, nil
		}
	}
}

// delim reads the delimiter want.
func (r *Reader) delim(want json.Delim) error {
	tok, err := r.token(false)
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return errNotHAR
	}
	return nil
}

// member reads object keys, skipping the values of the others, up to key.
func (r *Reader) member(want string) error {
	for r.dec.More() {
		key, err := r.key()
		if err != nil {
			return err
		}
		if key == want {
			return nil
		}
		if err := r.skip(key); err != nil {
			return err
		}
	}
	return errNotHAR
}

func (r *Reader) key() (string, error) {
	tok, err := r.token(true)
	if err != nil {
		return "", err
	}
	key, ok := tok.(string)
	if !ok {
		return "", errNotHAR
	}
	return key, nil
}

// token reads a token: an object key when key is set. Token reads a key
// or a value other than a delimiter as a value, and counts its bytes as
// one (see value).
func (r *Reader) token(key bool) (json.Token, error) {
	r.src.mark(r.MaxEntryBytes)
	// Token skips white space before it scans a value, Decode does not.
	start, c := r.src.firstNonSpace(r.start())
	asValue := c == '"' || !key && !strings.ContainsRune("{}[],:", rune(c))
	tok, err := r.dec.Token()
	switch {
	case err != nil && asValue:
		r.decodeStart = start
	case asValue:
		r.scanned += r.dec.InputOffset() - start
	}
	return tok, err
}

// start skips white space up to the next token and returns the offset
// where the decoder will scan it: after the "," or ":" before it.
func (r *Reader) start() int64 {
	r.dec.More()
	at := r.dec.InputOffset()
	if c, ok := r.src.byteAt(at); ok && (c == ',' || c == ':') {
		at++
	}
	return at
}

func (r *Reader) errorHere(msg string) error {
	line, col := r.src.pos(r.dec.InputOffset())
	return &Error{Line: line, Column: col, Msg: msg}
}

// skip reads the value of the member name and forgets it.
func (r *Reader) skip(name string) error {
	r.src.mark(r.MaxEntryBytes)
	r.src.watch(r.start())
	r.reading = name
	var v json.RawMessage
	if err := r.value(&v); err != nil {
		return err // r.reading names it in the error
	}
	r.reading = ""
	return nil
}

// value decodes one value into v, keeping count of the bytes the decoder
// scans as values: a value's syntax error counts its offset from the first
// value's start, not from the file's.
func (r *Reader) value(v any) error {
	start := r.start()
	if err := r.dec.Decode(v); err != nil {
		var syn *json.SyntaxError
		// A missing "," or ":" before the value is reported at the
		// file's offset.
		if !errors.As(err, &syn) || !strings.HasPrefix(syn.Error(), "expected ") {
			r.decodeStart = start
		}
		return err
	}
	r.scanned += r.dec.InputOffset() - start
	return nil
}

// harEntry is the part of an entry that is read: its request and
// response.
type harEntry struct {
	StartedDateTime string `json:"startedDateTime"`
	Request         *struct {
		Method   string      `json:"method"`
		URL      string      `json:"url"`
		Headers  []nameValue `json:"headers"`
		PostData *struct {
			Text     *string     `json:"text"`
			Encoding string      `json:"encoding"`
			Params   []nameValue `json:"params"`
			File     string      `json:"_file"` // Playwright's content: "attach"
		} `json:"postData"`
	} `json:"request"`
	Response harResponse `json:"response"`
}

type nameValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// entry decodes the next entry of log.entries.
func (r *Reader) entry() (*Entry, error) {
	r.src.mark(r.MaxEntryBytes)
	r.src.watch(r.start())
	var he harEntry
	he.Response.Content.Text.limit = r.MaxBodyBytes
	err := r.value(&he)
	line, col := r.src.watched()
	bad := func(format string, args ...any) error {
		return &Error{Line: line, Column: col, Msg: fmt.Sprintf("entry %d: ", r.n) + fmt.Sprintf(format, args...)}
	}
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typeErr):
		return nil, bad("%v", err)
	case err != nil:
		return nil, err
	}
	req := he.Request
	if req != nil {
		// A fragment is never sent; a URL that is only one ("#top") names
		// no request.
		if i := strings.IndexByte(req.URL, '#'); i >= 0 {
			req.URL = req.URL[:i]
		}
	}
	switch {
	case req == nil:
		return nil, bad("no request")
	case req.Method == "":
		return nil, bad("request has no method")
	case req.URL == "":
		return nil, bad("request has no url")
	}
	e := &Entry{Index: r.n, Line: line, Column: col, Method: req.Method, URL: req.URL, Header: http.Header{}}
	e.Started = started(he.StartedDateTime)
	addHeaders(e.Header, req.Headers)
	if pd := req.PostData; pd != nil {
		switch {
		case pd.File != "" && (pd.Text == nil || *pd.Text == "") && len(pd.Params) == 0:
			e.BodyFile = pd.File
		case pd.Text != nil && *pd.Text != "" || len(pd.Params) == 0:
			text := ""
			if pd.Text != nil {
				text = *pd.Text
			}
			body, size, err := decodeText(text, pd.Encoding, r.MaxBodyBytes)
			if err != nil {
				e.BodyError = fmt.Sprintf("request.postData.%v", err)
				break
			}
			e.Body, e.BodySize = body, size
		default:
			form := url.Values{}
			for _, p := range pd.Params {
				form.Add(p.Name, p.Value)
			}
			e.Body, e.BodySize = keep(form.Encode(), r.MaxBodyBytes)
		}
		if len(e.Body) == 0 {
			e.Body = nil
		}
	}
	if he.Response.Status != nil {
		e.Response = he.Response.response()
	}
	return e, nil
}

// startedLayouts are the forms of startedDateTime that are read: RFC 3339
// (HAR 1.2's ISO 8601 as browsers, Playwright, Fiddler and mitmproxy write
// it, with any number of fraction digits), and ISO 8601 with an offset
// without a colon, as Java recorders write it (BrowserMob Proxy:
// "2026-11-29T13:16:44.985+0800").
var startedLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700"}

// started reads a startedDateTime; zero when it is in none of
// startedLayouts.
func started(s string) time.Time {
	for _, layout := range startedLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// addHeaders adds recorded headers in order, so that a repeated one keeps
// every value, and drops HTTP/2 pseudo-headers.
func addHeaders(h http.Header, headers []nameValue) {
	for _, nv := range headers {
		if strings.HasPrefix(nv.Name, ":") {
			continue
		}
		h.Add(nv.Name, nv.Value)
	}
}

// cut shortens a string from the file for a message, at a character
// boundary.
func cut(s string) string { return safetext.Clip(s, 40) }

// readError carries an error of the underlying reader through the
// decoder, so that it is returned as it is.
type readError struct{ err error }

func (e *readError) Error() string { return e.err.Error() }

// chunkSize bounds each read, so that what the decoder has read beyond a
// value it returned is in the last chunk, which posReader keeps.
const chunkSize = 16 << 10

// posReader counts lines as the decoder reads and keeps the last chunk it
// handed out, so that the line and column of an offset in that chunk can
// be told; it also fails a read that would take one value past a limit.
type posReader struct {
	r                 io.Reader
	off               int64 // bytes handed out
	lines             int   // newlines handed out
	chunk             []byte
	chunkStart        int64
	linesBeforeChunk  int
	lastNLBeforeChunk int64 // offset of the last newline before chunk, or -1
	limit             int64 // off may not pass it (0: no limit)
	start             startPos
	err               error  // sticky: bytes that are not UTF-8
	held              []byte // the start of a character cut by the last read
	begun             bool   // a byte order mark at the start is skipped
}

// mark limits what may be read from the current point on to max bytes
// more than the decoder has already read: the value about to be decoded
// and what is read with it are then at most that long.
func (p *posReader) mark(max int64) {
	p.start = startPos{}
	if max > 0 {
		p.limit = p.off + max
	}
}

func (p *posReader) Read(b []byte) (int, error) {
	if p.err != nil {
		return 0, p.err // the decoder does not keep a read error
	}
	if len(b) > chunkSize {
		b = b[:chunkSize]
	}
	if p.limit > 0 {
		if p.off >= p.limit {
			return 0, errTooLarge
		}
		if room := p.limit - p.off; int64(len(b)) > room {
			b = b[:room]
		}
	}
	// Bytes of a character cut by the last read come first.
	k := copy(b, p.held)
	p.held = p.held[:copy(p.held, p.held[k:])]
	var n int
	var err error
	if k < len(b) {
		n, err = p.r.Read(b[k:])
	}
	n += k
	if err == nil {
		cut := cutRune(b[:n])
		p.held = append(p.held, b[n-cut:n]...)
		n -= cut
	}
	if !p.begun && n > 0 {
		p.begun = true
		if bytes.HasPrefix(b[:n], []byte(bom)) {
			n = copy(b, b[len(bom):n])
		}
	}
	if n > 0 {
		if i := bytes.LastIndexByte(p.chunk, '\n'); i >= 0 {
			p.lastNLBeforeChunk = p.chunkStart + int64(i)
		}
		p.linesBeforeChunk = p.lines
		p.chunkStart = p.off
		p.chunk = append(p.chunk[:0], b[:n]...)
		p.lines += bytes.Count(b[:n], []byte{'\n'})
		p.off += int64(n)
		if p.start.pending {
			p.watch(p.chunkStart)
		}
		if i := invalidUTF8(b[:n]); i >= 0 {
			line, col := p.pos(p.chunkStart + int64(i))
			p.err = &Error{Line: line, Column: col, Msg: "not UTF-8 (a HAR file is JSON, which is UTF-8)"}
			return 0, p.err
		}
	}
	if err != nil && err != io.EOF {
		err = &readError{err}
	}
	return n, err
}

// bom is the UTF-8 byte order mark some tools write at the start of a file.
const bom = "\ufeff"

// cutRune returns how many bytes at the end of b begin a UTF-8 character
// that b does not hold whole (0 to 3).
func cutRune(b []byte) int {
	for i := 1; i <= utf8.UTFMax-1 && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < utf8.RuneSelf {
			return 0
		}
		if utf8.RuneStart(c) {
			if utf8.FullRune(b[len(b)-i:]) {
				return 0
			}
			return i
		}
	}
	return 0
}

// invalidUTF8 returns the index of the first byte of b that is not UTF-8,
// or -1.
func invalidUTF8(b []byte) int {
	if utf8.Valid(b) {
		return -1
	}
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}

// pos returns the 1-based line and column of offset x, which must not be
// before the last chunk (0, 0 when it is).
func (p *posReader) pos(x int64) (line, col int) {
	if x < p.chunkStart || x > p.off {
		return 0, 0
	}
	head := p.chunk[:x-p.chunkStart]
	last := p.lastNLBeforeChunk
	if i := bytes.LastIndexByte(head, '\n'); i >= 0 {
		last = p.chunkStart + int64(i)
	}
	return p.linesBeforeChunk + bytes.Count(head, []byte{'\n'}) + 1, int(x - last)
}

// byteAt returns the byte at offset x when it is in the last chunk.
func (p *posReader) byteAt(x int64) (byte, bool) {
	if x < p.chunkStart || x >= p.off {
		return 0, false
	}
	return p.chunk[x-p.chunkStart], true
}

// firstNonSpace returns the first byte from offset x on that is not white
// space and its offset, or 0 when it is not in the last chunk.
func (p *posReader) firstNonSpace(x int64) (int64, byte) {
	for ; x >= p.chunkStart && x < p.off; x++ {
		switch c := p.chunk[x-p.chunkStart]; c {
		case ' ', '\t', '\r', '\n':
		default:
			return x, c
		}
	}
	return x, 0
}

// watch notes the position of the first byte from offset x on that is not
// white space (a value's start): now when it is in the last chunk,
// otherwise from the next read that holds it.
func (p *posReader) watch(x int64) {
	p.start = startPos{}
	at, c := p.firstNonSpace(x)
	if c == 0 {
		p.start.pending = true
		return
	}
	p.start.line, p.start.col = p.pos(at)
}

// watched returns the position watch noted (0, 0 if none).
func (p *posReader) watched() (line, col int) { return p.start.line, p.start.col }

// startPos is a value's start that watch looks for.
type startPos struct {
	pending   bool // not read yet: the next chunks are looked at
	line, col int
}
