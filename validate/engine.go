package validate

import (
	"context"
	"fmt"
	"maps"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/hwspec/compute/spec"
)

// Engine validates requests against the embedded specs. Build it once with
// New; it is safe for concurrent use.
type Engine struct {
	apis   []*API
	ops    []*Operation
	byID   map[string]*Operation
	limits Limits
	// unknownFields is the severity of schema.additionalProperties
	// findings: Error unless WithUnknownFields says otherwise.
	unknownFields Severity
}

// API is one loaded spec document with its named formats.
type API struct {
	// Name is the spec folder name: "devserver", "clouddc" or "ecs".
	Name string
	// Doc is the loaded and validated OpenAPI document. Treat it as read-only.
	Doc     *openapi3.T
	Formats map[string]*Format

	limits        Limits
	unknownFields Severity // see WithUnknownFields
	schemaOpts    []openapi3.SchemaValidationOption
	names         map[string]string // every property name, for the decoder to intern
	// sortedProps holds each object schema's property names, sorted, for
	// "did you mean" messages.
	sortedProps map[*openapi3.Schema][]string
	// credentialForms holds the x-credential-form of security schemes.
	credentialForms map[string]*credentialForm
}

// Operation is one operation of an API, compiled for validation.
type Operation struct {
	API    *API
	ID     string
	Method string
	// Path is the path template, e.g. /v1.1/{project_id}/cloudservers.
	Path string

	segments   []string
	params     openapi3.Parameters
	paramQuick []*quickSchema // per params entry; nil entries use kin-openapi
	security   openapi3.SecurityRequirements
	// securityHeaders are the headers the security schemes read, sorted:
	// each takes one value (see checkSecurity).
	securityHeaders []string
	body            *openapi3.Schema
	quick           *quickSchema // nil: the schema needs kin-openapi for every request
	bodyRequired    bool
	sites           []ruleSite
}

// ruleSite is where in a request body the rules of one schema apply.
type ruleSite struct {
	at    fieldPath
	rules []*Rule
}

type config struct {
	now           func() time.Time
	limits        Limits
	unknownFields Severity
}

// Option configures an Engine.
type Option func(*config)

// WithClock sets the clock that time-window formats (such as ECS
// auto_terminate_time) compare against. The default is time.Now. A request
// that names its own instant (Request.Now) is validated at that instant:
// one engine serves every clock.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.now = now }
}

// Limits bound what the engine accepts and what it reports.
type Limits struct {
	// MaxBodyBytes is the largest body accepted (default 1 MiB). It is at
	// most math.MaxInt/2 (a larger value, "no limit", is that), so that a
	// front-end can read one byte past it without overflowing.
	MaxBodyBytes int
	// MaxDepth is the deepest nesting of objects and arrays (default 64).
	MaxDepth int
	// MaxFindings is how many findings one request reports at most
	// (default 100): the first ones in the order of Result.Findings, then
	// one more finding with the rule id TruncatedRule that says how many
	// were left out. Every front-end (the CLI, the server middleware, the
	// client's pre-flight check) gets the same cap from the engine.
	MaxFindings int
}

// maxBodyBytes is the largest Limits.MaxBodyBytes.
const maxBodyBytes = math.MaxInt / 2

// DefaultLimits are the limits New uses unless WithLimits says otherwise.
var DefaultLimits = Limits{MaxBodyBytes: 1 << 20, MaxDepth: 64, MaxFindings: 100}

// withDefaults fills the fields of l that are zero or negative from
// DefaultLimits.
func (l Limits) withDefaults() Limits {
	if l.MaxBodyBytes <= 0 {
		l.MaxBodyBytes = DefaultLimits.MaxBodyBytes
	}
	// Front-ends read MaxBodyBytes+1 bytes to tell a body at the limit from
	// a longer one: at math.MaxInt that overflowed into reading nothing.
	l.MaxBodyBytes = min(l.MaxBodyBytes, maxBodyBytes)
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultLimits.MaxDepth
	}
	if l.MaxFindings <= 0 {
		l.MaxFindings = DefaultLimits.MaxFindings
	}
	return l
}

