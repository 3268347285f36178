package report

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean makes s safe to print on one line of a log or terminal: control
// characters (C0, DEL, C1), line and paragraph separators (U+2028, U+2029),
// bidirectional-text controls, the zero-width no-break space and bytes that
// are not UTF-8 are written as Go-style escapes (\n, \x1b, \u2028, \xff).
// Everything else, backslashes included, is kept as it is, so ordinary
// names and messages read unchanged. Every human-readable output (text,
// github, stderr) passes file names, pointers, parameter names and messages
// through Clean: a name from a request can then neither start a new line
// nor carry a terminal escape sequence.
func Clean(s string) string {
	i := 0
	for i < len(s) {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unsafeRune(r, size) {
			i += size
			continue
		}
		break
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unsafeRune(r, size) {
			b.WriteString(s[i : i+size])
			i += size
			continue
		}
		switch {
		case r == utf8.RuneError && size == 1:
			writeHex(&b, `\x`, uint32(s[i]), 2)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80:
			writeHex(&b, `\x`, uint32(r), 2)
		default:
			writeHex(&b, `\u`, uint32(r), 4)
		}
		i += size
	}
	return b.String()
}

// unsafeRune says whether Clean escapes the rune r of encoded size size.
func unsafeRune(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size == 1: // not UTF-8
		return true
	case unicode.IsControl(r): // C0, DEL, C1
		return true
	case r == '\u2028' || r == '\u2029': // line and paragraph separators
		return true
	case r == '\u061c' || r == '\u200e' || r == '\u200f', // bidi marks
		r >= '\u202a' && r <= '\u202e', // bidi embeddings and overrides
		r >= '\u2066' && r <= '\u2069': // bidi isolates
		return true
	case r == '\ufeff': // zero-width no-break space (a BOM)
		return true
	}
	return false
}

func writeHex(b *strings.Builder, prefix string, v uint32, digits int) {
	const hex = "0123456789abcdef"
	b.WriteString(prefix)
	for d := digits - 1; d >= 0; d-- {
		b.WriteByte(hex[(v>>(4*uint(d)))&0xf])
	}
}

// lineStart makes a file name safe to begin a line with. GitHub Actions
// reads a line as a workflow command when, after leading white space, it
// starts with "::" (or the older "##["); a relative file name that would do
// that gets "./" in front, which names the same file.
func lineStart(file string) string {
	rest := strings.TrimLeftFunc(file, unicode.IsSpace)
	if strings.HasPrefix(rest, "::") || strings.HasPrefix(rest, "##[") || len(rest) != len(file) {
		return "./" + file
	}
	return file
}

// CleanFile is Clean for a file name that may begin a line of text: one
// that would start as a workflow command gets "./" in front.
func CleanFile(file string) string { return lineStart(Clean(file)) }
