// Package peek reads the first bytes of an HTTP response's body for a check
// and puts them back, so that whoever reads the body next reads it as it
// was, bytes and read error alike. The response checks of
// validate.NewTransport and of the client share it.
package peek

import (
	"bytes"
	"io"
	"net/http"
)

// Response reads resp.Body up to limit+1 bytes and replaces it with a body
// that reads those bytes, then the error the read met if any, then the
// rest; closing it closes the original body. head is what was read; ok is
// false when the body is longer than limit or failed to read (head is then
// not the whole body). A nil body or http.NoBody is left as it is: (nil,
// true).
func Response(resp *http.Response, limit int) (head []byte, ok bool) {
	if resp.Body == nil || resp.Body == http.NoBody {
		return nil, true
	}
	head, err := io.ReadAll(io.LimitReader(resp.Body, int64(limit)+1))
	rest := resp.Body
	resp.Body = readCloser{io.MultiReader(bytes.NewReader(head), errReader{err}, rest), rest}
	return head, err == nil && len(head) <= limit
}

// readCloser reads from one reader and closes another.
type readCloser struct {
	io.Reader
	io.Closer
}

// errReader returns its error, or io.EOF for none, so that an error met
// while peeking reaches the reader at the same place (and again on every
// later read, as a failed read does).
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) {
	if r.err == nil {
		return 0, io.EOF
	}
	return 0, r.err
}
