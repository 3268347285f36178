// Package spec embeds the hand-written OpenAPI documents of this module, so
// that programs and go:generate steps read exactly the version of the specs
// pinned in their go.mod, with no network fetch and no path guessing.
//
// Each API is named by its folder under spec/: "devserver" (ModelArts
// DevServer / Lite Server), "clouddc" (CloudDC iMetal instances) and "ecs"
// (Elastic Cloud Server v1.1). Document returns the YAML text of one of them;
// loading and validating it is the job of the validate package.
package spec

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
)

//go:embed */openapi.yaml examples
var files embed.FS

// apis lists the API names in a fixed order: the order of the README table.
var apis = []string{"devserver", "clouddc", "ecs"}

// APIs returns the names of the embedded API documents.
func APIs() []string { return slices.Clone(apis) }

// Document returns the YAML source of the named API's OpenAPI document.
func Document(api string) ([]byte, error) {
	if !slices.Contains(apis, api) {
		return nil, fmt.Errorf("spec: unknown API %q (known: %v)", api, apis)
	}
	return files.ReadFile(path.Join(api, "openapi.yaml"))
}

// Examples returns the example request files (spec/examples/<api>/*.http) as a
// read-only file system rooted at spec/examples.
func Examples() fs.FS {
	sub, err := fs.Sub(files, "examples")
	if err != nil {
		panic(err) // the directory is embedded at build time; this cannot fail
	}
	return sub
}
