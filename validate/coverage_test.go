package validate

import (
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestEveryRuleHasPassingAndFailingExamples holds the examples under
// spec/examples to the promise that every declared rule and format has a
// failing case (an @expect line naming it) and a passing case (a valid
// example that has a field the rule names, or uses the format, and is not
// flagged by it).
func TestEveryRuleHasPassingAndFailingExamples(t *testing.T) {
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	failing := map[string]bool{}
	passing := map[string]bool{}
	for _, r := range SpecExamples(t) {
		expects, err := r.Expectations()
		if err != nil {
			t.Fatal(err)
		}
		valid := false
		for _, x := range expects {
			if x.Kind == "valid" {
				valid = true
			} else {
				failing[x.Rule] = true
			}
		}
		engine := e
		if now, ok, err := r.Now(); err != nil {
			t.Fatal(err)
		} else if ok {
			if engine, err = New(WithClock(func() time.Time { return now })); err != nil {
				t.Fatal(err)
			}
		}
		res := r.Validate(engine)
		if !valid || res.Operation == nil || res.Body == nil {
			continue
		}
		flagged := map[string]bool{}
		for _, f := range res.Findings {
			flagged[f.Rule] = true
		}
		for _, site := range res.Operation.sites {
			for _, ctx := range contexts(site, res.Body) {
				for _, rule := range site.rules {
					if !flagged[rule.ID] && ruleTouches(rule, ctx) {
						passing[rule.ID] = true
					}
				}
			}
		}
		for _, f := range usedFormats(res.Operation, res.Body) {
			passing["format."+f] = true
		}
	}
	for _, api := range e.APIs() {
		for name := range api.Formats {
			id := "format." + name
			if !failing[id] {
				t.Errorf("format %s has no failing example", name)
			}
			if !passing[id] {
				t.Errorf("format %s has no passing example", name)
			}
		}
	}
	for _, op := range e.Operations() {
		for _, site := range op.sites {
			for _, rule := range site.rules {
				if !failing[rule.ID] {
					t.Errorf("rule %s has no failing example", rule.ID)
				}
				if !passing[rule.ID] {
					t.Errorf("rule %s has no passing example (a valid request where it applies)", rule.ID)
				}
			}
		}
	}
}

func contexts(site ruleSite, body any) []instance {
	if len(site.at) == 0 {
		return []instance{{value: body}}
	}
	return resolve(body, nil, site.at)
}

// ruleTouches reports whether a request gives the rule something to look
// at: a field the rule names is present in its context. In a valid request
// that is the rule's passing case (its condition held and its effect was
// met, or a near miss: the condition was looked at and did not hold).
func ruleTouches(r *Rule, ctx instance) bool {
	if r.keys != nil {
		return true
	}
	for _, p := range r.paths() {
		if len(resolve(ctx.value, ctx.at, p)) > 0 {
			return true
		}
	}
	return false
}

// usedFormats lists the named formats of the fields present in a body.
func usedFormats(op *Operation, body any) []string {
	var out []string
	seen := map[string]bool{}
	var visit func(s *openapi3.Schema, v any)
	visit = func(s *openapi3.Schema, v any) {
		if s == nil {
			return
		}
		switch val := v.(type) {
		case map[string]any:
			for k, c := range val {
				if p := s.Properties[k]; p != nil {
					visit(p.Value, c)
				} else if s.AdditionalProperties.Schema != nil {
					visit(s.AdditionalProperties.Schema.Value, c)
				}
			}
		case []any:
			if s.Items != nil {
				for _, c := range val {
					visit(s.Items.Value, c)
				}
			}
		case string:
			if op.API.Formats[s.Format] != nil && !seen[s.Format] {
				seen[s.Format] = true
				out = append(out, s.Format)
			}
		}
	}
	visit(op.body, body)
	return out
}
