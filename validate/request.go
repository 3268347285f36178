package validate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// Request is an HTTP request to validate, as read from a file or the wire.
type Request struct {
	Method string
	// Target is the request target: a path with an optional query string,
	// e.g. /v1/{project}/dev-servers?limit=10. Scheme and host are ignored.
	Target string
	Header http.Header
	// Body is the body, whole, or its first bytes when BodySize says the
	// front-end read only part of it.
	Body []byte
	// BodySize is the size in bytes of the whole body when Body holds only
	// its first bytes. A front-end that reads a body as it arrives need
	// read no more than the engine's Limits.MaxBodyBytes+1 bytes of it:
	// a longer body is refused (rule body.size) and not decoded, and
	// BodySize lets the finding say how long it was. Zero means the body
	// is whole: its size is len(Body). A positive value is the whole
	// body's size (the Content-Length, or what the front-end counted while
	// draining it). BodySizeUnknown (any negative value) says the body is
	// longer than Limits.MaxBodyBytes and its full size is not known (a
	// chunked body the front-end stopped reading); the finding then says
	// "more than" the limit. A front-end must not cut a body that is
	// within the limit: a BodySize within the limit is not a cut, and Body
	// is validated as the whole body.
	BodySize int64
	// Now is the instant the request is validated at, for time windows
	// such as ECS auto_terminate_time; the zero value is the engine's clock
	// (WithClock, else time.Now). One engine serves every instant.
	Now time.Time
}

// Result is the outcome of validating one request.
type Result struct {
	// Operation is the operation the request was routed to, or nil.
	Operation *Operation
	// Findings are every problem found, in a stable order.
	Findings []Finding
	// Body is the decoded body that was validated (nil when there is none
	// or it could not be decoded).
	Body any
}

// Valid reports whether the request has no error findings (warnings allowed).
func (r Result) Valid() bool {
	for _, f := range r.Findings {
		if f.Severity == Error {
			return false
		}
	}
	return true
}

// validate routes a request to its operation and checks the path, query and
// header parameters, the credentials, and the body (see Validate).
func (e *Engine) validate(req Request) Result {
	u, err := url.ParseRequestURI(req.Target)
	if err != nil {
		return Result{Findings: []Finding{{In: InPath, Rule: RouteTargetRule, Message: fmt.Sprintf("request target is not a URL path: %v", err), Severity: Error}}}
	}
	op, pathParams, f := e.route(req.Method, u.EscapedPath())
	if op == nil {
		return Result{Findings: []Finding{f}}
	}
	var out []Finding
	out = op.checkParams(pathParams, u.Query(), req.Header, out, req.Now)
	out = op.checkSecurity(req.Header, out)
	sizeFinding, over := bodySizeFinding(req.Body, req.BodySize, e.limits.MaxBodyBytes)
	if ct := req.Header.Get("Content-Type"); op.body != nil && (over || len(bytes.TrimSpace(req.Body)) > 0) && !isJSON(ct) {
		out = append(out, Finding{In: InHeader, Name: "Content-Type", Rule: BodyContentTypeRule, Message: fmt.Sprintf("must be application/json for a JSON body, not %q", ct), Severity: Error})
	}
	if over {
		return Result{Operation: op, Findings: append(out, sizeFinding)}
	}
	body, bodyFindings := op.checkBody(req.Body, req.Now)
	out = append(out, bodyFindings...)
	return Result{Operation: op, Findings: out, Body: body}
}

// validateBody checks a bare JSON body of size bytes, of which body holds
// the first (see ValidateBody and ValidateBodySize).
func (e *Engine) validateBody(operationID string, body []byte, size int64) (Result, error) {
	op := e.byID[operationID]
	if op == nil {
		return Result{}, fmt.Errorf("unknown operation %q", operationID)
	}
	if op.body == nil {
		return Result{}, fmt.Errorf("operation %s takes no request body", operationID)
	}
	if f, over := bodySizeFinding(body, size, e.limits.MaxBodyBytes); over {
		return Result{Operation: op, Findings: []Finding{f}}, nil
	}
	decoded, out := op.checkBody(body, time.Time{})
	return Result{Operation: op, Findings: out, Body: decoded}, nil
}

