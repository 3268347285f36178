package simplepattern

import (
	"regexp"
	"strings"
	"testing"
)

// The patterns of the specs, and a few shapes the simple matcher must
// decline.
var testPatterns = []string{
	`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`,
	`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`,
	`^[A-Za-z0-9_.-]{1,128}$`,
	`^[0-9a-zA-Z-]{1,64}$`,
	`^[A-Za-z0-9_-]{1,36}\.[A-Za-z0-9_.-]{0,43}$`,
	`^[^\x00-\x1F=*<>\\,|/]{1,36}$`,
	`^[^<>]*$`,
	`^[A-Za-z0-9!@$%^_=+\[{}\]:,./?-]*$`,
	`^[A-Za-z0-9 _:.-]*$`,
	`^(ces|hss|hss-ent)(,(ces|hss|hss-ent))*$`,
	`^$|^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$`,
	`^([0-9]+(\.[0-9]+)?)?$`,
	`^[a-z]*[a-z0-9]$`,
	`abc`,
}

func TestSimplePatternShapes(t *testing.T) {
	simple := map[string]bool{
		testPatterns[0]: true, testPatterns[2]: true, testPatterns[4]: true, testPatterns[5]: true, testPatterns[6]: true,
		testPatterns[9]: false, testPatterns[10]: false, testPatterns[12]: false, testPatterns[13]: false,
	}
	for p, want := range simple {
		if _, got := compileSimplePattern(p); got != want {
			t.Errorf("%s: simple = %v, want %v", p, got, want)
		}
	}
}

// FuzzSimplePattern holds the simple matcher to package regexp on every
// pattern it accepts.
func FuzzSimplePattern(f *testing.F) {
	for _, s := range []string{"", "a", "67f433d8-ed0e-4321-a8a2-a71838539e09", "web-01", "env.prod", "a<b", "x\xffy", "é", "k.", ".v"} {
		for i := range testPatterns {
			f.Add(uint8(i), s)
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, s string) {
		p := testPatterns[int(which)%len(testPatterns)]
		sp, ok := compileSimplePattern(p)
		if !ok {
			return
		}
		if got, want := sp.MatchString(s), regexp.MustCompile(p).MatchString(s); got != want {
			t.Fatalf("%s on %q: simple %v, regexp %v", p, s, got, want)
		}
	})
}

// TestSimplePatternAgreesWithRegexp: on patterns where a variable repeat
// overlaps an item beyond the next one (past optional items), the simple
// matcher must decline or agree with regexp.
func TestSimplePatternAgreesWithRegexp(t *testing.T) {
	for _, tc := range []struct{ pattern, input string }{
		{`^[a-z]{1,10}-?[a-z]$`, "ab"},
		{`^a?b?a$`, "a"},
		{`^[0-9]*x?y?[0-9]$`, "12"},
		{`^[a-z]+-?[0-9]$`, "ab-1"}, // no overlap: stays simple
	} {
		want := regexp.MustCompile(tc.pattern).MatchString(tc.input)
		if sp, ok := compileSimplePattern(tc.pattern); ok && sp.MatchString(tc.input) != want {
			t.Errorf("%s on %q: simple %v, regexp %v", tc.pattern, tc.input, !want, want)
		}
	}
	if _, ok := compileSimplePattern(`^[a-z]+-?[0-9]$`); !ok {
		t.Error(`^[a-z]+-?[0-9]$ has no overlap and should stay simple`)
	}
}

// patternParts are what FuzzSimplePatternGenerated builds patterns from:
// classes and literals that overlap each other in several ways, and
// quantifiers of every kind the simple matcher handles (and a lazy one it
// declines).
var (
	patternAtoms  = []string{"a", "b", "-", "[a-z]", "[0-9]", "[a-z0-9]", "[^<>]", ".", "[ab]", "é"}
	patternQuants = []string{"", "", "?", "*", "+", "{1,3}", "{2}", "{0,2}", "+?"}
)

// FuzzSimplePatternGenerated builds an anchored pattern from the fuzzer's
// bytes (pairs: atom, quantifier) and holds the simple matcher to package
// regexp on it, whenever it takes the pattern.
func FuzzSimplePatternGenerated(f *testing.F) {
	f.Add([]byte{4, 5, 2, 2, 3, 0}, "ab")     // ^[a-z]{1,3}-?[a-z]$
	f.Add([]byte{0, 2, 1, 2, 0, 0}, "a")      // ^a?b?a$
	f.Add([]byte{4, 4, 2, 0, 5, 3}, "web-01") // ^[a-z]*-[a-z0-9]+$
	f.Add([]byte{7, 6, 6, 3, 9, 2}, "x\xffy") // ^.{2}[^<>]+é?$
	f.Add([]byte{8, 3, 0, 8, 1, 1}, "abab")   // ^[ab]+a+?b$
	f.Fuzz(func(t *testing.T, gen []byte, s string) {
		if len(gen) > 16 || len(s) > 64 {
			return
		}
		var b strings.Builder
		b.WriteByte('^')
		for i := 0; i+1 < len(gen); i += 2 {
			b.WriteString(patternAtoms[int(gen[i])%len(patternAtoms)])
			b.WriteString(patternQuants[int(gen[i+1])%len(patternQuants)])
		}
		b.WriteByte('$')
		p := b.String()
		sp, ok := compileSimplePattern(p)
		if !ok {
			return
		}
		if got, want := sp.MatchString(s), regexp.MustCompile(p).MatchString(s); got != want {
			t.Fatalf("%s on %q: simple %v, regexp %v", p, s, got, want)
		}
	})
}
