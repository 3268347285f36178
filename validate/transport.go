package validate

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/hwspec/compute/internal/peek"
	"github.com/hwspec/compute/internal/safetext"
)

// RequestError is the error of a request that NewTransport's RoundTripper
// refused: it breaks the spec, and nothing of it was sent. errors.As finds
// it through the *url.Error that http.Client wraps around it.
type RequestError struct {
	// Method and Path are the request's method and URL path (no query:
	// a query string may carry a credential).
	Method, Path string
	// Result is the validation result; it has at least one error finding.
	Result Result
}

// Error names the operation and every finding. Findings never repeat the
// value of a secret, so neither does the error. It is one line: the method
// and the path (decoded from the URL, so it may hold any character) are
// escaped as findings are, and the path is cut at MaxMessageBytes.
func (e *RequestError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "validate: %s %s", safetext.Escape(safetext.CutRunes(e.Method, MaxQuotedRunes)), safetext.Escape(safetext.Clip(e.Path, MaxMessageBytes)))
	if op := e.Result.Operation; op != nil {
		fmt.Fprintf(&b, " (%s)", op.ID)
	}
	n := len(e.Result.Findings)
	fmt.Fprintf(&b, " breaks the spec and was not sent: %d %s", n, plural(n, "finding", "findings"))
	for _, f := range e.Result.Findings {
		b.WriteString("; ")
		b.WriteString(f.String())
	}
	return b.String()
}

// TransportOption configures NewTransport.
type TransportOption func(*transport)

// WithResponseCheck has the RoundTripper check every response to a request
// it validated against the operation's documented responses (see
// Engine.ValidateResponse) and pass the result to report, drift or not.
// The response's body is read (up to the engine's body limit) and handed on
// unchanged, read error included; a body over the limit, or one that fails
// to read, is not checked, and report is not called for it. report runs on the goroutine of RoundTrip, before it
// returns, so it must be quick and safe for concurrent use. The check never
// fails the request: a response that breaks the spec is drift of the
// service from its documentation, for report to record.
func WithResponseCheck(report func(req *http.Request, resp *http.Response, r Result)) TransportOption {
	return func(t *transport) { t.report = report }
}

// NewTransport returns a RoundTripper that validates every request routed to
// one of the engine's operations (by method and URL path, as Engine.Route
// does) before next sends it. A request that breaks the spec is not sent:
// RoundTrip closes its body and returns a *RequestError naming every error
// finding (warnings do not stop a request). Requests that route to no
// operation, such as IAM token requests, OBS, or an operation of the
// service that the specs do not describe, go to next untouched, body
// unread; except a path that routes to an operation once decoded and
// cleaned (a trailing or doubled slash, a dot segment, a percent-encoded
// letter), which a normalizing gateway would serve as that operation: it
// is refused with the engine's route.unknown finding.
//
// A validated request reaches next byte for byte as given: the same
// header, and a body re-created from the bytes read (with GetBody set, so
// redirects and retries can replay it), so a signature over it still
// holds. The caller's request is not modified. A body longer than the
// engine's limit (WithLimits) is refused unread beyond the limit, with the
// engine's body.size finding (its size is the request's ContentLength when
// that is over the limit, else "more than" the limit). A nil next is
// http.DefaultTransport. The RoundTripper is safe for concurrent use.
func NewTransport(e *Engine, next http.RoundTripper, opts ...TransportOption) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	t := &transport{engine: e, next: next}
	for _, o := range opts {
		o(t)
	}
	return t
}

type transport struct {
	engine *Engine
	next   http.RoundTripper
	report func(*http.Request, *http.Response, Result)
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL == nil {
		return t.next.RoundTrip(req)
	}
	if t.engine.Route(req.Method, req.URL.RequestURI()) == nil {
		if !t.nearMiss(req) {
			return t.next.RoundTrip(req)
		}
		// A path that is one of ours once cleaned: the engine reports it
		// (route.unknown) rather than let it past unchecked.
		if req.Body != nil {
			req.Body.Close()
		}
		r := t.engine.Validate(Request{Method: req.Method, Target: req.URL.RequestURI(), Header: req.Header})
		return nil, &RequestError{Method: req.Method, Path: req.URL.Path, Result: r}
	}
	limit := t.engine.limits.MaxBodyBytes
	body, over, err := readBody(req.Body, limit)
	if err != nil {
		return nil, fmt.Errorf("validate: reading the body of %s %s: %w", req.Method, req.URL.Path, err)
	}
	vreq := Request{Method: req.Method, Target: req.URL.RequestURI(), Header: req.Header, Body: body}
	if over {
		// Read no further: the engine refuses the body for its size, which
		// the Content-Length gives when it is declared.
		vreq.BodySize = BodySizeUnknown
		if req.ContentLength > int64(limit) {
			vreq.BodySize = req.ContentLength
		}
	}
	r := t.engine.Validate(vreq)
	if !r.Valid() {
		return nil, &RequestError{Method: req.Method, Path: req.URL.Path, Result: r}
	}
	out := req
	if req.Body != nil && req.Body != http.NoBody {
		out = req.Clone(req.Context())
		out.Body = io.NopCloser(bytes.NewReader(body))
		out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	resp, err := t.next.RoundTrip(out)
	if err != nil || t.report == nil {
		return resp, err
	}
	t.checkResponse(req, resp, r.Operation, limit)
	return resp, nil
}

// nearMiss reports whether a request that routes to no operation would
// route to one once its path is decoded and cleaned: a trailing, doubled or
// dot segment, or a percent-encoded letter in a literal segment. A server
// or gateway that normalizes paths would serve it as that operation, so it
// must not pass unvalidated.
func (t *transport) nearMiss(req *http.Request) bool {
	p := req.URL.Path
	if p == "" {
		return false
	}
	cleaned := path.Clean("/" + p)
	if cleaned == req.URL.EscapedPath() {
		return false
	}
	return t.engine.Route(req.Method, (&url.URL{Path: cleaned}).EscapedPath()) != nil
}

// checkResponse reads a response's body up to limit, hands it on unchanged,
// and reports the result of checking the response against op.
func (t *transport) checkResponse(req *http.Request, resp *http.Response, op *Operation, limit int) {
	head, ok := peek.Response(resp, limit)
	if !ok {
		return
	}
	r, err := t.engine.ValidateResponse(op.ID, Response{Status: resp.StatusCode, Header: resp.Header, Body: head})
	if err == nil {
		t.report(req, resp, r)
	}
}

// readBody reads and closes a request body, at most limit bytes; over
// reports that there was more.
func readBody(body io.ReadCloser, limit int) (data []byte, over bool, err error) {
	if body == nil || body == http.NoBody {
		return nil, false, nil
	}
	defer body.Close()
	data, err = io.ReadAll(io.LimitReader(body, int64(limit)+1))
	if err != nil {
		return nil, false, err
	}
	if len(data) > limit {
		return nil, true, nil
	}
	return data, false, nil
}
