package validate

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// The spec vocabulary: the x-formats and x-rules extensions described in
// spec/README.md, parsed into typed values once, when an engine is built.

// fieldPath is a rule path: member names relative to the rule's context, where
// a "*" segment stands for every item of an array.
type fieldPath []string

func parseFieldPath(s string) (fieldPath, error) {
	if s == "" || strings.HasPrefix(s, "/") || strings.HasSuffix(s, "/") || strings.Contains(s, "//") {
		return nil, fmt.Errorf("path %q: want member names separated by '/'", s)
	}
	return strings.Split(s, "/"), nil
}

func (p fieldPath) String() string { return strings.Join(p, "/") }

func (p fieldPath) hasWildcard() bool { return slices.Contains(p, "*") }

// condition is one entry of a rule's if, unless or then map (or, with an
// empty path, the keys schema).
type condition struct {
	path   fieldPath
	schema *openapi3.Schema
	quick  *quickSchema // nil when the schema uses a keyword quickCheck lacks
}

func newCondition(p fieldPath, s *openapi3.Schema) condition {
	q, err := compileQuick(s, nil, map[*openapi3.Schema]*quickSchema{})
	if err != nil {
		q = nil
	}
	return condition{path: p, schema: s, quick: q}
}

// uniqueBy is the uniqueBy effect: items of the array at path must differ in key.
type uniqueBy struct {
	path fieldPath
	key  string
}

// total is the total effect: factor × (constant + Σ terms) is at most
// maximum, where each term counts the present instances at its path that
// match its schema.
type total struct {
	factor   fieldPath // nil: 1; when the field is absent, also 1
	constant float64
	terms    []condition // schema nil: any present value counts
	maximum  float64
}

// Rule is one cross-field rule declared with x-rules on an object schema.
type Rule struct {
	ID       string
	Message  string
	Severity Severity

	ifAll        []condition
	unless       []condition
	exactlyOneOf []fieldPath
	atMostOneOf  []fieldPath
	requires     []fieldPath
	forbids      []fieldPath
	then         []condition
	equal        []fieldPath
	uniqueBy     *uniqueBy
	keys         *condition
	total        *total
}

// ruleSource is the JSON shape of one x-rules entry. Unknown keys are errors,
// so a misspelt effect in the spec cannot silently turn a rule off.
type ruleSource struct {
	ID           string                     `json:"id"`
	Message      string                     `json:"message"`
	Severity     string                     `json:"severity"`
	If           map[string]json.RawMessage `json:"if"`
	Unless       map[string]json.RawMessage `json:"unless"`
	ExactlyOneOf []string                   `json:"exactlyOneOf"`
	AtMostOneOf  []string                   `json:"atMostOneOf"`
	Requires     []string                   `json:"requires"`
	Forbids      []string                   `json:"forbids"`
	Then         map[string]json.RawMessage `json:"then"`
	Equal        []string                   `json:"equal"`
	UniqueBy     *struct {
		Path string `json:"path"`
		Key  string `json:"key"`
	} `json:"uniqueBy"`
	Keys  json.RawMessage `json:"keys"`
	Total *totalSource    `json:"total"`
}

// totalSource is the JSON shape of the total effect.
type totalSource struct {
	Factor   string  `json:"factor"`
	Constant float64 `json:"constant"`
	Terms    []struct {
		Path  string          `json:"path"`
		Match json.RawMessage `json:"match"`
	} `json:"terms"`
	Maximum *float64 `json:"maximum"`
}

