package validate

import (
	"slices"
	"strconv"

	"github.com/hwspec/compute/internal/safetext"
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
	res.Findings = e.finish(res.Findings, "request")
	return res
}

// ValidateBody checks a bare JSON body against an operation's request body,
// with no parameters or credentials to check. body is the whole body: a
// body longer than Limits.MaxBodyBytes is refused (rule body.size) with its
// length. A caller that reads a body only up to the limit, to bound its
// memory, calls ValidateBodySize instead, so that the finding gives the
// body's true size rather than the bytes read.
func (e *Engine) ValidateBody(operationID string, body []byte) (Result, error) {
	return e.ValidateBodySize(operationID, body, 0)
}

// ValidateBodySize is ValidateBody for a body of which the caller read only
// the first bytes: size is the whole body's size in bytes, with the meaning
// of Request.BodySize (zero: len(body), the body is whole; BodySizeUnknown:
// longer than Limits.MaxBodyBytes, size not known). A body over the limit
// gets the same body.size finding as from Validate.
func (e *Engine) ValidateBodySize(operationID string, body []byte, size int64) (Result, error) {
	res, err := e.validateBody(operationID, body, size)
	if err != nil {
		return res, err
	}
	res.Findings = e.finish(res.Findings, "request")
	return res, nil
}

// finish applies the severity of unknown fields and the bounds on messages,
// puts the findings in order, and caps them at Limits.MaxFindings: the
// first ones, then one TruncatedRule finding for the rest, which merges the
// one the body's findings may already end with (see firstFindings). of is
// what the findings are of, "request" or "response", for that finding's
// message.
func (e *Engine) finish(fs []Finding, of string) []Finding {
	var carried *Finding
	for i := 0; i < len(fs); i++ {
		f := &fs[i]
		if f.Rule == TruncatedRule && f.omitted > 0 {
			c := *f
			carried = &c
			fs = slices.Delete(fs, i, i+1)
			i--
			continue
		}
		if f.Rule == SchemaAdditionalPropertiesRule {
			f.Severity = e.unknownFields
		}
		f.Message = safetext.Clip(f.Message, MaxMessageBytes)
	}
	sortFindings(fs)
	k := e.limits.MaxFindings
	if len(fs) <= k && carried == nil {
		return fs
	}
	kept := min(k, len(fs))
	rest := fs[kept:]
	summary := Finding{Rule: TruncatedRule, Severity: Warning}
	n, atLeast := len(rest), false
	if carried != nil {
		summary = *carried
		n += carried.omitted
		atLeast = carried.atLeast
	}
	if len(rest) > 0 && (carried == nil || compareFindings(rest[0], *carried) < 0) {
		summary.In, summary.Name, summary.Pointer, summary.Line, summary.Column = rest[0].In, rest[0].Name, rest[0].Pointer, rest[0].Line, rest[0].Column
	}
	for _, f := range rest {
		if f.Severity == Error {
			summary.Severity = Error
		}
	}
	summary.omitted, summary.atLeast = 0, false
	summary.Message = truncatedMessage(n, atLeast, kept, of)
	return append(fs[:kept], summary)
}

// quoteName quotes text from the request (a member name) for a message,
// cut to MaxQuotedRunes characters.
func quoteName(s string) string { return strconv.Quote(safetext.CutRunes(s, MaxQuotedRunes)) }
