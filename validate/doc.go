// Package validate is the one validation engine of this module: it checks
// requests to the ModelArts DevServer, CloudDC and ECS APIs against the
// embedded specs, including the named formats (x-formats) and cross-field
// rules (x-rules) the specs declare. The validate CLI, the local server's
// middleware and the client's pre-flight check are front-ends over it.
//
// Build an Engine once with New and share it; it is safe for concurrent use.
// Validate routes a whole request (method, target, headers, body) to its
// operation; ValidateBody checks a bare JSON body for a named operation.
// Every problem is reported as a Finding with a stable rule id, the request
// part and parameter name or JSON pointer, and a message that says what
// would be valid. Messages never repeat the value of a secret.
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
