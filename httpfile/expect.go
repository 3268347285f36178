package httpfile

import (
	"fmt"
	"strings"
	"time"
)

// Expectation is what validating an example request must give, written in a
// comment before the request line:
//
//	# @expect valid
//	# @expect invalid <in> <pointer-or-name> <rule>
//	# @expect warning <in> <pointer-or-name> <rule>
//
// "invalid" lines list every error finding and "warning" lines every warning
// finding, each exactly once; a body pointer of "" (the whole body) is
// written as "".
type Expectation struct {
	// Kind is "valid", "invalid" or "warning".
	Kind string
	In   string
	// Where is the JSON pointer (for the body) or the parameter name.
	Where string
	Rule  string
}

// String formats the expectation as it is written after "@expect".
func (e Expectation) String() string {
	if e.Kind == "valid" {
		return "valid"
	}
	where := e.Where
	if where == "" {
		where = `""`
	}
	return fmt.Sprintf("%s %s %s %s", e.Kind, e.In, where, e.Rule)
}

// Expectations returns the request's @expect lines. A request without one,
// or with "valid" beside "invalid", is an error: every example must say what
// it proves.
func (r Request) Expectations() ([]Expectation, error) {
	var out []Expectation
	var valid, invalid bool
	for _, c := range r.Comments {
		rest, ok := strings.CutPrefix(c, "@expect")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		switch {
		case len(f) == 1 && f[0] == "valid":
			valid = true
			out = append(out, Expectation{Kind: "valid"})
		case len(f) == 4 && (f[0] == "invalid" || f[0] == "warning"):
			where := f[2]
			if where == `""` {
				where = ""
			}
			invalid = invalid || f[0] == "invalid"
			out = append(out, Expectation{Kind: f[0], In: f[1], Where: where, Rule: f[3]})
		default:
			return nil, fmt.Errorf("request %d (line %d): malformed %q: want \"@expect valid\" or \"@expect invalid|warning <in> <pointer-or-name> <rule>\"", r.Index, r.Line, c)
		}
	}
	if !valid && !invalid {
		return nil, fmt.Errorf("request %d (line %d): no \"@expect valid\" or \"@expect invalid …\" comment", r.Index, r.Line)
	}
	if valid && invalid {
		return nil, fmt.Errorf("request %d (line %d): expects both valid and invalid", r.Index, r.Line)
	}
	return out, nil
}

// Now returns the instant an example is to be validated at, from a comment
// "# @now 2026-01-01T00:00:00Z" (RFC 3339), for examples whose validity
// depends on the clock (time windows such as ECS auto_terminate_time).
// ok is false when the request has no @now comment.
func (r Request) Now() (now time.Time, ok bool, err error) {
	for _, c := range r.Comments {
		rest, found := strings.CutPrefix(c, "@now")
		if !found {
			continue
		}
		now, err = time.Parse(time.RFC3339, strings.TrimSpace(rest))
		if err != nil {
			return time.Time{}, false, fmt.Errorf("request %d (line %d): @now: %v", r.Index, r.Line, err)
		}
		return now, true, nil
	}
	return time.Time{}, false, nil
}
