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
// No rule lives in this package that is not declared in a spec: the engine
// interprets the vocabulary that spec/README.md defines.
package validate
