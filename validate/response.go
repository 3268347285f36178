package validate

import (
	"bytes"
	"fmt"
	"maps"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"weak"

	"github.com/getkin/kin-openapi/openapi3"
)

// InStatus is the In of a finding about a response's status code.
const InStatus = "status"

// Response is an HTTP response to check against an operation's documented
// responses.
type Response struct {
	Status int
	Header http.Header
	// Body is the body, whole, or its first bytes when BodySize says the
	// front-end kept only part of it (as Request.Body).
	Body []byte
	// BodySize is the size in bytes of the whole body when Body holds only
	// its first bytes, as Request.BodySize: zero means the body is whole.
	// A front-end need keep no more than Limits.MaxBodyBytes+1 bytes: a
	// longer body is response.body.size, with this size, and not decoded.
	BodySize int64
	// BodyIncomplete says that Body is not the whole body the response
	// had: a recording that omitted it or cut it short (a HAR file
	// recorded without content, or truncated). The status and headers are
	// checked; the body, and the Content-Type that goes with it, are not.
	BodyIncomplete bool
}

// ValidateResponse checks a response of an operation against the responses
// its spec documents: the status must be documented (exactly, as a range
// such as 4XX, or by a default response); the documented headers must be
// present when required and match their schemas; a documented JSON body
// must be JSON, sent as application/json, and match its schema (unless
// resp.BodyIncomplete says the body is not all there).
//
// Responses are open where requests are closed: members the spec does not
// declare are allowed (additionalProperties: false is not applied), since a
// service may add fields without breaking its clients. Types, enums,
// formats, patterns, bounds and required members are checked.
//
// Every finding's rule id starts with "response.": response.status for an
// undocumented status; response.redirect, a warning, for an undocumented
// 3xx (a redirect or a 304 Not Modified is answered before the operation is
// reached, so it is not drift, and nothing else is checked); and otherwise "response." followed by the id the
// request checks use for the same problem (response.schema.type,
// response.schema.required, response.schema.enum, response.json.syntax,
// response.body.content-type, response.format.<name>…).
// Header findings are In "header", body findings In "body" with a JSON
// pointer, the status finding In "status". The findings are bounded as a
// request's are (Limits.MaxFindings, then response.findings.truncated). An
// unknown operationID is an error.
func (e *Engine) ValidateResponse(operationID string, resp Response) (Result, error) {
	op := e.byID[operationID]
	if op == nil {
		return Result{}, fmt.Errorf("unknown operation %q", operationID)
	}
	o := op.API.Doc.Paths.Find(op.Path).GetOperation(op.Method)
	ref := documentedResponse(o.Responses, resp.Status)
	if ref == nil || ref.Value == nil {
		if resp.Status >= 300 && resp.Status < 400 {
			// A redirect (http to https, a gateway's login page) or a 304
			// Not Modified answers before the operation is reached: the
			// request that follows the redirect is the one to check.
			return Result{Operation: op, Findings: []Finding{{In: InStatus, Name: strconv.Itoa(resp.Status), Rule: ResponseRedirectRule, Severity: Warning,
				Message: fmt.Sprintf("status %d is a redirect %s does not document: it is answered before the operation is reached, so the response is not checked", resp.Status, op.ID)}}}, nil
		}
		return Result{Operation: op, Findings: []Finding{{In: InStatus, Name: strconv.Itoa(resp.Status), Rule: ResponseStatusRule, Severity: Error,
			Message: fmt.Sprintf("status %d is not documented for %s; it documents %s", resp.Status, op.ID, strings.Join(documentedStatuses(o.Responses), ", "))}}}, nil
	}
	var out []Finding
	out = op.API.checkResponseHeaders(ref.Value.Headers, resp.Header, out)
	body, bodyFindings := op.API.checkResponseBody(ref.Value, resp)
	out = append(out, bodyFindings...)
	out = e.finish(out, "response")
	for i := range out {
		out[i].Rule = "response." + out[i].Rule
	}
	return Result{Operation: op, Findings: out, Body: body}, nil
}

