package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/hwspec/compute/internal/safetext"
	"github.com/hwspec/compute/validate"
)

// jsonWriter writes the report as one indented JSON document,
// {"results":[...],"summary":{...}}, one result at a time. Results without
// findings carry an empty errors list, never null.
type jsonWriter struct {
	bw  *bufio.Writer
	enc *indentEncoder
	n   int
}

func newJSON(w io.Writer) *jsonWriter {
	return &jsonWriter{bw: bufio.NewWriter(w), enc: newIndentEncoder()}
}

func (j *jsonWriter) Write(res Result) error {
	if res.Errors == nil {
		res.Errors = []validate.Finding{}
	}
	b, err := j.enc.encode(res, "    ")
	if err != nil {
		return err
	}
	if j.n == 0 {
		j.bw.WriteString("{\n  \"results\": [\n    ")
	} else {
		j.bw.WriteString(",\n    ")
	}
	j.n++
	_, err = j.bw.Write(b)
	return err
}

func (j *jsonWriter) Close(s Summary) error {
	if j.n == 0 {
		j.bw.WriteString("{\n  \"results\": [],\n")
	} else {
		j.bw.WriteString("\n  ],\n")
	}
	b, err := j.enc.encode(s, "  ")
	if err != nil {
		return err
	}
	j.bw.WriteString("  \"summary\": ")
	j.bw.Write(b)
	j.bw.WriteString("\n}\n")
	return j.bw.Flush()
}

// indentEncoder encodes values as encoding/json's Encoder with two-space
// indentation and without HTML escaping does, for writing a document
// piece by piece at a given depth. encoding/json already escapes C0
// control characters and U+2028/U+2029; DEL, the C1 controls and bidi
// controls are escaped as well (\u007f, \u0085, \u202e), so that no
// format ever prints them raw.
type indentEncoder struct {
	buf bytes.Buffer
	out []byte
}

func newIndentEncoder() *indentEncoder { return &indentEncoder{} }

// encode returns v encoded with prefix before every line but the first,
// without a trailing newline. The result is valid until the next call.
func (e *indentEncoder) encode(v any, prefix string) ([]byte, error) {
	e.buf.Reset()
	enc := json.NewEncoder(&e.buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	b := bytes.TrimSuffix(e.buf.Bytes(), []byte("\n"))
	e.out = escapeRawControls(e.out[:0], b)
	return e.out, nil
}

// escapeRawControls appends b to dst with the characters that Clean
// escapes and encoding/json leaves raw (DEL, the C1 controls, bidi
// controls, U+FEFF) written as \u escapes. They can only occur inside JSON
// strings, where the escape means the same; encoding/json has already made
// the text valid UTF-8.
func escapeRawControls(dst, b []byte) []byte {
	i := 0
	for i < len(b) && b[i] < 0x7f {
		i++
	}
	if i == len(b) {
		return append(dst, b...)
	}
	dst = append(dst, b[:i]...)
	for i < len(b) {
		if b[i] < 0x7f {
			dst = append(dst, b[i])
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if safetext.MustEscape(r, size) {
			dst = fmt.Appendf(dst, `\u%04x`, r)
		} else {
			dst = append(dst, b[i:i+size]...)
		}
		i += size
	}
	return dst
}