func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// Route returns the operation that a method and request target address, or
// nil; it checks nothing else.
func (e *Engine) Route(method, target string) *Operation {
	u, err := url.ParseRequestURI(target)
	if err != nil {
		return nil
	}
	op, _, _ := e.route(method, u.EscapedPath())
	return op
}

// route finds the operation for a method and escaped path. Literal segments
// must match exactly; {param} segments match any non-empty segment. Both
// are taken as written, as in the server's router: a trailing or doubled
// slash makes an empty segment that nothing matches, and methods are
// case-sensitive (RFC 9110, section 9.1), so "get" is not GET.
func (e *Engine) route(method, escapedPath string) (*Operation, map[string]string, Finding) {
	segs := strings.Split(strings.TrimPrefix(escapedPath, "/"), "/")
	var pathMatched []*Operation
	for _, op := range e.ops {
		if params, ok := op.match(segs); ok {
			if op.Method == method {
				return op, params, Finding{}
			}
			pathMatched = append(pathMatched, op)
		}
	}
	if len(pathMatched) > 0 {
		allowed := make([]string, len(pathMatched))
		for i, op := range pathMatched {
			allowed[i] = op.Method + " (" + op.ID + ")"
		}
		return nil, nil, Finding{In: InPath, Rule: RouteMethodRule, Severity: Error,
			Message: fmt.Sprintf("%s is not an operation on %s; this path takes %s", method, escapedPath, strings.Join(allowed, ", "))}
	}
	return nil, nil, Finding{In: InPath, Rule: RouteUnknownRule, Severity: Error,
		Message: fmt.Sprintf("no operation matches %s %s", method, escapedPath)}
}

func (op *Operation) match(segs []string) (map[string]string, bool) {
	if len(segs) != len(op.segments) {
		return nil, false
	}
	var params map[string]string
	for i, t := range op.segments {
		if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
			v, err := url.PathUnescape(segs[i])
			if err != nil || v == "" {
				return nil, false
			}
			if params == nil {
				params = map[string]string{}
			}
			params[t[1:len(t)-1]] = v
			continue
		}
		if segs[i] != t {
			return nil, false
		}
	}
	return params, true
}

// checkParams validates every declared path, query and header parameter.
func (op *Operation) checkParams(pathParams map[string]string, query url.Values, header http.Header, out []Finding, now time.Time) []Finding {
	for i, ref := range op.params {
		p := ref.Value
		var values []string
		switch p.In {
		case openapi3.ParameterInPath:
			if v, ok := pathParams[p.Name]; ok {
				values = []string{v}
			}
		case openapi3.ParameterInQuery:
			values = query[p.Name]
		case openapi3.ParameterInHeader:
			values = header.Values(p.Name)
		default:
			continue
		}
		if len(values) == 0 {
			if p.Required {
				out = append(out, Finding{In: p.In, Name: p.Name, Rule: SchemaRequiredRule, Message: fmt.Sprintf("required %s parameter %q is missing", p.In, p.Name), Severity: Error})
			}
			continue
		}
		if p.Schema == nil || p.Schema.Value == nil {
			continue
		}
		s := p.Schema.Value
		if len(values) > 1 && !s.Type.Is("array") {
			out = append(out, repeated(p.In, p.Name, len(values)))
			continue
		}
		raw := values[0]
		value, err := convertParam(raw, s)
		if err != nil {
			out = append(out, Finding{In: p.In, Name: p.Name, Rule: "schema.type", Message: "must be " + typeName(s), Severity: Error})
			continue
		}
		if q := op.paramQuick[i]; q != nil && q.valid(value, now) {
			continue
		}
		if err := s.VisitJSON(value, op.API.optsAt(now)...); err != nil {
			out = append(out, schemaFindings(err, p.In, p.Name, nil, op.API)...)
		}
	}
	return out
}

// convertParam turns a parameter's text into the JSON value its schema expects.
func convertParam(raw string, s *openapi3.Schema) (any, error) {
	switch {
	case s.Type.Is("integer"):
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return nil, err
		}
		return json.Number(strconv.FormatInt(n, 10)), nil
	case s.Type.Is("number"):
		if _, err := strconv.ParseFloat(raw, 64); err != nil {
			return nil, err
		}
		return json.Number(raw), nil
	case s.Type.Is("boolean"):
		return strconv.ParseBool(raw)
	}
	return raw, nil
}

