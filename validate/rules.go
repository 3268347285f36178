package validate

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"

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

func appendSeg(base []string, seg string) []string {
	out := make([]string, len(base), len(base)+1)
	copy(out, base)
	return append(out, seg)
}

// matches reports whether v satisfies a rule's condition schema.
func matches(s *openapi3.Schema, v any) bool {
	return s.VisitJSON(v, openapi3.FailFast()) == nil
}

// holds reports whether a condition list of "if" holds: every field present
// and matching.
func holdsAll(conds []condition, ctx instance) bool {
	for _, c := range conds {
		found := resolve(ctx.value, ctx.at, c.path)
		if len(found) != 1 || !matches(c.schema, found[0].value) {
			return false
		}
	}
	return true
}

// holdsAny reports whether any condition of "unless" holds.
func holdsAny(conds []condition, ctx instance) bool {
	for _, c := range conds {
		found := resolve(ctx.value, ctx.at, c.path)
		if len(found) == 1 && matches(c.schema, found[0].value) {
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
		var present [][]string
		for _, p := range paths {
			if found := resolve(ctx.value, ctx.at, p); len(found) > 0 {
				present = append(present, found[0].at)
			}
		}
		switch {
		case len(present) > 1:
			for _, at := range present[1:] {
				add(at)
			}
		case len(present) == 0 && r.exactlyOneOf != nil:
			add(ctx.at)
		}
	}
	for _, p := range r.requires {
		if len(resolve(ctx.value, ctx.at, p)) == 0 {
			add(append(slices.Clone(ctx.at), p...))
		}
	}
	for _, p := range r.forbids {
		for _, in := range resolve(ctx.value, ctx.at, p) {
			add(in.at)
		}
	}
	for _, c := range r.then {
		for _, in := range resolve(ctx.value, ctx.at, c.path) {
			if !matches(c.schema, in.value) {
				add(in.at)
			}
		}
	}
	if r.equal != nil {
		a, b := resolve(ctx.value, ctx.at, r.equal[0]), resolve(ctx.value, ctx.at, r.equal[1])
		if len(a) == 1 && len(b) == 1 && !reflect.DeepEqual(a[0].value, b[0].value) {
			add(b[0].at)
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
	if r.keys != nil {
		if obj, ok := ctx.value.(map[string]any); ok {
			for _, k := range sortedKeys(obj) {
				if !matches(r.keys, k) {
					add(appendSeg(ctx.at, k))
				}
			}
		}
	}
	return out
}

// evalSites applies every rule site of an operation to a decoded body.
func evalSites(sites []ruleSite, body any) []Finding {
	var out []Finding
	for _, site := range sites {
		contexts := []instance{{value: body}}
		if len(site.at) > 0 {
			contexts = resolve(body, nil, site.at)
		}
		for _, ctx := range contexts {
			if _, ok := ctx.value.(map[string]any); !ok {
				continue // the schema check reports a wrong type
			}
			for _, r := range site.rules {
				out = evalRule(r, ctx, out)
			}
		}
	}
	return out
}