func (src *totalSource) compile() (*total, error) {
	t := &total{constant: src.Constant}
	if src.Maximum == nil {
		return nil, fmt.Errorf("missing maximum")
	}
	t.maximum = *src.Maximum
	if src.Constant < 0 || t.maximum < 0 {
		return nil, fmt.Errorf("constant and maximum must not be negative")
	}
	if src.Factor != "" {
		p, err := parseFieldPath(src.Factor)
		if err != nil || p.hasWildcard() {
			return nil, fmt.Errorf("factor: want a path without '*'")
		}
		t.factor = p
	}
	if len(src.Terms) == 0 {
		return nil, fmt.Errorf("want at least one term")
	}
	for _, term := range src.Terms {
		p, err := parseFieldPath(term.Path)
		if err != nil {
			return nil, fmt.Errorf("terms: %w", err)
		}
		c := condition{path: p}
		if len(term.Match) > 0 {
			s, err := compileSchema(term.Match)
			if err != nil {
				return nil, fmt.Errorf("terms: %s: %w", term.Path, err)
			}
			c = newCondition(p, s)
		}
		t.terms = append(t.terms, c)
	}
	return t, nil
}

// parseRules reads the x-rules extension of a schema, if it has one.
func parseRules(ext any) ([]*Rule, error) {
	if ext == nil {
		return nil, nil
	}
	var sources []ruleSource
	if err := strictRemarshal(ext, &sources); err != nil {
		return nil, fmt.Errorf("x-rules: %w", err)
	}
	rules := make([]*Rule, 0, len(sources))
	for i, src := range sources {
		r, err := src.compile()
		if err != nil {
			name := src.ID
			if name == "" {
				name = fmt.Sprintf("#%d", i)
			}
			return nil, fmt.Errorf("x-rules %s: %w", name, err)
		}
		rules = append(rules, r)
	}
	return rules, nil
}

func (src ruleSource) compile() (*Rule, error) {
	r := &Rule{ID: src.ID, Message: strings.TrimSpace(src.Message)}
	if r.ID == "" {
		return nil, fmt.Errorf("missing id")
	}
	if r.Message == "" {
		return nil, fmt.Errorf("missing message")
	}
	switch src.Severity {
	case "", "error":
		r.Severity = Error
	case "warning":
		r.Severity = Warning
	default:
		return nil, fmt.Errorf("severity %q: want error or warning", src.Severity)
	}
	var err error
	if r.ifAll, err = compileConditions(src.If, false); err != nil {
		return nil, fmt.Errorf("if: %w", err)
	}
	if r.unless, err = compileConditions(src.Unless, false); err != nil {
		return nil, fmt.Errorf("unless: %w", err)
	}
	if r.then, err = compileConditions(src.Then, true); err != nil {
		return nil, fmt.Errorf("then: %w", err)
	}
	if r.exactlyOneOf, err = compilePaths(src.ExactlyOneOf, false); err != nil {
		return nil, fmt.Errorf("exactlyOneOf: %w", err)
	}
	if r.atMostOneOf, err = compilePaths(src.AtMostOneOf, false); err != nil {
		return nil, fmt.Errorf("atMostOneOf: %w", err)
	}
	if r.requires, err = compilePaths(src.Requires, false); err != nil {
		return nil, fmt.Errorf("requires: %w", err)
	}
	if r.forbids, err = compilePaths(src.Forbids, true); err != nil {
		return nil, fmt.Errorf("forbids: %w", err)
	}
	if r.equal, err = compilePaths(src.Equal, false); err != nil {
		return nil, fmt.Errorf("equal: %w", err)
	}
	if src.Equal != nil && len(r.equal) != 2 {
		return nil, fmt.Errorf("equal: want exactly two paths")
	}
	if (src.ExactlyOneOf != nil && len(r.exactlyOneOf) < 2) || (src.AtMostOneOf != nil && len(r.atMostOneOf) < 2) {
		return nil, fmt.Errorf("exactlyOneOf and atMostOneOf need at least two paths")
	}
	if src.UniqueBy != nil {
		p, err := parseFieldPath(src.UniqueBy.Path)
		if err != nil || p.hasWildcard() || src.UniqueBy.Key == "" {
			return nil, fmt.Errorf("uniqueBy: want a path without '*' and a key")
		}
		r.uniqueBy = &uniqueBy{path: p, key: src.UniqueBy.Key}
	}
	if len(src.Keys) > 0 {
		s, err := compileSchema(src.Keys)
		if err != nil {
			return nil, fmt.Errorf("keys: %w", err)
		}
		c := newCondition(nil, s)
		r.keys = &c
	}
	if src.Total != nil {
		if r.total, err = src.Total.compile(); err != nil {
			return nil, fmt.Errorf("total: %w", err)
		}
	}
	if r.exactlyOneOf == nil && r.atMostOneOf == nil && r.requires == nil && r.forbids == nil &&
		r.then == nil && r.equal == nil && r.uniqueBy == nil && r.keys == nil && r.total == nil {
		return nil, fmt.Errorf("no effect (want one of exactlyOneOf, atMostOneOf, requires, forbids, then, equal, uniqueBy, keys, total)")
	}
	return r, nil
}

