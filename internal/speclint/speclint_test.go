package speclint_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hwspec/compute/internal/speclint"
	"github.com/hwspec/compute/validate"
)

// TestEmbeddedSpecsAreClean is the check `make lint` runs, as a test.
func TestEmbeddedSpecsAreClean(t *testing.T) {
	e, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range speclint.Lint(e) {
		t.Error(p)
	}
}

// TestChecksBite lints a small purpose-built document, clean and then with
// one defect at a time, and expects exactly the check that defect breaks.
func TestChecksBite(t *testing.T) {
	base, err := os.ReadFile(filepath.Join("testdata", "clean.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		old, new  string
		wantCheck string // "" means clean
		wantWhere string
	}{
		{name: "clean"},
		{name: "missing summary", old: "      summary: Create a widget\n", new: "", wantCheck: "summary", wantWhere: "paths./v1/widgets.post"},
		{name: "missing operation description", old: "      description: Creates a widget.\n", new: "", wantCheck: "description", wantWhere: "paths./v1/widgets.post"},
		{name: "undeclared tag", old: "        - Widgets\n", new: "        - Gadgets\n", wantCheck: "tags", wantWhere: "paths./v1/widgets.post"},
		{name: "property without description", old: "          description: Name of the widget.\n", new: "", wantCheck: "description", wantWhere: "components.schemas.Widget.properties.name"},
		{name: "open request schema", old: "      additionalProperties: false\n", new: "", wantCheck: "closed", wantWhere: "requestBody of CreateWidget"},
		{name: "example breaks a schema rule", old: "        name: blue\n", new: "        name: b\n", wantCheck: "example", wantWhere: "requestBody of CreateWidget example Blue"},
		{name: "example breaks a cross-field rule", old: "        size: 3\n", new: "        size: 3\n        color: red\n", wantCheck: "example", wantWhere: "requestBody of CreateWidget example Blue"},
		{name: "example breaks a named format", old: "        secret: Abc@12345\n", new: "        secret: abcdefgh\n", wantCheck: "example", wantWhere: "requestBody of CreateWidget example Blue"},
		{name: "undeclared format", old: "          format: widget-secret\n", new: "          format: widget-token\n", wantCheck: "format", wantWhere: "format widget-token"},
		{name: "unused component", old: "\n  examples:\n", new: "\n    Spare:\n      type: string\n      description: Not used.\n  examples:\n", wantCheck: "unused", wantWhere: "components.schemas.Spare"},
		{name: "rule id without the API prefix", old: "id: widgets.widget.size-color", new: "id: widget.size-color", wantCheck: "rule-id", wantWhere: "x-rules widget.size-color"},
		{name: "total factor that is not a number", old: "factor: size", new: "factor: color", wantCheck: "total", wantWhere: "x-rules widgets.widget.weight"},
		{name: "total term counting a whole array", old: "- path: parts/*", new: "- path: parts", wantCheck: "total", wantWhere: "x-rules widgets.widget.weight"},
		{name: "example breaks a total", old: "        size: 3\n", new: "        size: 3\n        parts: [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u, v, w, x, y, z, a, b, c, d, e, f, g, h]\n", wantCheck: "example", wantWhere: "requestBody of CreateWidget example Blue"},
		{name: "no licence", old: "    url: https://www.apache.org/licenses/LICENSE-2.0\n", new: "", wantCheck: "license", wantWhere: "info.license"},
		{name: "wrong OpenAPI version", old: "openapi: 3.0.3", new: "openapi: 3.0.2", wantCheck: "version", wantWhere: "openapi"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := string(base)
			if tc.old != "" {
				if !strings.Contains(doc, tc.old) {
					t.Fatalf("fixture does not contain %q", tc.old)
				}
				doc = strings.Replace(doc, tc.old, tc.new, 1)
			}
			e, err := validate.FromSources([]validate.Source{{Name: "widgets", Data: []byte(doc)}})
			if err != nil {
				t.Fatalf("engine: %v", err)
			}
			problems := speclint.Lint(e)
			if tc.wantCheck == "" {
				for _, p := range problems {
					t.Errorf("unexpected: %s", p)
				}
				return
			}
			found := false
			for _, p := range problems {
				if p.Check == tc.wantCheck && p.Where == tc.wantWhere {
					found = true
				}
			}
			if !found {
				t.Errorf("want a %q problem at %q, got %v", tc.wantCheck, tc.wantWhere, problems)
			}
		})
	}
}

// TestBrokenVocabularyIsRejected shows that a malformed rule or format stops
// the engine from loading, so a typo cannot silently disable a rule.
func TestBrokenVocabularyIsRejected(t *testing.T) {
	base, err := os.ReadFile(filepath.Join("testdata", "clean.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, old, new, wantErr string
	}{
		{"unknown effect", "          forbids:\n", "          forbid:\n", `unknown field "forbid"`},
		{"path to no field", "            - color\n", "            - colour\n", `no field "colour"`},
		{"unknown format kind", "    kind: password\n", "    kind: passphrase\n", `unknown kind "passphrase"`},
		{"rule without message", "          message: a big widget cannot be red\n", "", "missing message"},
		{"credential form with a broken pattern", "pattern: '^[A-Za-z0-9+/=_-]+$'", "pattern: '^[A-Za-z'", "x-credential-form"},
		{"credential form with an unknown key", "pattern: '^[A-Za-z0-9+/=_-]+$'", "pattern: '^[A-Za-z0-9+/=_-]+$'\n        prefix: x", `unknown field "prefix"`},
		{"total without maximum", "            maximum: 100\n", "", "total: missing maximum"},
		{"bad duration", "notAfter: P3Y", "notAfter: 3 years", "not an ISO 8601 duration"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := string(base)
			if !strings.Contains(doc, tc.old) {
				t.Fatalf("fixture does not contain %q", tc.old)
			}
			doc = strings.Replace(doc, tc.old, tc.new, 1)
			_, err := validate.FromSources([]validate.Source{{Name: "widgets", Data: []byte(doc)}})
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("want an error containing %q, got %v", tc.wantErr, err)
			}
		})
	}
}