// documentedResponse returns the response documented for a status: the
// exact code, else its range (4XX), else the default.
func documentedResponse(rs *openapi3.Responses, status int) *openapi3.ResponseRef {
	if rs == nil {
		return nil
	}
	if r := rs.Status(status); r != nil {
		return r
	}
	if r := rs.Value(strconv.Itoa(status/100) + "XX"); r != nil {
		return r
	}
	return rs.Default()
}

func documentedStatuses(rs *openapi3.Responses) []string {
	if rs == nil {
		return []string{"no responses"}
	}
	var out []string
	for code := range rs.Map() {
		out = append(out, code)
	}
	slices.Sort(out)
	return out
}

// checkResponseHeaders checks the documented headers of a response.
func (a *API) checkResponseHeaders(headers openapi3.Headers, h http.Header, out []Finding) []Finding {
	for _, name := range slices.Sorted(maps.Keys(headers)) {
		ref := headers[name]
		if ref == nil || ref.Value == nil || strings.EqualFold(name, "Content-Type") {
			continue // OpenAPI ignores a Content-Type header definition
		}
		p := ref.Value.Parameter
		values := h.Values(name)
		if len(values) == 0 {
			if p.Required {
				out = append(out, Finding{In: InHeader, Name: name, Rule: SchemaRequiredRule, Severity: Error,
					Message: fmt.Sprintf("required header %s is missing", name)})
			}
			continue
		}
		if p.Schema == nil || p.Schema.Value == nil {
			continue
		}
		s := p.Schema.Value
		if len(values) > 1 && !s.Type.Is("array") {
			out = append(out, repeated(InHeader, name, len(values)))
			continue
		}
		v, err := convertParam(values[0], s)
		if err != nil {
			out = append(out, Finding{In: InHeader, Name: name, Rule: "schema.type", Message: "must be " + typeName(s), Severity: Error})
			continue
		}
		if err := s.VisitJSON(v, a.responseOpts()...); err != nil {
			out = append(out, schemaFindings(err, InHeader, name, nil, a)...)
		}
	}
	return out
}

// checkResponseBody checks a response body against the documented JSON
// content, if any.
func (a *API) checkResponseBody(r *openapi3.Response, resp Response) (any, []Finding) {
	mt := r.Content.Get("application/json")
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil || resp.BodyIncomplete {
		return nil, nil // no JSON body documented, or not the whole body: not checked
	}
	sizeFinding, over := bodySizeFinding(resp.Body, resp.BodySize, a.limits.MaxBodyBytes)
	if !over && len(bytes.TrimSpace(resp.Body)) == 0 {
		// (A body over the limit of which no byte was kept is too large,
		// not missing.)
		return nil, []Finding{{In: InBody, Rule: SchemaRequiredRule, Severity: Error, Message: "the documented JSON body is missing"}}
	}
	var out []Finding
	if ct := resp.Header.Get("Content-Type"); !isJSON(ct) {
		out = append(out, Finding{In: InHeader, Name: "Content-Type", Rule: BodyContentTypeRule, Severity: Error,
			Message: fmt.Sprintf("must be application/json for the documented JSON body, not %q", ct)})
	}
	if over {
		return nil, append(out, sizeFinding)
	}
	v, err := decodeBody(resp.Body, a.limits, a.names)
	if err != nil {
		return nil, append(out, decodeFinding(resp.Body, err))
	}
	return v, append(out, a.responseBodyFindings(openSchemaOf(mt.Schema.Value, a.Formats), resp.Body, v)...)
}