// WithLimits sets the body size, nesting and findings limits; a field left
// zero keeps its value from DefaultLimits.
func WithLimits(l Limits) Option {
	return func(c *config) { c.limits = l.withDefaults() }
}

// Limits returns the limits the engine was built with (WithLimits, else
// DefaultLimits), so that front-ends that read a body before validating it
// (the server's middleware, AK/SK verification) stop where the engine does.
func (e *Engine) Limits() Limits { return e.limits }

// WithUnknownFields sets the severity of an undeclared member of a body
// (rule schema.additionalProperties): Error by default, Warning to tolerate
// unknown fields (the CLI's -allow-unknown-fields). A member that differs
// from a declared one only in letter case stays an error
// (json.case-variant-key). The engine applies it before it caps the
// findings, so the summary of the findings left out (TruncatedRule) carries
// the right severity.
func WithUnknownFields(s Severity) Option {
	return func(c *config) { c.unknownFields = s }
}

// New loads every embedded spec document, validates it, and compiles its
// operations, formats and rules. An error means a spec is broken.
func New(opts ...Option) (*Engine, error) {
	var sources []Source
	for _, name := range spec.APIs() {
		data, err := spec.Document(name)
		if err != nil {
			return nil, err
		}
		sources = append(sources, Source{Name: name, Data: data})
	}
	return FromSources(sources, opts...)
}

// Source is an OpenAPI document to build an engine from.
type Source struct {
	// Name names the API in errors and in API.Name.
	Name string
	// Data is the document, YAML or JSON.
	Data []byte
}

// FromSources builds an engine from the given documents instead of the
// embedded specs; tools that check other documents (spec linting, tests of
// the vocabulary) use it.
func FromSources(sources []Source, opts ...Option) (*Engine, error) {
	cfg := config{now: time.Now, limits: DefaultLimits, unknownFields: Error}
	for _, o := range opts {
		o(&cfg)
	}
	e := &Engine{byID: map[string]*Operation{}, limits: cfg.limits, unknownFields: cfg.unknownFields}
	for _, src := range sources {
		api, err := loadAPI(src, cfg)
		if err != nil {
			return nil, err
		}
		e.apis = append(e.apis, api)
		ops, err := compileOperations(api)
		if err != nil {
			return nil, fmt.Errorf("spec %s: %w", src.Name, err)
		}
		for _, op := range ops {
			if _, dup := e.byID[op.ID]; dup {
				return nil, fmt.Errorf("spec %s: operationId %s is used twice", src.Name, op.ID)
			}
			e.byID[op.ID] = op
			e.ops = append(e.ops, op)
		}
	}
	return e, nil
}

// APIs returns the loaded documents in the order of spec.APIs.
func (e *Engine) APIs() []*API { return slices.Clone(e.apis) }

// Operations returns every operation, ordered by API, then path, then method.
func (e *Engine) Operations() []*Operation { return slices.Clone(e.ops) }

// Operation returns the operation with the given operationId, or nil.
func (e *Engine) Operation(id string) *Operation { return e.byID[id] }

func loadAPI(src Source, cfg config) (*API, error) {
	name := src.Name
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(src.Data)
	if err != nil {
		return nil, fmt.Errorf("spec %s: %w", name, err)
	}
	if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
		return nil, fmt.Errorf("spec %s: %w", name, err)
	}
	if doc.Components == nil {
		// A document without components is valid OpenAPI; the engine reads
		// schemas and security schemes from there, so give it an empty set.
		doc.Components = &openapi3.Components{}
	}
	api := &API{Name: name, Doc: doc, Formats: map[string]*Format{}, limits: cfg.limits, unknownFields: cfg.unknownFields}
	if raw, ok := doc.Extensions["x-formats"]; ok {
		var srcs map[string]formatSource
		if err := strictRemarshal(raw, &srcs); err != nil {
			return nil, fmt.Errorf("spec %s: x-formats: %w", name, err)
		}
		for _, fname := range slices.Sorted(maps.Keys(srcs)) {
			f, err := compileFormat(fname, srcs[fname], cfg.now)
			if err != nil {
				return nil, fmt.Errorf("spec %s: x-formats: %w", name, err)
			}
			api.Formats[fname] = f
		}
	}
	if api.credentialForms, err = compileCredentialForms(api); err != nil {
		return nil, fmt.Errorf("spec %s: %w", name, err)
	}
	api.names, api.sortedProps = map[string]string{}, map[*openapi3.Schema][]string{}
	seen := map[*openapi3.Schema]bool{}
	for _, ref := range doc.Components.Schemas {
		api.collectNames(ref.Value, seen)
	}
	api.schemaOpts = []openapi3.SchemaValidationOption{
		openapi3.MultiErrors(),
		openapi3.VisitAsRequest(),
		openapi3.DisableSchemaErrorDetails(),
		openapi3.WithStringFormatValidators(formatValidators(api.Formats, time.Time{})),
	}
	return api, nil
}

