// Package oasversion holds no code of its own: its benchmark measures what
// the OpenAPI version of our documents costs in kin-openapi, the library
// underneath the validation engine. It is why the specs are OpenAPI 3.0.3
// rather than 3.1 (spec/README.md; figures in docs/benchmarks.md).
package oasversion
