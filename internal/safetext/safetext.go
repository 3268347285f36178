// Package safetext makes text from a request safe and short enough to
// print: every human-readable output of this module (the CLI's text and
// GitHub formats, Finding.String, the server's error answers) passes names
// and messages through it, so that a member name can neither start a line
// of its own in a log or CI run nor make an answer grow with the input.
package safetext

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Escape makes s safe to print on one line of a log or terminal: control
// characters (C0, DEL, C1), line and paragraph separators (U+2028, U+2029),
// bidirectional-text controls, the zero-width no-break space and bytes that
// are not UTF-8 are written as Go-style escapes (\n, \x1b, \u2028, \xff).
// Everything else, backslashes included, is kept as it is, so ordinary
// names and messages read unchanged.
func Escape(s string) string {
	i := 0
	for i < len(s) {
		if c := s[i]; c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if MustEscape(r, size) {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case !MustEscape(r, size):
			b.WriteString(s[i : i+size])
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

// MustEscape says whether Escape escapes the rune r, decoded from size
// bytes (a RuneError of size 1 is a byte that is not UTF-8).
func MustEscape(r rune, size int) bool {
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

// CutRunes cuts s to n characters, ending in "…" when it was longer.
func CutRunes(s string, n int) string {
	i := 0
	for k := 0; i < len(s) && k < n; k++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	if i == len(s) {
		return s
	}
	return s[:i] + "…"
}

// Clip cuts s to at most max bytes at a character boundary, ending in "…"
// when it was longer.
func Clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
