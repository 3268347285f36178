package validate

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// Evaluation of the x-rules vocabulary over a decoded body (see
// spec/README.md for the semantics).

// instance is a value found at a body location.
type instance struct {
	at    []string // pointer segments from the body root
	value any
}

// resolve returns the present instances at p below the value v (at base):
// "*" fans out over array items; a value that is missing, null or the empty
// string is not present.
func resolve(v any, base []string, p fieldPath) []instance {
	cur := []instance{{at: base, value: v}}
	for _, seg := range p {
		var next []instance
		for _, in := range cur {
			switch val := in.value.(type) {
			case map[string]any:
				if seg == "*" {
					continue
				}
				if child, ok := val[seg]; ok {
					next = append(next, instance{at: appendSeg(in.at, seg), value: child})
				}
			case []any:
				if seg != "*" {
					continue
				}
				for i, item := range val {
					next = append(next, instance{at: appendSeg(in.at, fmt.Sprint(i)), value: item})
				}
			}
		}
		cur = next
	}
	present := cur[:0]
	for _, in := range cur {
		if in.value != nil && in.value != "" {
			present = append(present, in)
		}
	}
	return present
}

func joinPath(base []string, p fieldPath) []string {
	out := make([]string, 0, len(base)+len(p))
	return append(append(out, base...), p...)
}

func appendSeg(base []string, seg string) []string {
	out := make([]string, len(base), len(base)+1)
	copy(out, base)
	return append(out, seg)
}

// matches reports whether v satisfies a rule's condition schema.
func (c condition) matches(v any) bool {
	if c.quick != nil {
		return c.quick.valid(v, time.Time{}) // conditions are compiled without named formats, so no instant matters
	}
	return c.schema.VisitJSON(v, openapi3.FailFast()) == nil
}

// lookup returns the value at a path without wildcards, and whether it is
// present (not missing, null or ""). It allocates nothing: conditions are
// checked on every request, findings only on bad ones.
func lookup(v any, p fieldPath) (any, bool) {
	for _, seg := range p {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = obj[seg]; !ok {
			return nil, false
		}
	}
	return v, v != nil && v != ""
}

// anyPresent reports whether any instance at p (wildcards allowed) is
// present and, when match is set, satisfies it.
func anyPresent(v any, p fieldPath, match func(any) bool) bool {
	if len(p) == 0 {
		return v != nil && v != "" && (match == nil || match(v))
	}
	switch val := v.(type) {
	case map[string]any:
		if p[0] == "*" {
			return false
		}
		child, ok := val[p[0]]
		return ok && anyPresent(child, p[1:], match)
	case []any:
		if p[0] != "*" {
			return false
		}
		for _, item := range val {
			if anyPresent(item, p[1:], match) {
				return true
			}
		}
	}
	return false
}

// holdsAll reports whether a condition list of "if" holds: every field
// present and matching.
func holdsAll(conds []condition, ctx instance) bool {
	for _, c := range conds {
		v, ok := lookup(ctx.value, c.path)
		if !ok || !c.matches(v) {
			return false
		}
	}
	return true
}

// holdsAny reports whether any condition of "unless" holds.
func holdsAny(conds []condition, ctx instance) bool {
	for _, c := range conds {
		if v, ok := lookup(ctx.value, c.path); ok && c.matches(v) {
			return true
		}
	}
	return false
}

