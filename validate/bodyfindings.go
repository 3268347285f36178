package validate

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// The findings of a decoded body, with bounded work. Most requests are
// valid: the compiled quick check says so cheaply. For a body it rejects,
// locate lists the places that break their schema: nodes, which kin-openapi
// validates to produce the findings (so messages and rule ids come from one
// place), and undeclared members. With the findings of the spec's rules,
// those places are put in document order by one scan of the body, and
// findings are made for them in that order only until the first
// Limits.MaxFindings are certain; the places left are counted into one
// TruncatedRule finding. So a body with 100,000 bad members costs a scan,
// a sort and 100 findings, not 100,000 findings.

// bodyFindings returns the findings of a decoded body (see above). A schema
// the quick check cannot compile goes through kin-openapi whole.
func (op *Operation) bodyFindings(body []byte, v any, now time.Time) []Finding {
	a := op.API
	if op.quick == nil {
		var out []Finding
		if err := op.body.VisitJSON(v, a.optsAt(now)...); err != nil {
			out = schemaFindings(err, InBody, "", nil, a)
		}
		out = append(out, evalSites(op.sites, v)...)
		if len(out) > 0 {
			placeFindings(body, out)
		}
		return out
	}
	var fails []failure
	if !op.quick.valid(v, now) {
		fails = op.quick.locate(v, nil, nil, now)
	}
	rules := evalSites(op.sites, v)
	if len(fails)+len(rules) == 0 {
		return nil
	}
	return a.firstFindings(body, fails, rules, a.limits.MaxFindings, now)
}

// firstFindings makes the findings of the failures of a body and adds the
// rule findings, with positions: every finding among the first k in the
// order of sortFindings, and maybe more; when places are left, a last
// TruncatedRule finding that stands for them (see Engine.finish).
func (a *API) firstFindings(body []byte, fails []failure, rules []Finding, k int, now time.Time) []Finding {
	if len(fails)+len(rules) <= k {
		// Few places (the usual case): make every finding, place them once.
		out := slices.Clone(rules)
		for _, f := range fails {
			out = a.failureFindings(f, out, now)
		}
		placeFindings(body, out)
		return out
	}
	// Where each place is: the value of a node (where its findings begin),
	// the name of an undeclared member, a rule finding's own place.
	marks := make([]Finding, len(fails), len(fails)+len(rules))
	for i, f := range fails {
		marks[i] = Finding{In: InBody, Pointer: pointer(f.path), Rule: "schema.type"}
		if f.unknown {
			marks[i].Rule = SchemaAdditionalPropertiesRule
		}
	}
	marks = append(marks, rules...)
	placeFindings(body, marks)
	order := placeOrder(marks)

	var out []Finding
	take := func(i int) {
		switch {
		case i >= len(fails):
			out = append(out, marks[i])
		case fails[i].unknown:
			out = a.failureFindings(fails[i], out, now)
			out[len(out)-1].Line, out[len(out)-1].Column = marks[i].Line, marks[i].Column
		default:
			out = a.failureFindings(fails[i], out, now)
		}
	}
	n := 0
	for ; n < len(order) && len(out) < k; n++ {
		take(order[n])
	}
	placeFindings(body, out)
	if n < len(order) {
		// A node's findings are at or after its value, so every finding
		// not yet made is after the place of order[n]. Make those of the
		// places up to the k-th finding made so far: then the first k of
		// all are among those made.
		made := slices.Clone(out)
		slices.SortFunc(made, comparePlaces)
		last := made[min(k, len(made))-1]
		for ; n < len(order) && comparePlaces(marks[order[n]], last) <= 0; n++ {
			take(order[n])
		}
		placeFindings(body, out)
	}
	if n == len(order) {
		return out
	}
	rest := order[n:]
	first := marks[rest[0]]
	summary := Finding{In: InBody, Pointer: first.Pointer, Line: first.Line, Column: first.Column, Rule: TruncatedRule, Severity: Warning, omitted: len(rest)}
	for _, i := range rest {
		sev := Error // a node has schema findings, errors all
		switch {
		case i >= len(fails):
			sev = marks[i].Severity
		case fails[i].unknown && a.unknownFields != Error:
			// Tolerated, unless it is a case variant.
			if rule, _ := unknownRule(fails[i].member(), a.propertyNames(fails[i].schema)); rule == SchemaAdditionalPropertiesRule {
				sev = a.unknownFields
			}
		}
		if sev == Error {
			summary.Severity = Error
		}
		// A node's findings are counted as one: the count is a lower bound.
		summary.atLeast = summary.atLeast || i < len(fails) && !fails[i].unknown
	}
	return append(out, summary)
}

// comparePlaces orders body findings by line and column.
func comparePlaces(a, b Finding) int {
	if c := cmp.Compare(a.Line, b.Line); c != 0 {
		return c
	}
	return cmp.Compare(a.Column, b.Column)
}

// truncatedMessage says how many findings a TruncatedRule finding stands
// for, of a request or a response (of).
func truncatedMessage(n int, atLeast bool, kept int, of string) string {
	more := fmt.Sprintf("%d more findings", n)
	if atLeast {
		more = "at least " + more
	}
	return fmt.Sprintf("%s from here on are not reported (a %s reports its first %d); correct these and validate again", more, of, kept)
}

// failureFindings appends the findings of one failure: kin-openapi's for a
// node, ours for an undeclared member.
func (a *API) failureFindings(f failure, out []Finding, now time.Time) []Finding {
	if f.unknown {
		rule, msg := unknownField(f.member(), a.propertyNames(f.schema))
		return append(out, Finding{In: InBody, Pointer: pointer(f.path), Rule: rule, Message: msg, Severity: Error})
	}
	if err := f.schema.VisitJSON(f.value, a.optsAt(now)...); err != nil {
		out = append(out, schemaFindings(err, InBody, "", f.path, a)...)
	}
	return out
}

// placeOrder returns the indices of placed findings by line and column (by
// index where those are equal), sorting small keys rather than findings.
func placeOrder(fs []Finding) []int {
	type key struct{ line, col, i int }
	keys := make([]key, len(fs))
	for i, f := range fs {
		keys[i] = key{f.Line, f.Column, i}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if c := cmp.Compare(a.line, b.line); c != 0 {
			return c
		}
		if c := cmp.Compare(a.col, b.col); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	order := make([]int, len(keys))
	for j, k := range keys {
		order[j] = k.i
	}
	return order
}
