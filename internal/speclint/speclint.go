// Package speclint checks the hand-written OpenAPI documents for the
// conventions of spec/README.md, beyond what kin-openapi's own document
// validation checks: a licence, operation hygiene, a description on every
// schema and property, closed request schemas, examples that match their
// schemas (formats and cross-field rules included), declared and used
// formats, and no unused component.
package speclint

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/hwspec/compute/validate"
)

// Problem is one violation of the conventions.
type Problem struct {
	API string
	// Where names the place in the document, e.g.
	// "components.schemas.PrePaidServer.properties.name".
	Where   string
	Check   string
	Message string
}

func (p Problem) String() string {
	return fmt.Sprintf("%s: %s: %s [%s]", p.API, p.Where, p.Message, p.Check)
}

// standardFormats are the OpenAPI formats a document may use without
// declaring them in x-formats.
var standardFormats = []string{"int32", "int64", "float", "double"}

// Lint checks every API of an engine and returns the problems in a stable
// order.
func Lint(e *validate.Engine) []Problem {
	var out []Problem
	for _, api := range e.APIs() {
		l := &linter{api: api, engine: e}
		l.run()
		out = append(out, l.problems...)
	}
	return out
}

type linter struct {
	api      *validate.API
	engine   *validate.Engine
	problems []Problem
}

func (l *linter) add(where, check, format string, args ...any) {
	l.problems = append(l.problems, Problem{API: l.api.Name, Where: where, Check: check, Message: fmt.Sprintf(format, args...)})
}

func (l *linter) run() {
	doc := l.api.Doc
	if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation()); err != nil {
		l.add("document", "openapi", "%v", err)
	}
	if doc.OpenAPI != "3.0.3" {
		l.add("openapi", "version", "want openapi 3.0.3, got %q", doc.OpenAPI)
	}
	if lic := doc.Info.License; lic == nil || lic.Name == "" || lic.URL == "" {
		l.add("info.license", "license", "the document needs info.license with a name and a url (publishing tools warn without one)")
	}
	l.operations()
	l.schemas()
	l.requestSchemasClosed()
	l.formats()
	l.rules()
	l.examples()
	l.unusedComponents()
	sort.SliceStable(l.problems, func(i, j int) bool { return l.problems[i].Where < l.problems[j].Where })
}

func (l *linter) operations() {
	declared := map[string]bool{}
	for _, t := range l.api.Doc.Tags {
		declared[t.Name] = true
		if strings.TrimSpace(t.Description) == "" {
			l.add("tags."+t.Name, "description", "tag has no description")
		}
	}
	for _, path := range l.api.Doc.Paths.InMatchingOrder() {
		for method, op := range l.api.Doc.Paths.Value(path).Operations() {
			where := fmt.Sprintf("paths.%s.%s", path, strings.ToLower(method))
			if op.OperationID == "" {
				l.add(where, "operationId", "operation has no operationId")
			}
			if strings.TrimSpace(op.Summary) == "" {
				l.add(where, "summary", "operation has no summary")
			}
			if strings.TrimSpace(op.Description) == "" {
				l.add(where, "description", "operation has no description")
			}
			if len(op.Tags) != 1 {
				l.add(where, "tags", "operation needs exactly one tag, has %d", len(op.Tags))
			}
			for _, t := range op.Tags {
				if !declared[t] {
					l.add(where, "tags", "tag %q is not declared in the document's tags", t)
				}
			}
			for _, p := range op.Parameters {
				l.parameter(where+".parameters", p)
			}
			for code, r := range op.Responses.Map() {
				if r.Value != nil && (r.Value.Description == nil || strings.TrimSpace(*r.Value.Description) == "") {
					l.add(where+".responses."+code, "description", "response has no description")
				}
			}
		}
		for _, p := range l.api.Doc.Paths.Value(path).Parameters {
			l.parameter("paths."+path+".parameters", p)
		}
	}
}

func (l *linter) parameter(where string, p *openapi3.ParameterRef) {
	if p.Value == nil {
		return
	}
	if strings.TrimSpace(p.Value.Description) == "" {
		l.add(where+"."+p.Value.Name, "description", "parameter has no description")
	}
}

