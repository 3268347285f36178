package safetext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/server/name", "/server/name"},
		{`must match ^\d+$ (100%)`, `must match ^\d+$ (100%)`},
		{`back\slash "quote"`, `back\slash "quote"`},
		{"名前 ünïcode", "名前 ünïcode"},
		{"x\n::error file=README.md,line=1::INJECTED", `x\n::error file=README.md,line=1::INJECTED`},
		{"a\rb\tc\x00d\x1b[31me\x7f", `a\rb\tc\x00d\x1b[31me\x7f`},
		{"a\u0085b\u009bc", `a\u0085b\u009bc`},
		{"a\u2028b\u2029c", `a\u2028b\u2029c`},
		{"evil\u202egnp.http\u2066\u200f\ufeff\u061c", `evil\u202egnp.http\u2066\u200f\ufeff\u061c`},
		{"bad\xffutf8\xc3", `bad\xffutf8\xc3`},
	}
	for _, tc := range tests {
		if got := Escape(tc.in); got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCutRunes(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly", 7, "exactly"},
		{"longer than four", 4, "long…"},
		{"名前名前名前", 2, "名前…"},
		{"", 0, ""},
	}
	for _, tc := range tests {
		if got := CutRunes(tc.in, tc.n); got != tc.want {
			t.Errorf("CutRunes(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}

func TestClip(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"0123456789", 10, "0123456789"},
		{"0123456789a", 10, "0123456…"},
		{"ab名前", 7, "ab…"}, // no half of 名 before the ellipsis
	}
	for _, tc := range tests {
		got := Clip(tc.in, tc.max)
		if got != tc.want || len(got) > tc.max || !utf8.ValidString(got) {
			t.Errorf("Clip(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
	if got := Clip(strings.Repeat("x", 1<<20), 1024); len(got) != 1024 {
		t.Errorf("Clip of 1 MiB to 1 KiB has %d bytes", len(got))
	}
}
