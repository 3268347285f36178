package publish

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/hwspec/compute/validate"
)

//go:embed templates/*.html templates/style.css templates/search.js
var templateFiles embed.FS

var templates = template.Must(template.New("").Funcs(template.FuncMap{"text": text, "inline": inline}).ParseFS(templateFiles, "templates/*.html"))

// markdown renders descriptions as CommonMark with GitHub's tables and
// strikethrough. Raw HTML in a document is not passed through: goldmark
// replaces it with a comment unless told otherwise (html.WithUnsafe), so a
// description cannot inject markup or script into the pages.
var markdown = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough))

// text renders a description (Markdown) as HTML.
func text(s string) template.HTML {
	var b bytes.Buffer
	if err := markdown.Convert([]byte(strings.TrimSpace(s)), &b); err != nil {
		// goldmark's renderer fails only when its writer does; a
		// bytes.Buffer does not.
		return template.HTML(template.HTMLEscapeString(s))
	}
	return template.HTML(b.String())
}

// inline renders a one-paragraph description (a rule's message) as inline
// HTML, without the paragraph around it.
func inline(s string) template.HTML {
	h := strings.TrimSpace(string(text(s)))
	if strings.HasPrefix(h, "<p>") && strings.HasSuffix(h, "</p>") && strings.Count(h, "<p>") == 1 {
		h = h[len("<p>") : len(h)-len("</p>")]
	}
	return template.HTML(h)
}

// The views the templates render.

type indexPageEntry struct {
	Name, Title, Version string
	Operations           int
}

type apiView struct {
	Name, Title, Version, Description string
	License                           *openapi3.License
	Servers                           []serverView
	Security                          []string
	Operations                        []opView
	Schemas                           []schemaView
	Rules                             []ruleIndexView
	Formats                           []formatView
	CSS                               template.CSS
	Script                            template.JS
}

type serverView struct{ URL, Description string }

type opView struct {
	ID, Method, Path, Summary, Description string
	Terms                                  string
	Params                                 []fieldView
	Body                                   *bodyView
	Responses                              []responseView
}

type bodyView struct {
	Type     template.HTML
	Schema   string
	Required bool
	Examples []exampleView
}

type responseView struct {
	Status, Description, ContentType string
	Type                             template.HTML
	Examples                         []exampleView
}

type exampleView struct{ Name, Summary, JSON string }

type fieldView struct {
	Name, In    string
	Type        template.HTML
	Required    bool
	Deprecated  bool
	Constraints string
	Pattern     string
	Format      string
	Description string
	Rules       []ruleView
}

type schemaView struct {
	Name, Description string
	Type              template.HTML
	Closed            bool
	Constraints       string
	Pattern           string
	Terms             string
	Fields            []fieldView
	Rules             []ruleView
}

type ruleView struct {
	ID, Severity, Words, Message string
	// Fields are the paths the rule involves, relative to where it is
	// declared.
	Fields []string
}

// ruleIndexView is one rule in the page's Rules section, with the schemas
// and fields it is declared on.
type ruleIndexView struct {
	ruleView
	Where []placeView
	Terms string
}

// placeView names a schema or a schema's field and its anchor.
type placeView struct{ Name, Anchor string }

type formatView struct{ Name, Kind, Description string }

func renderIndex(pages []indexPageEntry, schemas []string, changelog bool) ([]byte, error) {
	css, err := templateFiles.ReadFile("templates/style.css")
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	err = templates.ExecuteTemplate(&b, "index.html", map[string]any{"APIs": pages, "Schemas": schemas, "Changelog": changelog, "CSS": template.CSS(css)})
	return b.Bytes(), err
}

// renderAPI returns an API's page and the view it renders.
func renderAPI(name string, doc *openapi3.T) ([]byte, apiView, error) {
	css, err := templateFiles.ReadFile("templates/style.css")
	if err != nil {
		return nil, apiView{}, err
	}
	script, err := templateFiles.ReadFile("templates/search.js")
	if err != nil {
		return nil, apiView{}, err
	}
	v := apiView{Name: name, Title: doc.Info.Title, Version: doc.Info.Version, Description: doc.Info.Description, License: doc.Info.License, CSS: template.CSS(css), Script: template.JS(script)}
	for _, s := range doc.Servers {
		url := s.URL
		for vname, sv := range s.Variables {
			url = strings.ReplaceAll(url, "{"+vname+"}", sv.Default)
		}
		v.Servers = append(v.Servers, serverView{URL: url, Description: s.Description})
	}
	for _, req := range doc.Security {
		v.Security = append(v.Security, strings.Join(slices.Sorted(maps.Keys(req)), " + "))
	}
	for _, op := range operationsOf(doc) {
		ov, err := opViewOf(op)
		if err != nil {
			return nil, v, err
		}
		v.Operations = append(v.Operations, ov)
	}
	for _, sname := range slices.Sorted(maps.Keys(doc.Components.Schemas)) {
		sv, err := schemaViewOf(sname, doc.Components.Schemas[sname].Value)
		if err != nil {
			return nil, v, err
		}
		v.Schemas = append(v.Schemas, sv)
	}
	v.Rules = ruleIndex(v.Schemas)
	if raw, ok := doc.Extensions["x-formats"].(map[string]any); ok {
		for _, fname := range slices.Sorted(maps.Keys(raw)) {
			f, _ := raw[fname].(map[string]any)
			kind, _ := f["kind"].(string)
			desc, _ := f["description"].(string)
			v.Formats = append(v.Formats, formatView{Name: fname, Kind: kind, Description: desc})
		}
	}
	var b bytes.Buffer
	err = templates.ExecuteTemplate(&b, "api.html", v)
	return b.Bytes(), v, err
}

