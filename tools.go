//go:build tools

// Package tools pins the versions of the Go tools this module runs with
// "go run", so that go.mod decides them and every machine uses the same.
package tools

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
	_ "github.com/oasdiff/oasdiff"
	_ "golang.org/x/perf/cmd/benchstat"
)