// evalRule checks one rule against one context object and appends findings.
func evalRule(r *Rule, ctx instance, out []Finding) []Finding {
	if !holdsAll(r.ifAll, ctx) || holdsAny(r.unless, ctx) {
		return out
	}
	add := func(at []string) {
		out = append(out, Finding{In: InBody, Pointer: pointer(at), Rule: r.ID, Message: r.Message, Severity: r.Severity})
	}
	if r.exactlyOneOf != nil || r.atMostOneOf != nil {
		paths := r.exactlyOneOf
		if paths == nil {
			paths = r.atMostOneOf
		}
		var present []fieldPath
		for _, p := range paths {
			if _, ok := lookup(ctx.value, p); ok {
				present = append(present, p)
			}
		}
		switch {
		case len(present) > 1:
			for _, p := range present[1:] {
				add(joinPath(ctx.at, p))
			}
		case len(present) == 0 && r.exactlyOneOf != nil:
			add(ctx.at)
		}
	}
	for _, p := range r.requires {
		if _, ok := lookup(ctx.value, p); !ok {
			add(joinPath(ctx.at, p))
		}
	}
	for _, p := range r.forbids {
		if anyPresent(ctx.value, p, nil) {
			for _, in := range resolve(ctx.value, ctx.at, p) {
				add(in.at)
			}
		}
	}
	for _, c := range r.then {
		fails := func(v any) bool { return !c.matches(v) }
		if anyPresent(ctx.value, c.path, fails) {
			for _, in := range resolve(ctx.value, ctx.at, c.path) {
				if fails(in.value) {
					add(in.at)
				}
			}
		}
	}
	if r.equal != nil {
		a, aok := lookup(ctx.value, r.equal[0])
		b, bok := lookup(ctx.value, r.equal[1])
		if aok && bok && !reflect.DeepEqual(a, b) {
			add(joinPath(ctx.at, r.equal[1]))
		}
	}
	if u := r.uniqueBy; u != nil {
		seen := map[string]bool{}
		for _, item := range resolve(ctx.value, ctx.at, append(slices.Clone(u.path), "*", u.key)) {
			key, err := json.Marshal(item.value)
			if err != nil {
				continue
			}
			if seen[string(key)] {
				add(item.at)
			}
			seen[string(key)] = true
		}
	}
	if t := r.total; t != nil {
		out = evalTotal(r, t, ctx, out)
	}
	if r.keys != nil {
		if obj, ok := ctx.value.(map[string]any); ok {
			for _, k := range slices.Sorted(maps.Keys(obj)) {
				if !r.keys.matches(k) {
					add(appendSeg(ctx.at, k))
				}
			}
		}
	}
	return out
}

// evalTotal checks the total effect: factor × (constant + Σ terms) must not
// exceed the maximum. The finding points at the factor (or, when it is
// absent, at the context) and states the computed total.
func evalTotal(r *Rule, t *total, ctx instance, out []Finding) []Finding {
	factor, at := 1.0, ctx.at
	if t.factor != nil {
		if v, ok := lookup(ctx.value, t.factor); ok {
			n, isNum := number64(v)
			if !isNum || n < 0 {
				return out // the schema check reports a wrong type or range
			}
			factor, at = n, joinPath(ctx.at, t.factor)
		}
	}
	each := t.constant
	for _, c := range t.terms {
		for _, in := range resolve(ctx.value, ctx.at, c.path) {
			if c.schema == nil || c.matches(in.value) {
				each++
			}
		}
	}
	sum := factor * each
	if sum <= t.maximum {
		return out
	}
	var how string
	if t.factor != nil {
		how = fmt.Sprintf("%s %s × %s = %s", t.factor, number(factor), number(each), number(sum))
	} else {
		how = number(sum)
	}
	return append(out, Finding{In: InBody, Pointer: pointer(at), Rule: r.ID, Severity: r.Severity,
		Message: fmt.Sprintf("%s (this request: %s, more than %s)", r.Message, how, number(t.maximum))})
}

// number64 reads a decoded JSON number.
func number64(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case float64:
		return n, true
	case int:
		return float64(n), true
	}
	return 0, false
}

// evalSites applies every rule site of an operation to a decoded body.
func evalSites(sites []ruleSite, body any) []Finding {
	var out []Finding
	path := make([]string, 0, 8)
	for _, site := range sites {
		out = evalSite(site, site.at, body, path, out)
	}
	return out
}

// evalSite walks down to the site's objects, reusing the path buffer, and
// evaluates the site's rules on each.
func evalSite(site ruleSite, rest fieldPath, v any, path []string, out []Finding) []Finding {
	if len(rest) == 0 {
		if _, ok := v.(map[string]any); !ok {
			return out // the schema check reports a wrong type
		}
		ctx := instance{at: path, value: v}
		for _, r := range site.rules {
			out = evalRule(r, ctx, out)
		}
		return out
	}
	switch val := v.(type) {
	case map[string]any:
		if child, ok := val[rest[0]]; ok && rest[0] != "*" {
			out = evalSite(site, rest[1:], child, append(path, rest[0]), out)
		}
	case []any:
		if rest[0] == "*" {
			for i, item := range val {
				out = evalSite(site, rest[1:], item, append(path, strconv.Itoa(i)), out)
			}
		}
	}
	return out
}