// optsAt are the kin-openapi options for validating at the instant now
// (zero: the engine's clock).
func (a *API) optsAt(now time.Time) []openapi3.SchemaValidationOption {
	if now.IsZero() {
		return a.schemaOpts
	}
	opts := slices.Clone(a.schemaOpts)
	opts[len(opts)-1] = openapi3.WithStringFormatValidators(formatValidators(a.Formats, now))
	return opts
}

func compileOperations(api *API) ([]*Operation, error) {
	var ops []*Operation
	rulesOf := map[*openapi3.Schema][]*Rule{}
	for _, path := range api.Doc.Paths.InMatchingOrder() {
		item := api.Doc.Paths.Value(path)
		for method, o := range item.Operations() {
			op := &Operation{
				API:      api,
				ID:       o.OperationID,
				Method:   method,
				Path:     path,
				segments: strings.Split(strings.Trim(path, "/"), "/"),
				params:   mergeParams(item.Parameters, o.Parameters),
				security: api.Doc.Security,
			}
			if op.ID == "" {
				return nil, fmt.Errorf("%s %s: missing operationId", method, path)
			}
			for _, p := range op.params {
				var q *quickSchema
				if p.Value.Schema != nil {
					q, _ = compileQuick(p.Value.Schema.Value, api.Formats, map[*openapi3.Schema]*quickSchema{})
				}
				op.paramQuick = append(op.paramQuick, q)
			}
			if o.Security != nil {
				op.security = *o.Security
			}
			op.securityHeaders = api.securityHeaders(op.security)
			if rb := o.RequestBody; rb != nil && rb.Value != nil {
				mt := rb.Value.Content.Get("application/json")
				if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
					return nil, fmt.Errorf("%s: request body must be application/json with a schema", op.ID)
				}
				op.body = mt.Schema.Value
				op.bodyRequired = rb.Value.Required
				if q, err := compileQuick(op.body, api.Formats, map[*openapi3.Schema]*quickSchema{}); err == nil {
					op.quick = q
				}
				var err error
				op.sites, err = collectRuleSites(op.body, nil, rulesOf, map[*openapi3.Schema]bool{})
				if err != nil {
					return nil, fmt.Errorf("%s: %w", op.ID, err)
				}
			}
			ops = append(ops, op)
		}
	}
	slices.SortFunc(ops, func(a, b *Operation) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return strings.Compare(a.Method, b.Method)
	})
	return ops, nil
}

// collectNames records the property names of a schema and its subschemas.
func (a *API) collectNames(s *openapi3.Schema, seen map[*openapi3.Schema]bool) {
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	if len(s.Properties) > 0 {
		a.sortedProps[s] = slices.Sorted(maps.Keys(s.Properties))
	}
	for name, p := range s.Properties {
		a.names[name] = name
		a.collectNames(p.Value, seen)
	}
	if s.Items != nil {
		a.collectNames(s.Items.Value, seen)
	}
	if s.AdditionalProperties.Schema != nil {
		a.collectNames(s.AdditionalProperties.Schema.Value, seen)
	}
}

// propertyNames returns a schema's property names, sorted.
func (a *API) propertyNames(s *openapi3.Schema) []string {
	if names, ok := a.sortedProps[s]; ok {
		return names
	}
	return slices.Sorted(maps.Keys(s.Properties)) // an inline schema outside the components
}