// repeated reports a single-valued parameter or credential header that the
// request carries more than once. Front-ends disagree on which copy counts
// (the engine would read the first, a binder refuses, a proxy may keep the
// last), so the request is ambiguous and rejected. The message names the
// parameter, never its values: a credential header holds a secret.
func repeated(in, name string, n int) Finding {
	what := fmt.Sprintf("query parameter %q", name)
	if in == InHeader {
		what = fmt.Sprintf("header %s", name)
	}
	return Finding{In: in, Name: name, Rule: ParamRepeatedRule, Severity: Error,
		Message: fmt.Sprintf("the %s appears %d times; it takes one value, so send it exactly once", what, n)}
}

// checkSecurity reports a credential header sent more than once, and a
// request that satisfies none of the operation's security requirements.
// The scheme headers (X-Auth-Token, Authorization) take one value always; a
// companion header of a credential form (X-Sdk-Date) takes one value when
// its scheme is the one the request uses. Credentials are only checked for
// presence and form: whether a token or signature is genuine is the
// service's business.
func (op *Operation) checkSecurity(header http.Header, out []Finding) []Finding {
	for _, h := range op.securityHeaders {
		if n := len(header.Values(h)); n > 1 {
			out = append(out, repeated(InHeader, h, n))
		}
	}
	if len(op.security) == 0 {
		return out
	}
	var wanted []string
	var malformed []Finding // credentials present but not in their scheme's form
	for _, req := range op.security {
		satisfied := true
		for name := range req {
			h := op.API.securitySchemeHeader(name)
			if h == "" {
				continue // not a header scheme: nothing this engine can check
			}
			if header.Get(h) == "" {
				satisfied = false
				wanted = append(wanted, fmt.Sprintf("%s (%s)", h, name))
			} else if form := op.API.credentialForms[name]; form != nil {
				bad := form.check(name, h, header)
				for _, c := range form.headers {
					if n := len(header.Values(c.name)); n > 1 {
						bad = append(bad, repeated(InHeader, c.name, n))
					}
				}
				if len(bad) > 0 {
					satisfied = false
					malformed = append(malformed, bad...)
				}
			}
		}
		if satisfied {
			return out
		}
	}
	if len(malformed) > 0 {
		return append(out, malformed...)
	}
	return append(out, Finding{In: InHeader, Name: "X-Auth-Token", Rule: SecurityMissingRule, Severity: Error,
		Message: "the request carries no credentials; send one of " + strings.Join(wanted, ", ")})
}

// BodySizeUnknown is the Request.BodySize of a body longer than the
// engine's Limits.MaxBodyBytes whose full size the front-end does not know.
const BodySizeUnknown int64 = -1

// bodySizeFinding returns the one body.size finding of a body whose first
// bytes are body and whose size is size (as Request.BodySize), and whether
// the body is over limit. Every front-end's body.size message is made
// here, so a body over the limit reads the same whichever reads it.
func bodySizeFinding(body []byte, size int64, limit int) (Finding, bool) {
	f := Finding{In: InBody, Rule: BodySizeRule, Severity: Error}
	switch n := max(size, int64(len(body))); {
	case size < 0:
		f.Message = fmt.Sprintf("the body has more than %d bytes, the limit", limit)
	case n > int64(limit):
		f.Message = fmt.Sprintf("the body has %d bytes, more than the limit of %d", n, limit)
	default:
		return Finding{}, false
	}
	return f, true
}

// checkBody decodes and validates a JSON body within the size limit.
func (op *Operation) checkBody(body []byte, now time.Time) (any, []Finding) {
	if op.body == nil {
		if len(bytes.TrimSpace(body)) > 0 {
			return nil, []Finding{{In: InBody, Rule: BodyUnexpectedRule, Message: op.ID + " takes no request body", Severity: Error}}
		}
		return nil, nil
	}
	if len(bytes.TrimSpace(body)) == 0 {
		if op.bodyRequired {
			return nil, []Finding{{In: InBody, Rule: SchemaRequiredRule, Message: op.ID + " needs a JSON request body", Severity: Error}}
		}
		return nil, nil
	}
	lim := op.API.limits
	v, err := decodeBody(body, lim, op.API.names)
	if err != nil {
		return nil, []Finding{decodeFinding(body, err)}
	}
	return v, op.bodyFindings(body, v, now)
}
