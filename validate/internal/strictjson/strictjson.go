// Package strictjson is a strict JSON decoder for request bodies, and the
// scanner that finds where values are in a body. Decode builds the same
// values as encoding/json with UseNumber (map[string]any, []any, string,
// json.Number, bool, nil) but rejects what a generic decoder lets through
// and a server's own decoder may read differently: duplicate member names,
// invalid UTF-8, nesting deeper than a limit. Errors carry the byte offset
// and the JSON pointer of the offending member, never the input's text.
// Places finds the line and column of many JSON pointers in one scan.
//
// It uses the standard library only, so that the validate package's
// rules never reach into it; FuzzDecodeBody holds it to encoding/json.
package strictjson

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Kind is what is wrong with a body that cannot be decoded.
type Kind uint8

// The kinds of Error.
const (
	// Syntax: the body is not JSON.
	Syntax Kind = iota + 1
	// UTF8: a string is not valid UTF-8.
	UTF8
	// DuplicateKey: an object has a member name twice.
	DuplicateKey
	// Depth: objects and arrays are nested deeper than Options.MaxDepth.
	Depth
)

// Error is a body that cannot be decoded.
type Error struct {
	Kind Kind
	// Offset is the byte offset of the problem in the body.
	Offset int
	// Path holds the segments of the JSON pointer of where it happened,
	// unescaped, when known (nil for the root).
	Path []string
	// Msg says what is wrong. It never repeats the body's text, except a
	// duplicate member's name as Options.Quote quotes it.
	Msg string
}

func (e *Error) Error() string { return e.Msg }

// Options configure Decode.
type Options struct {
	// MaxDepth is the deepest nesting of objects and arrays accepted.
	MaxDepth int
	// Names interns member names: a member whose name (without escapes)
	// is a key gets the key's value as its name, so that the known names
	// of a body cost no allocation. Read-only; may be nil.
	Names map[string]string
	// Quote quotes a member name for a message (nil: strconv.Quote).
	Quote func(string) string
}

type decoder struct {
	data     []byte
	pos      int
	maxDepth int
	path     []string
	names    map[string]string
	quote    func(string) string
}

// Decode decodes a body. An error is always an *Error.
func Decode(data []byte, o Options) (any, error) {
	d := &decoder{data: data, maxDepth: o.MaxDepth, names: o.Names, quote: o.Quote}
	if d.quote == nil {
		d.quote = strconv.Quote
	}
	v, err := d.document()
	if err != nil {
		return nil, err
	}
	return v, nil
}

// skip moves past one value without building it.
func (d *decoder) skip() bool {
	depth := 0
	for d.pos < len(d.data) {
		switch c := d.data[d.pos]; c {
		case '"':
			if _, err := d.string(); err != nil {
				return false
			}
			if depth == 0 {
				return true
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth < 0 {
				return false
			}
			if depth == 0 {
				d.pos++
				return true
			}
		case ',', ':', ' ', '\t', '\n', '\r':
			if depth == 0 {
				return true
			}
		default:
			if depth == 0 {
				for d.pos < len(d.data) && !strings.ContainsRune(",}] \t\n\r", rune(d.data[d.pos])) {
					d.pos++
				}
				return true
			}
		}
		d.pos++
	}
	return depth == 0
}

func (d *decoder) document() (any, error) {
	d.space()
	v, err := d.value(0)
	if err != nil {
		return nil, err
	}
	d.space()
	if d.pos < len(d.data) {
		return nil, d.fail(Syntax, "unexpected data after the JSON value")
	}
	return v, nil
}

func (d *decoder) fail(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Offset: d.pos, Path: append([]string(nil), d.path...), Msg: fmt.Sprintf(format, args...)}
}