// paths returns every field path the rule names, for checks against the
// schema it is declared on.
func (r *Rule) paths() []fieldPath {
	var all []fieldPath
	for _, cs := range [][]condition{r.ifAll, r.unless, r.then} {
		for _, c := range cs {
			all = append(all, c.path)
		}
	}
	for _, ps := range [][]fieldPath{r.exactlyOneOf, r.atMostOneOf, r.requires, r.forbids, r.equal} {
		all = append(all, ps...)
	}
	if r.uniqueBy != nil {
		all = append(all, r.uniqueBy.path, append(slices.Clone(r.uniqueBy.path), "*", r.uniqueBy.key))
	}
	if t := r.total; t != nil {
		if t.factor != nil {
			all = append(all, t.factor)
		}
		for _, c := range t.terms {
			all = append(all, c.path)
		}
	}
	return all
}

func compilePaths(srcs []string, wildcards bool) ([]fieldPath, error) {
	if srcs == nil {
		return nil, nil
	}
	paths := make([]fieldPath, 0, len(srcs))
	for _, s := range srcs {
		p, err := parseFieldPath(s)
		if err != nil {
			return nil, err
		}
		if p.hasWildcard() && !wildcards {
			return nil, fmt.Errorf("path %q: '*' is not allowed here", s)
		}
		paths = append(paths, p)
	}
	return paths, nil
}

func compileConditions(src map[string]json.RawMessage, wildcards bool) ([]condition, error) {
	if src == nil {
		return nil, nil
	}
	keys := make([]string, 0, len(src))
	for k := range src {
		keys = append(keys, k)
	}
	slices.Sort(keys) // maps have no order; findings must
	conds := make([]condition, 0, len(keys))
	for _, k := range keys {
		paths, err := compilePaths([]string{k}, wildcards)
		if err != nil {
			return nil, err
		}
		s, err := compileSchema(src[k])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		conds = append(conds, newCondition(paths[0], s))
	}
	return conds, nil
}

func compileSchema(raw json.RawMessage) (*openapi3.Schema, error) {
	s := &openapi3.Schema{}
	if err := json.Unmarshal(raw, s); err != nil {
		return nil, err
	}
	if len(s.Extensions) > 0 {
		return nil, fmt.Errorf("unknown schema keyword(s) %v", slices.Sorted(maps.Keys(s.Extensions)))
	}
	if err := s.Validate(context.Background()); err != nil {
		return nil, err
	}
	return s, nil
}

// formatSource is the JSON shape of one x-formats entry.
type formatSource struct {
	Kind            string   `json:"kind"`
	Description     string   `json:"description"`
	MinClasses      int      `json:"minClasses"`
	Specials        string   `json:"specials"`
	Forbidden       []string `json:"forbidden"`
	MaxDecodedBytes int      `json:"maxDecodedBytes"`
	Layout          string   `json:"layout"`
	NotBefore       string   `json:"notBefore"`
	NotAfter        string   `json:"notAfter"`
}

// strictRemarshal converts an extension value (decoded JSON) into a typed
// value, rejecting unknown keys.
func strictRemarshal(v any, into any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(into)
}