// operation is one operation with where it lives.
type operation struct {
	method, path string
	item         *openapi3.PathItem
	op           *openapi3.Operation
}

// operationsOf lists a document's operations by path, then method.
func operationsOf(doc *openapi3.T) []operation {
	var ops []operation
	for _, path := range slices.Sorted(maps.Keys(doc.Paths.Map())) {
		item := doc.Paths.Value(path)
		for _, method := range slices.Sorted(maps.Keys(item.Operations())) {
			ops = append(ops, operation{method: method, path: path, item: item, op: item.Operations()[method]})
		}
	}
	return ops
}

func opViewOf(o operation) (opView, error) {
	ov := opView{ID: o.op.OperationID, Method: o.method, Path: o.path, Summary: o.op.Summary, Description: o.op.Description}
	ov.Terms = strings.Join([]string{ov.ID, ov.Method, ov.Path, ov.Summary}, " ")
	params := append(slices.Clone(o.item.Parameters), o.op.Parameters...)
	for _, p := range params {
		pv := p.Value
		f := fieldView{Name: pv.Name, In: pv.In, Required: pv.Required, Description: pv.Description}
		if pv.Schema != nil {
			f.Type = typeOf(pv.Schema)
			f.Constraints, f.Pattern = constraintsOf(pv.Schema.Value)
		}
		ov.Params = append(ov.Params, f)
	}
	if rb := o.op.RequestBody; rb != nil && rb.Value != nil {
		if mt := rb.Value.Content.Get("application/json"); mt != nil {
			ov.Body = &bodyView{Type: typeOf(mt.Schema), Schema: schemaFile(ov.ID), Required: rb.Value.Required, Examples: examplesOf(mt.Examples)}
		}
	}
	codes := slices.Sorted(maps.Keys(o.op.Responses.Map()))
	for _, code := range codes {
		r := o.op.Responses.Value(code).Value
		rv := responseView{Status: code}
		if r.Description != nil {
			rv.Description = *r.Description
		}
		for _, ct := range slices.Sorted(maps.Keys(r.Content)) {
			rv.ContentType = ct
			rv.Type = typeOf(r.Content[ct].Schema)
			rv.Examples = examplesOf(r.Content[ct].Examples)
		}
		ov.Responses = append(ov.Responses, rv)
	}
	return ov, nil
}

func examplesOf(exs openapi3.Examples) []exampleView {
	var out []exampleView
	for _, name := range slices.Sorted(maps.Keys(exs)) {
		ex := exs[name].Value
		if ex == nil {
			continue
		}
		raw, err := json.MarshalIndent(ex.Value, "", "  ")
		if err != nil {
			continue
		}
		out = append(out, exampleView{Name: name, Summary: ex.Summary, JSON: string(raw)})
	}
	return out
}

func schemaViewOf(name string, s *openapi3.Schema) (schemaView, error) {
	sv := schemaView{Name: name, Description: s.Description, Type: template.HTML(template.HTMLEscapeString(typeWord(s)))}
	sv.Constraints, sv.Pattern = constraintsOf(s)
	terms := []string{name}
	sv.Closed = s.AdditionalProperties.Has != nil && !*s.AdditionalProperties.Has
	var err error
	if sv.Rules, err = rulesOf(s); err != nil {
		return sv, fmt.Errorf("schema %s: %w", name, err)
	}
	for _, pname := range slices.Sorted(maps.Keys(s.Properties)) {
		ref := s.Properties[pname]
		f := fieldView{Name: pname, Type: typeOf(ref), Required: slices.Contains(s.Required, pname), Deprecated: ref.Value.Deprecated}
		if ref.Ref == "" {
			f.Description = ref.Value.Description
			f.Format = ref.Value.Format
			f.Constraints, f.Pattern = constraintsOf(ref.Value)
			if f.Rules, err = rulesOf(ref.Value); err != nil {
				return sv, fmt.Errorf("schema %s.%s: %w", name, pname, err)
			}
		} else {
			n := refName(ref.Ref)
			f.Description = "See [" + n + "](#schema-" + n + ")."
		}
		sv.Fields = append(sv.Fields, f)
		terms = append(terms, pname)
	}
	for _, r := range sv.Rules {
		terms = append(terms, r.ID)
	}
	sv.Terms = strings.Join(terms, " ")
	return sv, nil
}

