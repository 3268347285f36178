// Package report writes the validate CLI's results in its output formats:
// text for people, json for programs, sarif for code scanning, and github
// for GitHub Actions annotations. Every format is a Writer that takes the
// results one at a time, in order, and the summary at the end, so a run's
// output is written as it goes and its memory does not grow with the
// number of results. Every format says the same thing.
package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/hwspec/compute/validate"
)

// InFile is the In of a finding about an input as a whole (a file that
// could not be read or parsed, or was skipped) rather than a request part.
const InFile = "file"

// subject names what a finding concerns: "body /server/name",
// "header X-Client-Token", or just "body" for the whole body and "path"
// for the request line; a finding about a response (rule response.*) says
// so: "response body /status", "response status 418".
func subject(f validate.Finding) string {
	s := f.In
	if where := f.Where(); where != "" {
		s += " " + where
	}
	if IsResponse(f) {
		s = "response " + s
	}
	return s
}

// IsResponse reports whether a finding is about a response rather than a
// request: its rule is one of ValidateResponse's (response.*).
func IsResponse(f validate.Finding) bool { return strings.HasPrefix(f.Rule, "response.") }

// Result is the outcome for one request of one file, or for an input that
// could not be read (its findings have In "file").
type Result struct {
	File      string `json:"file"`
	Index     int    `json:"index"`
	Method    string `json:"method,omitempty"`
	Path      string `json:"path,omitempty"`
	Operation string `json:"operation,omitempty"`
	// Entry names the request within File when File's lines do not: a
	// HAR entry, "entry 3 (POST https://…)". Index is then the entry's
	// index in log.entries, and Path its URL.
	Entry string `json:"entry,omitempty"`
	Valid bool   `json:"valid"`
	// Errors are all findings, warnings included (see their severity);
	// line and column are positions in File. Findings whose rule starts
	// with "response." are about the HAR entry's recorded response.
	Errors []validate.Finding `json:"errors"`
	// Response says how a HAR entry's recorded response was checked; nil
	// for a .http request, an entry that is no operation's, or when
	// responses are not checked.
	Response *ResponseCheck `json:"response,omitempty"`
}

// ResponseCheck says how a HAR entry's recorded response was checked.
type ResponseCheck struct {
	// Status is the recorded status; 0 or less when the request got no
	// answer.
	Status int `json:"status"`
	// Checked is false when there was no response to check: the request
	// got no answer, or the entry records none.
	Checked bool `json:"checked"`
	// Drifted is true when the response has findings.
	Drifted bool `json:"drifted"`
	// NotChecked says what was not checked and why, or is empty: the whole
	// response ("no answer (net::ERR_CONNECTION_REFUSED)") or its body
	// ("body not checked: cut short (…)").
	NotChecked string `json:"notChecked,omitempty"`
}

// Summary counts what was validated.
type Summary struct {
	Files    int `json:"files"`
	Requests int `json:"requests"`
	Valid    int `json:"valid"`
	Invalid  int `json:"invalid"`
	// Skipped counts files met while walking a directory and not validated
	// (a bare JSON body without -operation, a FIFO or device).
	Skipped int `json:"skipped,omitempty"`
	// InputErrors counts inputs that could not be read or parsed, and
	// directory arguments without a request file.
	InputErrors int `json:"inputErrors,omitempty"`
	// SkippedEntries counts the entries of HAR files that are not a
	// request to one of the operations (other services, static files,
	// CORS preflights); they are not validated.
	SkippedEntries int `json:"skippedEntries,omitempty"`
	// Responses counts the recorded responses of HAR entries that were
	// checked against the spec; Drifted those of them with findings, and
	// BodiesNotChecked those whose body was not recorded whole (their
	// status and headers were checked). Unanswered counts the entries for
	// the operations that got no answer or record none: nothing to check.
	// Redirects counts those answered with a 3xx status their operation
	// does not document (a redirect, 304 Not Modified): not the
	// operation's answer, so not checked.
	Responses        int `json:"responses,omitempty"`
	Drifted          int `json:"drifted,omitempty"`
	BodiesNotChecked int `json:"bodiesNotChecked,omitempty"`
	Unanswered       int `json:"unanswered,omitempty"`
	Redirects        int `json:"redirects,omitempty"`
}

// RuleInfo describes a rule id for formats that list rules (SARIF).
type RuleInfo func(id string) string

// Tool names the program in machine formats.
type Tool struct {
	Name, Version, InformationURI string
}

// Writer writes one run's results in one format as they come.
type Writer interface {
	// Write writes one result. Results are written in the order given.
	Write(Result) error
	// Close writes the summary and ends the document. It does not close
	// the underlying io.Writer.
	Close(Summary) error
}

// NewWriter returns a Writer for the named format: text, json, sarif or
// github.
func NewWriter(w io.Writer, format string, tool Tool, info RuleInfo) (Writer, error) {
	switch format {
	case "text":
		return newText(w), nil
	case "json":
		return newJSON(w), nil
	case "sarif":
		return newSARIF(w, tool, info), nil
	case "github":
		return newGitHub(w), nil
	}
	return nil, fmt.Errorf("unknown format %q (want text, json, sarif or github)", format)
}

// Formats lists the names NewWriter accepts.
var Formats = []string{"text", "json", "sarif", "github"}

// entryPrefix is what a finding's text starts with to name the request
// in its file: "entry 3 (POST https://…): ", or nothing.
func entryPrefix(res Result) string {
	if res.Entry == "" {
		return ""
	}
	return res.Entry + ": "
}

// location formats file:line:col, leaving out what is unknown.
func location(file string, line, col int) string {
	var b strings.Builder
	b.WriteString(file)
	if line > 0 {
		fmt.Fprintf(&b, ":%d", line)
		if col > 0 {
			fmt.Fprintf(&b, ":%d", col)
		}
	}
	return b.String()
}

// summaryLine is the summary the text and github formats print.
func summaryLine(s Summary) string {
	line := fmt.Sprintf("%d %s, %d %s: %d valid, %d invalid", s.Files, plural(s.Files, "file", "files"), s.Requests, plural(s.Requests, "request", "requests"), s.Valid, s.Invalid)
	var extra []string
	if s.Skipped > 0 {
		extra = append(extra, fmt.Sprintf("%d skipped", s.Skipped))
	}
	if s.InputErrors > 0 {
		extra = append(extra, fmt.Sprintf("%d input %s", s.InputErrors, plural(s.InputErrors, "error", "errors")))
	}
	if s.Responses > 0 {
		extra = append(extra, fmt.Sprintf("%d %s checked, %d drifted", s.Responses, plural(s.Responses, "response", "responses"), s.Drifted))
	}
	if s.BodiesNotChecked > 0 {
		extra = append(extra, fmt.Sprintf("%d response %s not checked", s.BodiesNotChecked, plural(s.BodiesNotChecked, "body", "bodies")))
	}
	if s.Unanswered > 0 {
		extra = append(extra, fmt.Sprintf("%d %s without a response", s.Unanswered, plural(s.Unanswered, "entry", "entries")))
	}
	if s.Redirects > 0 {
		extra = append(extra, fmt.Sprintf("%d %s not checked", s.Redirects, plural(s.Redirects, "redirect", "redirects")))
	}
	if s.SkippedEntries > 0 {
		extra = append(extra, fmt.Sprintf("%d HAR %s not for these APIs", s.SkippedEntries, plural(s.SkippedEntries, "entry", "entries")))
	}
	if len(extra) > 0 {
		line += "; " + strings.Join(extra, ", ")
	}
	return line
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
