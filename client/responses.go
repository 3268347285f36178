package client

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/hwspec/compute/internal/peek"
	"github.com/hwspec/compute/validate"
)

// ResponseCheck is the check of one answer of a service against the spec's
// documented responses for the call's operation: what WithResponseCheck
// reports, and what a *ResponseError carries.
type ResponseCheck struct {
	// Operation is the operationId of the call, e.g. CreateServers (the
	// method's name).
	Operation string
	// StatusCode is the answer's HTTP status.
	StatusCode int
	// RequestID is the answer's X-Request-Id, for a support ticket.
	RequestID string
	// Result is the engine's verdict (validate.Engine.ValidateResponse).
	// Result.Valid() is false when the answer drifts from the spec; its
	// findings have response.* rule ids, and JSON pointers into the body.
	Result validate.Result
}

// ResponseError is the error of a call, in strict mode
// (WithStrictResponses), that received an answer which breaks the spec's
// documented responses for its operation. Its Result has at least one
// error finding.
type ResponseError struct {
	ResponseCheck
	// Err is the error the call returns for that answer apart from strict
	// mode, or nil: a *APIError for an error status, an error decoding a
	// body the generated types cannot hold, … Unwrap returns it, so
	// errors.As finds a *APIError through a *ResponseError.
	Err error
}

// Error names the operation, the status, the request ID and every finding
// (findings never repeat a secret's value), then Err.
func (e *ResponseError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: the answer (HTTP %d", e.Operation, e.StatusCode)
	if e.RequestID != "" {
		fmt.Fprintf(&b, ", request %s", quoted(e.RequestID))
	}
	n := len(e.Result.Findings)
	fmt.Fprintf(&b, ") breaks the spec: %d finding", n)
	if n != 1 {
		b.WriteString("s")
	}
	for _, f := range e.Result.Findings {
		b.WriteString("; ")
		b.WriteString(f.String())
	}
	if e.Err != nil {
		b.WriteString("; the call's error: ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns Err.
func (e *ResponseError) Unwrap() error { return e.Err }

// WithResponseCheck checks every answer the client receives against the
// spec's documented responses for the call's operation and passes each
// check to report, drift or not (ResponseCheck.Result.Valid() is false for
// drift). The check is the engine's (validate.Engine.ValidateResponse): the
// status must be documented, documented headers must match, a documented
// JSON body must be JSON and match its schema; responses are open, so
// members the spec does not declare are fine. Answers with an error status
// (4xx, 5xx) are checked too, since the spec documents them, and so is each
// attempt of a retried call. The call's results do not change: this only
// reports (WithStrictResponses makes drift an error; the two combine).
//
// report runs on the calling goroutine, once per answer, before the method
// returns; concurrent calls call it concurrently, so it must be safe for
// concurrent use, and quick. The body is read once, up to the engine's body
// limit (validate.Limits.MaxBodyBytes, 1 MiB by default), and handed on to
// the decoding byte for byte; an answer larger than the limit, or whose body
// fails to read, is not checked and not reported, as with
// validate.NewTransport's WithResponseCheck (give WithEngine an engine with
// a larger limit to check larger answers). The engine is the pre-flight one
// (WithEngine, default validate.New()), built even WithoutValidation.
//
// Off by default: a client without WithResponseCheck or
// WithStrictResponses checks no answer and reads no body before the
// decoding does.
func WithResponseCheck(report func(ResponseCheck)) Option {
	return func(c *config) { c.report = report }
}

// WithStrictResponses is the client's strict mode: every answer is checked
// as WithResponseCheck describes, and a call that receives one that drifts
// from the spec fails with a *ResponseError carrying the check. That answer
// ends the call: a drifting 429 or 5xx is not retried, since retrying past
// it would hide the drift. The method's other result is still what it makes
// of that answer (the decoded body, or nil when it could not be decoded or
// the status is an error), and ResponseError.Err is the error it would
// return without strict mode, so a caller that accepts drift can go on.
//
// Use it where drift must not pass unnoticed: tests against the local
// server, a staging run, a canary. In production WithResponseCheck, which
// only reports, is usually what is wanted. Off by default.
func WithStrictResponses() Option {
	return func(c *config) { c.strict = true }
}

// checking reports whether answers are checked.
func (c *config) checking() bool { return c.report != nil || c.strict }

// operations are the operationIds the client calls; with answers checked,
// New requires the engine to describe each.
var operations = []string{
	opCreateServers, opShowJob,
	opCreateDevServer, opShowDevServer, opListDevServers, opDeleteDevServer,
	opCreateInstance, opShowInstanceStatus, opDeleteInstance,
}

// The operationIds of the spec, which name the methods too.
const (
	opCreateServers      = "CreateServers"
	opShowJob            = "ShowJob"
	opCreateDevServer    = "CreateDevServer"
	opShowDevServer      = "ShowDevServer"
	opListDevServers     = "ListDevServers"
	opDeleteDevServer    = "DeleteDevServer"
	opCreateInstance     = "CreateInstance"
	opShowInstanceStatus = "ShowInstanceStatus"
	opDeleteInstance     = "DeleteInstance"
)

// call is one call of an operation: what its method tells the doer (the
// operation, the retry mode) and what the doer tells the method back (the
// drifting answer, in strict mode). It travels in the call's context and
// belongs to the calling goroutine: the generated clients call the doer on
// it.
type call struct {
	op    string
	mode  retryMode
	drift *ResponseError
}

type callKey struct{}

// begin starts a call of an operation.
func begin(ctx context.Context, op string, mode retryMode) (context.Context, *call) {
	cl := &call{op: op, mode: mode}
	return context.WithValue(ctx, callKey{}, cl), cl
}

// callOf returns the call a context belongs to, or nil.
func callOf(ctx context.Context) *call {
	cl, _ := ctx.Value(callKey{}).(*call)
	return cl
}

// result returns the error a method returns with its other result: err as
// the method made it, or, in strict mode after a drifting answer, a
// *ResponseError around err.
func (cl *call) result(err error) error {
	if cl.drift == nil {
		return err
	}
	cl.drift.Err = err
	return cl.drift
}

// checkAnswer checks an answer of a call when answers are checked, reports
// it, and in strict mode records drift on the call. It reports whether the
// call must end with this answer (strict mode, drift).
func (c *Client) checkAnswer(cl *call, resp *http.Response) bool {
	if !c.cfg.checking() || cl == nil {
		return false
	}
	body, ok := peek.Response(resp, c.engine.Limits().MaxBodyBytes)
	if !ok {
		return false
	}
	r, err := c.engine.ValidateResponse(cl.op, validate.Response{Status: resp.StatusCode, Header: resp.Header, Body: body})
	if err != nil {
		return false // not reached: New made sure the engine describes every operation
	}
	check := ResponseCheck{Operation: cl.op, StatusCode: resp.StatusCode, RequestID: resp.Header.Get("X-Request-Id"), Result: r}
	if c.cfg.report != nil {
		c.cfg.report(check)
	}
	if c.cfg.strict && !r.Valid() {
		cl.drift = &ResponseError{ResponseCheck: check}
		return true
	}
	return false
}
