// Command apigen generates a Go package for one of this module's APIs from
// the spec embedded in the module version your go.mod pins, with
// oapi-codegen as a library: no network fetch of the spec and no second tool
// to install. Downstream repositories add it as a tool of their module,
// which pins its version in go.mod and survives go mod tidy:
//
//	go get -tool github.com/hwspec/compute/cmd/apigen@VERSION
//
// and call it from a go:generate line, then tidy once so that go.mod
// requires what the generated code imports (github.com/oapi-codegen/runtime):
//
//	//go:generate go tool apigen -api ecs -package ecsapi -generate types,client -o ecs.gen.go
//
// Flags:
//
//	-api NAME          devserver, clouddc or ecs (required)
//	-package NAME      Go package name of the output (default: the API name)
//	-generate PARTS    comma list of types, client, echo-server, strict-server,
//	                   embedded-spec (default types,client)
//	-types-package PATH
//	                   import path of a package generated with types (and
//	                   client) from the same API: the output refers to its
//	                   types instead of declaring them, so that the server
//	                   parts can live apart from the client, as in gen/
//	-include-tags T    only operations with one of these tags (comma list)
//	-include-operations IDS
//	                   only these operationIds (comma list)
//	-o FILE            output file (default: standard output)
//	-list              print every API with its operations and tags, and exit
//
// The output uses the same naming settings as this module's gen/ packages
// (initialisms such as ID and URL, enum constants prefixed with their type).
// Exit status: 0 success, 1 generation failed, 2 usage error.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"

	"github.com/hwspec/compute/spec"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// parts maps the -generate names to oapi-codegen's options.
var parts = map[string]func(*codegen.GenerateOptions){
	"types":         func(g *codegen.GenerateOptions) { g.Models = true },
	"client":        func(g *codegen.GenerateOptions) { g.Client = true },
	"echo-server":   func(g *codegen.GenerateOptions) { g.EchoServer = true },
	"strict-server": func(g *codegen.GenerateOptions) { g.Strict = true },
	"embedded-spec": func(g *codegen.GenerateOptions) { g.EmbeddedSpec = true },
}

type options struct {
	api, pkg, generate, typesPkg, tags, ops, out string
	list                                         bool
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("apigen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.StringVar(&o.api, "api", "", "API to generate: "+strings.Join(spec.APIs(), ", "))
	fs.StringVar(&o.pkg, "package", "", "Go package name (default: the API name)")
	fs.StringVar(&o.generate, "generate", "types,client", "comma list of parts: types, client, echo-server, strict-server, embedded-spec")
	fs.StringVar(&o.typesPkg, "types-package", "", "import path of the package that holds the types (for server parts generated apart from them)")
	fs.StringVar(&o.tags, "include-tags", "", "only operations with one of these tags (comma list)")
	fs.StringVar(&o.ops, "include-operations", "", "only these operationIds (comma list)")
	fs.StringVar(&o.out, "o", "", "output file (default: standard output)")
	fs.BoolVar(&o.list, "list", false, "list the APIs, their operations and tags, and exit")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "apigen: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if o.list {
		if err := list(stdout); err != nil {
			fmt.Fprintln(stderr, "apigen:", err)
			return 1
		}
		return 0
	}
	cfg, err := configure(o)
	if err != nil {
		fmt.Fprintln(stderr, "apigen:", err)
		return 2
	}
	code, err := generate(o.api, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "apigen:", err)
		var usage *usageError
		if errors.As(err, &usage) {
			return 2
		}
		return 1
	}
	if o.out == "" {
		_, err = io.WriteString(stdout, code)
	} else {
		err = writeFile(o.out, []byte(code))
	}
	if err != nil {
		fmt.Fprintln(stderr, "apigen:", err)
		return 1
	}
	return 0
}

