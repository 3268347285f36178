package publish

import (
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
)

// TestFormatPatterns checks that the patterns standing for named formats in
// the JSON Schemas accept what the formats accept (base64 text wrapped
// anywhere, the time layout) and refuse what is not the syntax.
func TestFormatPatterns(t *testing.T) {
	b64 := regexp.MustCompile(formatPattern(map[string]any{"kind": "base64"}))
	long := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("user data ", 40)))
	wrapped := long[:76] + "\r\n" + long[76:152] + "\n" + long[152:]
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"", true}, {"QQ==", true}, {"QUI=", true}, {"QUJD", true}, {long, true}, {wrapped, true}, {"QU\nJD\n", true},
		{"QQ", false}, {"QQ=", false}, {"Q===", false}, {"QUJD=", false}, {"QU JD", false}, {"QUJ-", false}, {"=QUJ", false},
	} {
		if got := b64.MatchString(tt.in); got != tt.want {
			t.Errorf("base64 pattern on %q = %v, want %v", tt.in, got, tt.want)
		}
		_, err := base64.StdEncoding.DecodeString(tt.in)
		if (err == nil) != tt.want {
			t.Errorf("the pattern and encoding/base64 disagree on %q", tt.in)
		}
	}
	if got, want := formatPattern(map[string]any{"kind": "utc-time", "layout": "2006-01-02T15:04:05Z"}), `^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$`; got != want {
		t.Errorf("utc-time pattern = %s, want %s", got, want)
	}
	for _, f := range []map[string]any{
		{"kind": "utc-time", "layout": "Jan 2 2006"},
		{"kind": "password"},
		{"kind": "ip-or-cidr"},
	} {
		if p := formatPattern(f); p != "" {
			t.Errorf("%v has pattern %s, want none", f, p)
		}
	}
}
