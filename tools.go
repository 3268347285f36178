//go:build tools

// Package tools pins, in go.mod, the version of the code generator that
// "go generate ./gen/..." runs with "go run", so that every machine
// generates the same gen/ packages. It is what users of this module need
// too: apigen runs the same oapi-codegen as a library.
//
// Development-only tools (oasdiff for the breaking-change gate, benchstat
// for the benchmarks) live in the nested module tools/ instead, so that a
// module requiring this one never inherits them; the Makefile and
// scripts/spec-diff.sh run them with "go tool -modfile=tools/go.mod".
package tools

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)