func (d *decoder) space() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *decoder) value(depth int) (any, error) {
	if d.pos >= len(d.data) {
		return nil, d.fail(Syntax, "the JSON value ends too early")
	}
	switch c := d.data[d.pos]; {
	case c == '{':
		return d.object(depth + 1)
	case c == '[':
		return d.array(depth + 1)
	case c == '"':
		return d.string()
	case c == 't':
		return true, d.literal("true")
	case c == 'f':
		return false, d.literal("false")
	case c == 'n':
		return nil, d.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number()
	default:
		return nil, d.fail(Syntax, "expected a JSON value")
	}
}

func (d *decoder) literal(word string) error {
	if len(d.data)-d.pos < len(word) || string(d.data[d.pos:d.pos+len(word)]) != word {
		return d.fail(Syntax, "expected a JSON value (a misspelt %s?)", word)
	}
	d.pos += len(word)
	return nil
}

func (d *decoder) object(depth int) (any, error) {
	if depth > d.maxDepth {
		return nil, d.fail(Depth, "objects and arrays are nested deeper than %d levels", d.maxDepth)
	}
	d.pos++ // {
	obj := map[string]any{}
	d.space()
	if d.pos < len(d.data) && d.data[d.pos] == '}' {
		d.pos++
		return obj, nil
	}
	for {
		d.space()
		if d.pos >= len(d.data) || d.data[d.pos] != '"' {
			return nil, d.fail(Syntax, "expected a member name in double quotes")
		}
		keyAt := d.pos
		key, err := d.memberName()
		if err != nil {
			return nil, err
		}
		if _, dup := obj[key]; dup {
			d.pos = keyAt
			d.path = append(d.path, key)
			err := d.fail(DuplicateKey, "member %s appears twice; a server may read either value", d.quote(key))
			d.path = d.path[:len(d.path)-1]
			return nil, err
		}
		d.space()
		if d.pos >= len(d.data) || d.data[d.pos] != ':' {
			return nil, d.fail(Syntax, "expected ':' after a member name")
		}
		d.pos++
		d.space()
		d.path = append(d.path, key)
		v, err := d.value(depth)
		if err != nil {
			return nil, err
		}
		d.path = d.path[:len(d.path)-1]
		obj[key] = v
		if done, err := d.separator('}', "object", "an object member"); done || err != nil {
			return obj, err
		}
	}
}

// separator reads what follows a member or an item: ',' when more follow,
// or the closing bracket.
func (d *decoder) separator(closing byte, container, item string) (done bool, err error) {
	d.space()
	if d.pos >= len(d.data) {
		return false, d.fail(Syntax, "the %s is not closed", container)
	}
	switch d.data[d.pos] {
	case ',':
		d.pos++
		return false, nil
	case closing:
		d.pos++
		return true, nil
	}
	return false, d.fail(Syntax, "expected ',' or '%c' after %s", closing, item)
}

func (d *decoder) array(depth int) (any, error) {
	if depth > d.maxDepth {
		return nil, d.fail(Depth, "objects and arrays are nested deeper than %d levels", d.maxDepth)
	}
	d.pos++ // [
	arr := []any{}
	d.space()
	if d.pos < len(d.data) && d.data[d.pos] == ']' {
		d.pos++
		return arr, nil
	}
	for i := 0; ; i++ {
		d.space()
		d.path = append(d.path, strconv.Itoa(i))
		v, err := d.value(depth)
		if err != nil {
			return nil, err
		}
		d.path = d.path[:len(d.path)-1]
		arr = append(arr, v)
		if done, err := d.separator(']', "array", "an array item"); done || err != nil {
			return arr, err
		}
	}
}

// memberName decodes a member name, taking it from the intern table when
// it is a known name without escapes.
func (d *decoder) memberName() (string, error) {
	start := d.pos + 1
	for i := start; i < len(d.data) && d.names != nil; i++ {
		c := d.data[i]
		if c == '"' {
			if name, ok := d.names[string(d.data[start:i])]; ok {
				d.pos = i + 1
				return name, nil
			}
			break
		}
		if c == '\\' || c < 0x20 || c >= 0x80 {
			break
		}
	}
	k, err := d.string()
	if err != nil {
		return "", err
	}
	return k.(string), nil
}

