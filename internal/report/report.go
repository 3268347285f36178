// Package report writes the validate CLI's results in its output formats:
// text for people, json for programs, sarif for code scanning, and github
// for GitHub Actions annotations. Each format is a function over the same
// Report value, so every format says the same thing.
package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/hwspec/compute/validate"
)

// subject names what a finding concerns: "body /server/name",
// "header X-Client-Token", or just "body" for the whole body and "path"
// for the request line.
func subject(f validate.Finding) string {
	where := f.Name
	if f.In == validate.InBody {
		where = f.Pointer
	}
	if where == "" {
		return f.In
	}
	return f.In + " " + where
}

// Result is the outcome for one request of one file.
type Result struct {
	File      string `json:"file"`
	Index     int    `json:"index"`
	Method    string `json:"method,omitempty"`
	Path      string `json:"path,omitempty"`
	Operation string `json:"operation,omitempty"`
	Valid     bool   `json:"valid"`
	// Errors are all findings, warnings included (see their severity);
	// line and column are positions in File.
	Errors []validate.Finding `json:"errors"`
}

// Summary counts what was validated.
type Summary struct {
	Files    int `json:"files"`
	Requests int `json:"requests"`
	Valid    int `json:"valid"`
	Invalid  int `json:"invalid"`
}

// Report is everything one run validated.
type Report struct {
	Results []Result `json:"results"`
	Summary Summary  `json:"summary"`
}

// RuleInfo describes a rule id for formats that list rules (SARIF).
type RuleInfo func(id string) string

// Tool names the program in machine formats.
type Tool struct {
	Name, Version, InformationURI string
}

// Write writes the report in the named format: text, json, sarif or github.
func Write(w io.Writer, format string, r Report, tool Tool, info RuleInfo) error {
	switch format {
	case "text":
		return writeText(w, r)
	case "json":
		return writeJSON(w, r)
	case "sarif":
		return writeSARIF(w, r, tool, info)
	case "github":
		return writeGitHub(w, r)
	}
	return fmt.Errorf("unknown format %q (want text, json, sarif or github)", format)
}

// Formats lists the names Write accepts.
var Formats = []string{"text", "json", "sarif", "github"}

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
