package publish

import (
	"strings"
	"testing"
)

// TestTextRendersMarkdownSafely renders descriptions as Markdown and never
// passes a document's raw HTML through.
func TestTextRendersMarkdownSafely(t *testing.T) {
	tests := []struct {
		name, in   string
		want, lack []string
	}{
		{"list", "Either:\n\n* `admin_pass`, or\n* `key_pair_name`.", []string{"<ul>", "<li><code>admin_pass</code>, or</li>"}, []string{"* "}},
		{"emphasis and link", "**Decision**: see [PrePaidServer](#schema-PrePaidServer).", []string{"<strong>Decision</strong>", `<a href="#schema-PrePaidServer">PrePaidServer</a>`}, []string{"**"}},
		{"script block", "Hi.\n\n<script>alert(1)</script>", []string{"<p>Hi.</p>"}, []string{"<script", "alert(1)</script>"}},
		{"inline html", "a <img src=x onerror=alert(1)> b", []string{"<p>a"}, []string{"<img", "onerror"}},
		{"javascript link", "[x](javascript:alert(1))", []string{"<a href=\"\">x</a>"}, []string{"javascript:"}},
		{"entities escaped", "a < b & c", []string{"a &lt; b &amp; c"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(text(tt.in))
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("text(%q) = %q, lacks %q", tt.in, got, w)
				}
			}
			for _, l := range tt.lack {
				if strings.Contains(got, l) {
					t.Errorf("text(%q) = %q, has %q", tt.in, got, l)
				}
			}
		})
	}
}