// responseBodyFindings checks a decoded response body against the open copy
// of its schema, with the bounded work of request bodies (see
// bodyfindings.go): the quick check passes a conforming body cheaply, and
// kin-openapi, run as for a response, makes the findings of the first
// places that fail.
func (a *API) responseBodyFindings(o *openSchemaEntry, body []byte, v any) []Finding {
	ra := *a
	ra.schemaOpts = a.responseOpts()
	if o.quick == nil {
		var out []Finding
		if err := o.schema.VisitJSON(v, ra.schemaOpts...); err != nil {
			out = schemaFindings(err, InBody, "", nil, &ra)
			placeFindings(body, out)
		}
		return out
	}
	if o.quick.valid(v, time.Time{}) { // responses are checked at the engine's clock
		return nil
	}
	return ra.firstFindings(body, o.quick.locate(v, nil, nil, time.Time{}), nil, a.limits.MaxFindings, time.Time{})
}

// responseOpts are the schema options for responses: readOnly members are
// expected, writeOnly ones are not.
func (a *API) responseOpts() []openapi3.SchemaValidationOption {
	return []openapi3.SchemaValidationOption{
		openapi3.MultiErrors(),
		openapi3.VisitAsResponse(),
		openapi3.DisableSchemaErrorDetails(),
		openapi3.WithStringFormatValidators(formatValidators(a.Formats, time.Time{})),
	}
}

// openSchemaEntry is the open copy of a response schema (see openSchema)
// and its quick check (nil when the schema needs kin-openapi throughout).
type openSchemaEntry struct {
	schema *openapi3.Schema
	quick  *quickSchema
}

// openSchemas caches an openSchemaEntry per response schema, weakly: an
// entry goes when its engine's documents are collected.
var openSchemas sync.Map // weak.Pointer[openapi3.Schema] -> *openSchemaEntry

// openSchemaOf returns the open copy of a response schema, made once.
func openSchemaOf(s *openapi3.Schema, formats map[string]*Format) *openSchemaEntry {
	key := weak.Make(s)
	if c, ok := openSchemas.Load(key); ok {
		return c.(*openSchemaEntry)
	}
	o := &openSchemaEntry{schema: openSchema(s, map[*openapi3.Schema]*openapi3.Schema{})}
	if q, err := compileQuick(o.schema, formats, map[*openapi3.Schema]*quickSchema{}); err == nil {
		o.quick = q
	}
	c, loaded := openSchemas.LoadOrStore(key, o)
	if !loaded {
		runtime.AddCleanup(s, func(k weak.Pointer[openapi3.Schema]) { openSchemas.Delete(k) }, key)
	}
	return c.(*openSchemaEntry)
}

// openSchema returns a copy of s in which no object schema forbids
// undeclared members. memo maps the schemas copied so far to their copies,
// so that recursive schemas stay finite.
func openSchema(s *openapi3.Schema, memo map[*openapi3.Schema]*openapi3.Schema) *openapi3.Schema {
	if s == nil {
		return nil
	}
	if c, ok := memo[s]; ok {
		return c
	}
	c := new(openapi3.Schema)
	memo[s] = c
	*c = *s
	ref := func(r *openapi3.SchemaRef) *openapi3.SchemaRef {
		if r == nil {
			return nil
		}
		return &openapi3.SchemaRef{Value: openSchema(r.Value, memo)}
	}
	refs := func(rs openapi3.SchemaRefs) openapi3.SchemaRefs {
		if rs == nil {
			return nil
		}
		out := make(openapi3.SchemaRefs, len(rs))
		for i, r := range rs {
			out[i] = ref(r)
		}
		return out
	}
	c.OneOf, c.AnyOf, c.AllOf = refs(s.OneOf), refs(s.AnyOf), refs(s.AllOf)
	c.Not, c.Items = ref(s.Not), ref(s.Items)
	if s.Properties != nil {
		c.Properties = make(openapi3.Schemas, len(s.Properties))
		for k, r := range s.Properties {
			c.Properties[k] = ref(r)
		}
	}
	c.AdditionalProperties = openapi3.AdditionalProperties{Schema: ref(s.AdditionalProperties.Schema)}
	return c
}
