package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"

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
// control characters and U+2028/U+2029; DEL and the C1 controls are
// escaped as well (\u007f, \u0085), so that no control character is ever
// printed raw by any format.
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

// escapeRawControls appends b to dst with DEL (0x7f) and the C1 controls
// (U+0080 to U+009F, encoded C2 80 to C2 9F) written as \u escapes. They
// can only occur inside JSON strings, where the escape means the same.
func escapeRawControls(dst, b []byte) []byte {
	const hex = "0123456789abcdef"
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == 0x7f:
			dst = append(dst, `\u007f`...)
		case c == 0xc2 && i+1 < len(b) && b[i+1] >= 0x80 && b[i+1] <= 0x9f:
			dst = append(dst, '\\', 'u', '0', '0', hex[b[i+1]>>4], hex[b[i+1]&0xf])
			i++
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