// schemas checks that every component schema and every property, at any
// depth, has a description (a property that is a $ref takes its target's).
func (l *linter) schemas() {
	for _, name := range slices.Sorted(maps.Keys(l.api.Doc.Components.Schemas)) {
		ref := l.api.Doc.Components.Schemas[name]
		l.describeSchema("components.schemas."+name, ref.Value)
	}
}

func (l *linter) describeSchema(where string, s *openapi3.Schema) {
	if s == nil {
		return
	}
	if strings.TrimSpace(s.Description) == "" {
		l.add(where, "description", "schema has no description")
	}
	for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
		p := s.Properties[name]
		if p.Ref != "" {
			continue // described where it is defined
		}
		l.describeSchema(where+".properties."+name, p.Value)
	}
	if s.Items != nil && s.Items.Ref == "" && s.Items.Value != nil && !s.Items.Value.Type.Is("string") && !s.Items.Value.Type.Is("integer") {
		l.describeSchema(where+".items", s.Items.Value)
	}
}

// requestSchemasClosed checks that every object schema reachable from a
// request body rejects unknown members: additionalProperties false, or a
// schema for a documented string map.
func (l *linter) requestSchemasClosed() {
	seen := map[*openapi3.Schema]bool{}
	var walk func(where string, s *openapi3.Schema)
	walk = func(where string, s *openapi3.Schema) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		if s.Type.Is("object") {
			ap := s.AdditionalProperties
			switch {
			case len(s.Properties) > 0 && (ap.Has == nil || *ap.Has):
				l.add(where, "closed", "request object schema must set additionalProperties: false")
			case len(s.Properties) == 0 && ap.Schema == nil:
				l.add(where, "closed", "request object schema without properties must be a map (additionalProperties: <schema>)")
			}
		}
		for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
			walk(where+".properties."+name, s.Properties[name].Value)
		}
		if s.Items != nil {
			walk(where+".items", s.Items.Value)
		}
		if s.AdditionalProperties.Schema != nil {
			walk(where+".additionalProperties", s.AdditionalProperties.Schema.Value)
		}
	}
	for _, op := range l.engine.Operations() {
		if op.API != l.api {
			continue
		}
		if s := op.RequestSchema(); s != nil {
			walk("requestBody of "+op.ID, s)
		}
	}
}

// formats checks that every format a schema uses is standard or declared in
// x-formats, and that every declared format is used.
func (l *linter) formats() {
	used := map[string]bool{}
	l.walk(func(s *openapi3.Schema) {
		if s.Format != "" {
			used[s.Format] = true
		}
	})
	for _, f := range slices.Sorted(maps.Keys(used)) {
		if l.api.Formats[f] == nil && !slices.Contains(standardFormats, f) {
			l.add("format "+f, "format", "format %q is neither standard nor declared in x-formats", f)
		}
	}
	for _, f := range slices.Sorted(maps.Keys(l.api.Formats)) {
		if !used[f] {
			l.add("x-formats."+f, "unused", "format %q is declared but no schema uses it", f)
		}
	}
}

// walk calls fn for every schema of the document, once each.
func (l *linter) walk(fn func(*openapi3.Schema)) {
	seen := map[*openapi3.Schema]bool{}
	err := l.api.Doc.WalkSchemas(func(_ string, ref *openapi3.SchemaRef) error {
		if !seen[ref.Value] {
			seen[ref.Value] = true
			fn(ref.Value)
		}
		return nil
	})
	if err != nil {
		l.add("document", "walk", "%v", err)
	}
}

// rules checks rule ids: prefixed with the API name, and not reused for a
// different rule; and the paths of total effects: the factor names a number,
// and no term names a whole array (it would count once, not per item).
func (l *linter) rules() {
	byID := map[string]string{}
	l.walk(func(s *openapi3.Schema) {
		l.totals(s)
		raw, ok := s.Extensions["x-rules"].([]any)
		if !ok {
			return
		}
		for _, r := range raw {
			m, _ := r.(map[string]any)
			id, _ := m["id"].(string)
			if !strings.HasPrefix(id, l.api.Name+".") {
				l.add("x-rules "+id, "rule-id", "rule id must start with %q", l.api.Name+".")
			}
			def, _ := json.Marshal(m)
			if prev, ok := byID[id]; ok && prev != string(def) {
				l.add("x-rules "+id, "rule-id", "rule id is used for two different rules")
			}
			byID[id] = string(def)
		}
	})
}