// mergeParams applies the OpenAPI rule that an operation parameter overrides
// a path-item parameter with the same name and location.
func mergeParams(itemParams, opParams openapi3.Parameters) openapi3.Parameters {
	merged := slices.Clone(opParams)
	for _, p := range itemParams {
		if opParams.GetByInAndName(p.Value.In, p.Value.Name) == nil {
			merged = append(merged, p)
		}
	}
	return merged
}

// collectRuleSites walks a body schema and records, for every schema that
// declares x-rules, the body path where its instances live.
func collectRuleSites(s *openapi3.Schema, at fieldPath, rulesOf map[*openapi3.Schema][]*Rule, onPath map[*openapi3.Schema]bool) ([]ruleSite, error) {
	if s == nil || onPath[s] {
		return nil, nil // recursive schemas: rules are collected on the first visit
	}
	onPath[s] = true
	defer delete(onPath, s)

	var sites []ruleSite
	rules, seen := rulesOf[s]
	if !seen {
		var err error
		if rules, err = parseRules(s.Extensions["x-rules"]); err != nil {
			return nil, fmt.Errorf("schema at /%s: %w", at, err)
		}
		for _, r := range rules {
			for _, p := range r.paths() {
				if err := checkSchemaPath(s, p); err != nil {
					return nil, fmt.Errorf("schema at /%s: rule %s: %w", at, r.ID, err)
				}
			}
		}
		rulesOf[s] = rules
	}
	if len(rules) > 0 {
		sites = append(sites, ruleSite{at: slices.Clone(at), rules: rules})
	}
	for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
		sub, err := collectRuleSites(s.Properties[name].Value, append(slices.Clone(at), name), rulesOf, onPath)
		if err != nil {
			return nil, err
		}
		sites = append(sites, sub...)
	}
	if s.Items != nil {
		sub, err := collectRuleSites(s.Items.Value, append(slices.Clone(at), "*"), rulesOf, onPath)
		if err != nil {
			return nil, err
		}
		sites = append(sites, sub...)
	}
	return sites, nil
}

// checkSchemaPath reports whether a rule path names a field the schema can
// hold: a declared property, an array item, or a key of a string map.
func checkSchemaPath(s *openapi3.Schema, p fieldPath) error {
	cur := s
	for i, seg := range p {
		switch {
		case seg == "*":
			if cur.Items == nil {
				return fmt.Errorf("path %s: %s is not an array", p, fieldPath(p[:i]))
			}
			cur = cur.Items.Value
		case cur.Properties[seg] != nil:
			cur = cur.Properties[seg].Value
		case cur.AdditionalProperties.Schema != nil:
			cur = cur.AdditionalProperties.Schema.Value
		default:
			return fmt.Errorf("path %s: no field %q in the schema", p, seg)
		}
	}
	return nil
}

// RequestSchema returns the schema of the JSON request body, or nil when the
// operation takes none.
func (op *Operation) RequestSchema() *openapi3.Schema { return op.body }

// RequestExamples returns the named examples of the JSON request body, by
// name, as decoded values.
func (op *Operation) RequestExamples() map[string]any {
	o := op.API.Doc.Paths.Find(op.Path).GetOperation(op.Method)
	if o == nil || o.RequestBody == nil || o.RequestBody.Value == nil {
		return nil
	}
	mt := o.RequestBody.Value.Content.Get("application/json")
	if mt == nil {
		return nil
	}
	out := map[string]any{}
	for name, ex := range mt.Examples {
		if ex.Value != nil {
			out[name] = ex.Value.Value
		}
	}
	return out
}

// securitySchemeHeader returns the header a security scheme reads, or "".
func (a *API) securitySchemeHeader(name string) string {
	ref := a.Doc.Components.SecuritySchemes[name]
	if ref == nil || ref.Value == nil || ref.Value.Type != "apiKey" || ref.Value.In != "header" {
		return ""
	}
	return http.CanonicalHeaderKey(ref.Value.Name)
}

// securityHeaders returns the headers that the schemes of the requirements
// read, sorted and without repeats.
func (a *API) securityHeaders(reqs openapi3.SecurityRequirements) []string {
	var out []string
	for _, req := range reqs {
		for name := range req {
			if h := a.securitySchemeHeader(name); h != "" && !slices.Contains(out, h) {
				out = append(out, h)
			}
		}
	}
	slices.Sort(out)
	return out
}