// usageError is a problem with the flags that only shows up once the spec is
// loaded, such as an unknown operationId.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// Settings returns the oapi-codegen configuration this module generates with:
// gen/<api>/cfg.yaml says the same, and a test holds the two together.
func settings(pkg string) codegen.Configuration {
	return codegen.Configuration{
		PackageName:   pkg,
		Compatibility: codegen.CompatibilityOptions{AlwaysPrefixEnumValues: true},
		OutputOptions: codegen.OutputOptions{NameNormalizer: string(codegen.NameNormalizerFunctionToCamelCaseWithInitialisms)},
	}
}

func configure(o options) (codegen.Configuration, error) {
	if !slices.Contains(spec.APIs(), o.api) {
		return codegen.Configuration{}, fmt.Errorf("-api must be one of %s", strings.Join(spec.APIs(), ", "))
	}
	pkg := o.pkg
	if pkg == "" {
		pkg = o.api
	}
	cfg := settings(pkg)
	for _, p := range splitList(o.generate) {
		set, ok := parts[p]
		if !ok {
			return cfg, fmt.Errorf("-generate: unknown part %q (want types, client, echo-server, strict-server, embedded-spec)", p)
		}
		set(&cfg.Generate)
	}
	if cfg.Generate.Strict && !cfg.Generate.EchoServer {
		return cfg, fmt.Errorf("-generate: strict-server needs echo-server")
	}
	if cfg.Generate == (codegen.GenerateOptions{}) {
		return cfg, fmt.Errorf("-generate: nothing to generate")
	}
	if o.typesPkg != "" {
		if cfg.Generate.Models {
			return cfg, fmt.Errorf("-types-package: the types come from %s, so -generate must not include types", o.typesPkg)
		}
		// Dot-imported: oapi-codegen cannot map references within one
		// document to another package.
		cfg.AdditionalImports = []codegen.AdditionalImport{{Alias: ".", Package: o.typesPkg}}
	}
	cfg.OutputOptions.IncludeTags = splitList(o.tags)
	cfg.OutputOptions.IncludeOperationIDs = splitList(o.ops)
	if err := cfg.Validate(); err != nil {
		return cfg, err
	}
	return cfg, nil
}

func generate(api string, cfg codegen.Configuration) (string, error) {
	doc, err := load(api)
	if err != nil {
		return "", err
	}
	known, tags := operations(doc)
	for _, id := range cfg.OutputOptions.IncludeOperationIDs {
		if !slices.Contains(known, id) {
			return "", &usageError{fmt.Sprintf("-include-operations: %s has no operation %q (it has %s)", api, id, strings.Join(known, ", "))}
		}
	}
	for _, t := range cfg.OutputOptions.IncludeTags {
		if !slices.Contains(tags, t) {
			return "", &usageError{fmt.Sprintf("-include-tags: %s has no tag %q (it has %s)", api, t, strings.Join(tags, ", "))}
		}
	}
	return codegen.Generate(doc, cfg)
}

func load(api string) (*openapi3.T, error) {
	src, err := spec.Document(api)
	if err != nil {
		return nil, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(src)
	if err != nil {
		return nil, fmt.Errorf("loading the %s spec: %w", api, err)
	}
	return doc, nil
}

// operations returns the operationIds and tags of a document, sorted.
func operations(doc *openapi3.T) (ids, tags []string) {
	for _, path := range doc.Paths.InMatchingOrder() {
		for _, op := range doc.Paths.Value(path).Operations() {
			ids = append(ids, op.OperationID)
			for _, t := range op.Tags {
				if !slices.Contains(tags, t) {
					tags = append(tags, t)
				}
			}
		}
	}
	slices.Sort(ids)
	slices.Sort(tags)
	return ids, tags
}

func list(w io.Writer) error {
	for _, api := range spec.APIs() {
		doc, err := load(api)
		if err != nil {
			return err
		}
		ids, tags := operations(doc)
		fmt.Fprintf(w, "%s\t%s\n\toperations: %s\n\ttags: %s\n", api, doc.Info.Title, strings.Join(ids, ", "), strings.Join(tags, ", "))
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// writeFile replaces path atomically, so a failed run never leaves a
// half-written file behind.
func writeFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".apigen-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