func rulesOf(s *openapi3.Schema) ([]ruleView, error) {
	rules, err := validate.ParseRules(s)
	if err != nil {
		return nil, err
	}
	var out []ruleView
	for _, r := range rules {
		out = append(out, ruleView{ID: r.ID, Severity: r.Severity.String(), Words: r.Describe(), Message: r.Message, Fields: r.Fields()})
	}
	return out, nil
}

// ruleIndex lists the rules declared on the schemas and their fields, each
// once (a rule id can be declared on two schemas that share a shape), in id
// order, with where each is declared.
func ruleIndex(schemas []schemaView) []ruleIndexView {
	byID := map[string]*ruleIndexView{}
	add := func(r ruleView, where placeView) {
		e := byID[r.ID]
		if e == nil {
			e = &ruleIndexView{ruleView: r, Terms: r.ID + " " + r.Words}
			byID[r.ID] = e
		}
		e.Where = append(e.Where, where)
	}
	for _, s := range schemas {
		for _, r := range s.Rules {
			add(r, placeView{Name: s.Name, Anchor: "schema-" + s.Name})
		}
		for _, f := range s.Fields {
			for _, r := range f.Rules {
				add(r, placeView{Name: s.Name + "." + f.Name, Anchor: "schema-" + s.Name + "." + f.Name})
			}
		}
	}
	out := make([]ruleIndexView, 0, len(byID))
	for _, id := range slices.Sorted(maps.Keys(byID)) {
		out = append(out, *byID[id])
	}
	return out
}

func refName(ref string) string { return ref[strings.LastIndexByte(ref, '/')+1:] }

// typeOf names a schema's type, linking to the component a $ref points at.
func typeOf(ref *openapi3.SchemaRef) template.HTML {
	if ref == nil {
		return ""
	}
	if ref.Ref != "" {
		n := template.HTMLEscapeString(refName(ref.Ref))
		return template.HTML(`<a href="#schema-` + n + `">` + n + `</a>`)
	}
	s := ref.Value
	switch {
	case s.Type.Is("array") && s.Items != nil:
		return "array of " + typeOf(s.Items)
	case s.Type.Is("object") && s.AdditionalProperties.Schema != nil:
		return "map of " + typeOf(s.AdditionalProperties.Schema)
	}
	return template.HTML(template.HTMLEscapeString(typeWord(s)))
}

func typeWord(s *openapi3.Schema) string {
	if s.Type == nil || len(s.Type.Slice()) == 0 {
		return "any"
	}
	t := strings.Join(s.Type.Slice(), " or ")
	if s.Format != "" {
		t += " (" + s.Format + ")"
	}
	return t
}

// constraintsOf states a schema's JSON Schema constraints in short words,
// and returns its pattern apart, for the page to set in monospace.
func constraintsOf(s *openapi3.Schema) (words, pattern string) {
	var parts []string
	if len(s.Enum) > 0 {
		vals := make([]string, len(s.Enum))
		for i, v := range s.Enum {
			raw, _ := json.Marshal(v)
			vals[i] = string(raw)
		}
		parts = append(parts, "one of "+strings.Join(vals, ", "))
	}
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	if s.Min != nil {
		parts = append(parts, "≥ "+num(*s.Min))
	}
	if s.Max != nil {
		parts = append(parts, "≤ "+num(*s.Max))
	}
	if s.MultipleOf != nil {
		parts = append(parts, "multiple of "+num(*s.MultipleOf))
	}
	if s.MinLength > 0 {
		parts = append(parts, count("at least", s.MinLength, "character"))
	}
	if s.MaxLength != nil {
		parts = append(parts, count("at most", *s.MaxLength, "character"))
	}
	if s.MinItems > 0 {
		parts = append(parts, count("at least", s.MinItems, "item"))
	}
	if s.MaxItems != nil {
		parts = append(parts, count("at most", *s.MaxItems, "item"))
	}
	if s.MaxProps != nil {
		parts = append(parts, count("at most", *s.MaxProps, "member"))
	}
	if s.Not != nil && s.Not.Value != nil && len(s.Not.Value.Enum) > 0 {
		raw, _ := json.Marshal(s.Not.Value.Enum)
		parts = append(parts, "not "+string(raw))
	}
	if s.Default != nil {
		raw, _ := json.Marshal(s.Default)
		parts = append(parts, "default "+string(raw))
	}
	if s.Nullable {
		parts = append(parts, "may be null")
	}
	return strings.Join(parts, "; "), s.Pattern
}

func count(bound string, n uint64, noun string) string {
	if n != 1 {
		noun += "s"
	}
	return fmt.Sprintf("%s %d %s", bound, n, noun)
}