// totals checks the total effects of the rules declared on s.
func (l *linter) totals(s *openapi3.Schema) {
	rules, err := validate.ParseRules(s)
	if err != nil {
		return // the engine refuses to load such a document
	}
	for _, r := range rules {
		factor, terms, ok := r.TotalPaths()
		if !ok {
			continue
		}
		if factor != "" {
			if f := schemaAt(s, factor); f == nil || !(f.Type.Is("integer") || f.Type.Is("number")) {
				l.add("x-rules "+r.ID, "total", "the factor %s must name an integer or number field", factor)
			}
		}
		for _, p := range terms {
			if t := schemaAt(s, p); t != nil && t.Type.Is("array") {
				l.add("x-rules "+r.ID, "total", "the term %s is an array and would count once; write %s/* to count its items", p, p)
			}
		}
	}
}

// schemaAt follows a rule path (with "*" for array items) from s; nil when
// the path leaves the schema.
func schemaAt(s *openapi3.Schema, path string) *openapi3.Schema {
	for _, seg := range strings.Split(path, "/") {
		switch {
		case s == nil:
			return nil
		case seg == "*" && s.Items != nil:
			s = s.Items.Value
		case s.Properties[seg] != nil:
			s = s.Properties[seg].Value
		case s.AdditionalProperties.Schema != nil:
			s = s.AdditionalProperties.Schema.Value
		default:
			return nil
		}
	}
	return s
}

// examples checks that every named request example is valid for its
// operation with no finding at all, warnings included: examples are what
// people copy.
func (l *linter) examples() {
	for _, op := range l.engine.Operations() {
		if op.API != l.api {
			continue
		}
		for name, ex := range op.RequestExamples() {
			body, err := json.Marshal(ex)
			if err != nil {
				l.add("requestBody of "+op.ID+" example "+name, "example", "cannot encode: %v", err)
				continue
			}
			res, err := l.engine.ValidateBody(op.ID, body)
			if err != nil {
				l.add("requestBody of "+op.ID+" example "+name, "example", "%v", err)
				continue
			}
			for _, f := range res.Findings {
				l.add("requestBody of "+op.ID+" example "+name, "example", "%s", f)
			}
		}
	}
}

// unusedComponents reports components nothing refers to.
func (l *linter) unusedComponents() {
	raw, err := json.Marshal(l.api.Doc)
	if err != nil {
		l.add("document", "unused", "cannot encode the document: %v", err)
		return
	}
	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		l.add("document", "unused", "cannot decode the document: %v", err)
		return
	}
	refs := map[string]bool{}
	collectRefs(tree, refs)
	c := l.api.Doc.Components
	check := func(kind string, names []string) {
		for _, n := range names {
			if !refs["#/components/"+kind+"/"+n] {
				l.add("components."+kind+"."+n, "unused", "component is not referenced")
			}
		}
	}
	check("schemas", slices.Sorted(maps.Keys(c.Schemas)))
	check("parameters", slices.Sorted(maps.Keys(c.Parameters)))
	check("responses", slices.Sorted(maps.Keys(c.Responses)))
	check("examples", slices.Sorted(maps.Keys(c.Examples)))
	check("requestBodies", slices.Sorted(maps.Keys(c.RequestBodies)))
	check("headers", slices.Sorted(maps.Keys(c.Headers)))
	schemes := map[string]bool{}
	reqs := slices.Clone(l.api.Doc.Security)
	for _, path := range l.api.Doc.Paths.InMatchingOrder() {
		for _, op := range l.api.Doc.Paths.Value(path).Operations() {
			if op.Security != nil {
				reqs = append(reqs, *op.Security...)
			}
		}
	}
	for _, r := range reqs {
		for name := range r {
			schemes[name] = true
		}
	}
	for _, n := range slices.Sorted(maps.Keys(c.SecuritySchemes)) {
		if !schemes[n] {
			l.add("components.securitySchemes."+n, "unused", "security scheme is not required anywhere")
		}
	}
}

func collectRefs(v any, refs map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		if r, ok := v["$ref"].(string); ok {
			refs[r] = true
		}
		for _, c := range v {
			collectRefs(c, refs)
		}
	case []any:
		for _, c := range v {
			collectRefs(c, refs)
		}
	}
}
