package validate

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// What one request reports is bounded, whatever the input: at most
// Limits.MaxFindings findings, then one that says how many more there were;
// member names quoted in a message cut to MaxQuotedRunes characters; a
// message to MaxMessageBytes bytes. Finding.Pointer stays exact, so that a
// tool can resolve it; Finding.String shortens it for people.

// TruncatedRule is the rule id of the finding that ends a list of findings
// capped at Limits.MaxFindings. It comes last, is placed where the first
// finding left out is, says how many were left out, and has the highest
// severity among them, so a capped result has the verdict of the whole.
const TruncatedRule = "findings.truncated"

// MaxQuotedRunes is how many characters of a member name (or other text
// from the request) a message quotes; a longer one is cut and ends in "…".
const MaxQuotedRunes = 64

// MaxMessageBytes bounds Finding.Message; a longer message is cut at a
// character boundary and ends in "…".
const MaxMessageBytes = 1024

// Validate routes a request to its operation and checks the path, query and
// header parameters, the credentials, and the body.
func (e *Engine) Validate(req Request) Result {
	res := e.validate(req)
	res.Findings = e.finish(res.Findings)
	return res
}

// ValidateBody checks a bare JSON body against an operation's request body,
// with no parameters or credentials to check.
func (e *Engine) ValidateBody(operationID string, body []byte) (Result, error) {
	res, err := e.validateBody(operationID, body)
	if err != nil {
		return res, err
	}
	res.Findings = e.finish(res.Findings)
	return res, nil
}

// finish applies the severity of unknown fields and the bounds on messages,
// puts the findings in order, and caps them at Limits.MaxFindings.
func (e *Engine) finish(fs []Finding) []Finding {
	for i := range fs {
		f := &fs[i]
		if f.Rule == "schema.additionalProperties" {
			f.Severity = e.unknownFields
		}
		f.Message = clip(f.Message, MaxMessageBytes)
	}
	sortFindings(fs)
	k := e.limits.MaxFindings
	if len(fs) <= k {
		return fs
	}
	summary := truncated(fs[k:], k)
	return append(fs[:k], summary)
}

// truncated is the finding that stands for the findings left out.
func truncated(rest []Finding, kept int) Finding {
	sev := Warning
	for _, f := range rest {
		if f.Severity == Error {
			sev = Error
			break
		}
	}
	first := rest[0]
	return Finding{In: first.In, Name: first.Name, Pointer: first.Pointer, Line: first.Line, Column: first.Column,
		Rule: TruncatedRule, Severity: sev,
		Message: fmt.Sprintf("%d more findings from here on are not reported (a request reports its first %d); correct these and validate again", len(rest), kept)}
}

// quoteName quotes text from the request (a member name) for a message,
// cut to MaxQuotedRunes characters.
func quoteName(s string) string { return strconv.Quote(cutRunes(s, MaxQuotedRunes)) }

// cutRunes cuts s to n characters, ending in "…" when it was longer.
func cutRunes(s string, n int) string {
	i := 0
	for k := 0; i < len(s) && k < n; k++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	if i == len(s) {
		return s
	}
	return s[:i] + "…"
}

// clip cuts s to at most max bytes at a character boundary, ending in "…".
func clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
