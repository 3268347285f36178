package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hwspec/compute/validate"
)

func TestGitHubEscaping(t *testing.T) {
	if got := escapeData("50% done\r\nnext"); got != "50%25 done%0D%0Anext" {
		t.Errorf("escapeData = %q", got)
	}
	if got := escapeProperty("a:b,c%\n"); got != "a%3Ab%2Cc%25%0A" {
		t.Errorf("escapeProperty = %q", got)
	}
}

func TestCleanFile(t *testing.T) {
	tests := []struct{ in, want string }{
		{"dir/a.http", "dir/a.http"},
		{"/abs/::x.http", "/abs/::x.http"},
		{"::error::x.http", "./::error::x.http"},
		{" \u00a0::warning::x.http", "./ \u00a0::warning::x.http"},
		{"##[error]x.http", "./##[error]x.http"},
		{"<stdin>", "<stdin>"},
	}
	for _, tc := range tests {
		if got := CleanFile(tc.in); got != tc.want {
			t.Errorf("CleanFile(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// write writes results and a summary in one format.
func write(t *testing.T, format string, results []Result, sum Summary) string {
	t.Helper()
	var b bytes.Buffer
	w, err := NewWriter(&b, format, Tool{Name: "t"}, func(id string) string { return id })
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(sum); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestFormatsAgree writes one result in every format and checks each names
// the finding's file, line and rule.
func TestFormatsAgree(t *testing.T) {
	results := []Result{{File: "dir/a b.http", Index: 0, Method: "POST", Path: "/x", Operation: "CreateServers", Errors: []validate.Finding{
		{In: "body", Pointer: "/server/name", Line: 12, Column: 7, Rule: "schema.pattern", Message: "must match: 100%", Severity: validate.Error},
	}}}
	for _, format := range Formats {
		out := write(t, format, results, Summary{Files: 1, Requests: 1, Invalid: 1})
		for _, want := range []string{"a b.http", "12", "schema.pattern"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s output lacks %q:\n%s", format, want, out)
			}
		}
	}
	if _, err := NewWriter(&bytes.Buffer{}, "xml", Tool{}, nil); err == nil {
		t.Error("unknown format accepted")
	}
}

// TestEmptyAndMachineEscapes writes no result (valid JSON and SARIF still)
// and a result whose strings hold DEL and C1 controls, which
// encoding/json leaves raw: the machine formats escape them too.
func TestEmptyAndMachineEscapes(t *testing.T) {
	hostile := "a\x7fb\u0085c\u009b[31md\u2028e\nf\u202e"
	results := []Result{{File: hostile, Errors: []validate.Finding{{In: "body", Pointer: "/" + hostile, Rule: "r", Message: hostile, Severity: validate.Warning}}}}
	for _, format := range []string{"json", "sarif"} {
		for _, rs := range [][]Result{nil, results} {
			out := write(t, format, rs, Summary{Skipped: 1})
			var v any
			if err := json.Unmarshal([]byte(out), &v); err != nil {
				t.Fatalf("%s: %v\n%s", format, err, out)
			}
			for _, bad := range []string{"\x7f", "\u0085", "\u009b", "\u2028", "\u202e"} {
				if strings.Contains(out, bad) {
					t.Errorf("%s output holds %q raw", format, bad)
				}
			}
			if rs != nil && !strings.Contains(out, `a\u007fb\u0085c\u009b[31md\u2028e\nf\u202e`) {
				t.Errorf("%s output lacks the escaped name:\n%s", format, out)
			}
		}
	}
}

// TestResponseFindings: every format says that a finding about a HAR
// entry's recorded response (rule response.*) is about the response, and
// the text and github summaries count the responses.
func TestResponseFindings(t *testing.T) {
	results := []Result{{File: "c.har", Index: 3, Method: "GET", Path: "https://h/v1/p/dev-servers/x", Entry: "entry 3 (GET https://h/v1/p/dev-servers/x)", Valid: true,
		Errors: []validate.Finding{
			{In: "body", Pointer: "/status", Line: 1, Column: 40, Rule: "response.schema.enum", Message: "must be one of \"RUNNING\"", Severity: validate.Warning},
			{In: "status", Name: "418", Line: 1, Column: 40, Rule: validate.ResponseStatusRule, Message: "status 418 is not documented", Severity: validate.Warning},
		},
		Response: &ResponseCheck{Status: 418, Checked: true, Drifted: true}}}
	sum := Summary{Files: 1, Requests: 1, Valid: 1, Responses: 2, Drifted: 1, BodiesNotChecked: 1, Unanswered: 1, Redirects: 1}
	for _, format := range Formats {
		out := write(t, format, results, sum)
		for _, want := range []string{"entry 3 (GET https://h/v1/p/dev-servers/x): response body /status: must be one of", "response status 418: status 418"} {
			if format == "json" {
				want = "response.schema.enum"
			}
			if !strings.Contains(out, want) {
				t.Errorf("%s output lacks %q:\n%s", format, want, out)
			}
		}
		switch format {
		case "text", "github":
			if want := "1 file, 1 request: 1 valid, 0 invalid; 2 responses checked, 1 drifted, 1 response body not checked, 1 entry without a response, 1 redirect not checked"; !strings.Contains(out, want) {
				t.Errorf("%s summary lacks %q:\n%s", format, want, out)
			}
		case "json":
			for _, want := range []string{`"response": {`, `"drifted": true`, `"responses": 2`, `"bodiesNotChecked": 1`, `"unanswered": 1`, `"redirects": 1`} {
				if !strings.Contains(out, want) {
					t.Errorf("json output lacks %s:\n%s", want, out)
				}
			}
		}
	}
	if out := write(t, "text", nil, Summary{Files: 1, Requests: 1, Valid: 1}); strings.Contains(out, "response") {
		t.Errorf("a run without responses mentions them: %s", out)
	}
}
