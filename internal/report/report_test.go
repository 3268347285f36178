package report

import (
	"bytes"
	"github.com/hwspec/compute/validate"
	"strings"
	"testing"
)

func TestGitHubEscaping(t *testing.T) {
	if got := escapeData("50% done\r\nnext"); got != "50%25 done%0D%0Anext" {
		t.Errorf("escapeData = %q", got)
	}
	if got := escapeProperty("a:b,c%\n"); got != "a%3Ab%2Cc%25%0A" {
		t.Errorf("escapeProperty = %q", got)
	}
}

// TestFormatsAgree writes one report in every format and checks each names
// the finding's file, line and rule.
func TestFormatsAgree(t *testing.T) {
	rep := Report{
		Results: []Result{{File: "dir/a b.http", Index: 0, Method: "POST", Path: "/x", Operation: "CreateServers", Errors: []validate.Finding{
			{In: "body", Pointer: "/server/name", Line: 12, Column: 7, Rule: "schema.pattern", Message: "must match: 100%", Severity: validate.Error},
		}}},
		Summary: Summary{Files: 1, Requests: 1, Invalid: 1},
	}
	for _, format := range Formats {
		var b bytes.Buffer
		if err := Write(&b, format, rep, Tool{Name: "t"}, func(id string) string { return id }); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, want := range []string{"a b.http", "12", "schema.pattern"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s output lacks %q:\n%s", format, want, out)
			}
		}
	}
	if err := Write(&bytes.Buffer{}, "xml", rep, Tool{}, nil); err == nil {
		t.Error("unknown format accepted")
	}
}
