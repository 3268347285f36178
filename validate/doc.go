// Package validate is the one validation engine of this module: it checks
// requests to the ModelArts DevServer, CloudDC and ECS APIs against the
// embedded specs, including the named formats (x-formats) and cross-field
// rules (x-rules) the specs declare. The validate CLI, the local server's
// middleware and the client's pre-flight check are front-ends over it.
//
// Build an Engine once with New and share it; it is safe for concurrent use.
// Validate routes a whole request (method, target, headers, body) to its
// operation; ValidateBody checks a bare JSON body for a named operation.
// A front-end that reads a body only up to Limits.MaxBodyBytes passes the
// body's full size (Request.BodySize, ValidateBodySize), so that the
// engine's one body.size finding says how large the body was.
// Every problem is reported as a Finding with a stable rule id, the request
// part and parameter name or JSON pointer, and a message that says what
// would be valid. Messages never repeat the value of a secret.
//
// ValidateResponse checks an operation's response against the responses its
// spec documents: the status, the documented headers, and the JSON body,
// with members the spec does not declare allowed (a service may add
// fields). Its findings' rule ids start with "response.", and they are
// bounded as a request's are. A recording that kept only part of a body
// says so (Response.BodySize, Response.BodyIncomplete): the status and
// headers are still checked.
//
// NewTransport returns an http.RoundTripper, for Huawei's Go SDK or any
// http.Client, that validates every request that routes to an operation
// before the RoundTripper it wraps sends it: one that breaks the spec is
// not sent, and the caller gets a *RequestError with every finding. Other
// requests pass untouched. WithResponseCheck also checks each answer
// with ValidateResponse and reports the result (drift when the answer
// breaks the spec) without failing the request.
//
// What one request costs and reports is bounded, whatever the input: time
// linear in the body; at most Limits.MaxFindings findings (default 100),
// the first in document order, then one finding with the rule id
// TruncatedRule ("findings.truncated") that says how many more there were
// and has the highest severity among them, so the verdict is never
// changed by the cap; member names quoted in a message cut to
// MaxQuotedRunes characters and messages to MaxMessageBytes. Finding.Pointer
// stays exact; Finding.String escapes control characters and shortens
// long pointer segments.
//
// No rule lives in this package that is not declared in a spec: the engine
// interprets the vocabulary that spec/README.md defines.
package validate