// string decodes a JSON string at d.pos (on the opening quote).
func (d *decoder) string() (any, error) {
	start := d.pos + 1
	// Fast path: no escapes, valid UTF-8.
	for i := start; i < len(d.data); i++ {
		c := d.data[i]
		switch {
		case c == '"':
			s := d.data[start:i]
			if !utf8.Valid(s) {
				return nil, d.fail(UTF8, "a string is not valid UTF-8")
			}
			d.pos = i + 1
			return string(s), nil
		case c == '\\':
			return d.escapedString(start)
		case c < 0x20:
			d.pos = i
			return nil, d.fail(Syntax, "a control character must be escaped inside a string")
		}
	}
	d.pos = len(d.data)
	return nil, d.fail(Syntax, "a string is not closed")
}

func (d *decoder) escapedString(start int) (any, error) {
	buf := make([]byte, 0, 32)
	i := start
	for i < len(d.data) {
		c := d.data[i]
		switch {
		case c == '"':
			if !utf8.Valid(buf) {
				d.pos = i
				return nil, d.fail(UTF8, "a string is not valid UTF-8")
			}
			d.pos = i + 1
			return string(buf), nil
		case c < 0x20:
			d.pos = i
			return nil, d.fail(Syntax, "a control character must be escaped inside a string")
		case c != '\\':
			buf = append(buf, c)
			i++
			continue
		}
		if i+1 >= len(d.data) {
			break
		}
		switch e := d.data[i+1]; e {
		case '"', '\\', '/':
			buf = append(buf, e)
			i += 2
		case 'b':
			buf, i = append(buf, '\b'), i+2
		case 'f':
			buf, i = append(buf, '\f'), i+2
		case 'n':
			buf, i = append(buf, '\n'), i+2
		case 'r':
			buf, i = append(buf, '\r'), i+2
		case 't':
			buf, i = append(buf, '\t'), i+2
		case 'u':
			r, ok := hex4(d.data, i+2)
			if !ok {
				d.pos = i
				return nil, d.fail(Syntax, `\u must be followed by four hex digits`)
			}
			i += 6
			if utf16.IsSurrogate(r) {
				r2, ok := rune(0), false
				if i+1 < len(d.data) && d.data[i] == '\\' && d.data[i+1] == 'u' {
					r2, ok = hex4(d.data, i+2)
				}
				if dec := utf16.DecodeRune(r, r2); ok && dec != utf8.RuneError {
					r, i = dec, i+6
				} else {
					r = utf8.RuneError
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			d.pos = i
			return nil, d.fail(Syntax, "invalid escape sequence in a string")
		}
	}
	d.pos = len(d.data)
	return nil, d.fail(Syntax, "a string is not closed")
}

func hex4(b []byte, at int) (rune, bool) {
	if at+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[at : at+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// number scans a JSON number and keeps its text, as UseNumber does.
func (d *decoder) number() (any, error) {
	start := d.pos
	i := d.pos
	if d.data[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(d.data) && d.data[i] >= '0' && d.data[i] <= '9' {
			i++
			n++
		}
		return n
	}
	switch {
	case i < len(d.data) && d.data[i] == '0':
		i++
	case digits() == 0:
		d.pos = i
		return nil, d.fail(Syntax, "invalid number")
	}
	if i < len(d.data) && d.data[i] == '.' {
		i++
		if digits() == 0 {
			d.pos = i
			return nil, d.fail(Syntax, "invalid number: digits must follow '.'")
		}
	}
	if i < len(d.data) && (d.data[i] == 'e' || d.data[i] == 'E') {
		i++
		if i < len(d.data) && (d.data[i] == '+' || d.data[i] == '-') {
			i++
		}
		if digits() == 0 {
			d.pos = i
			return nil, d.fail(Syntax, "invalid number: digits must follow the exponent")
		}
	}
	d.pos = i
	return json.Number(d.data[start:i]), nil
}
