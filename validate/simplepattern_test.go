package validate

import (
	"regexp"
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
