// Package publish builds the published artefacts of the specs into a
// directory (make publish writes dist/):
//
//	index.json                 every API with its version and the SHA-256 of each file
//	index.html                 the reference's index page
//	<api>/openapi.json         the bundled document (self-contained, no external refs)
//	<api>/openapi.yaml         the same in YAML
//	<api>/index.html           the API's reference page
//	schemas/<op>.request.json  the JSON Schema of an operation's request body, for editors
//	rules.json                 every cross-field rule and named format, for tools
//	changelog.html             the changelog (CHANGELOG.md), when the build is given one
//
// Everything is a pure function of the specs and the Options (base address,
// changelog): the same inputs give the same bytes. The HTML is rendered with
// this package's own templates, fully offline (one inline search script, no
// font, no CDN), because no third-party renderer knows the x-rules and
// x-formats vocabulary, which the pages state in plain words. Descriptions
// are Markdown, rendered with goldmark without raw HTML.
package publish

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v4"

	"github.com/hwspec/compute/spec"
)

// DefaultBase is the address the artefacts are published under unless
// Options.Base says otherwise: the JSON Schemas' $id start with it. It is
// recorded in index.json.
const DefaultBase = "https://hwspec.github.io/compute/"

// Options are the inputs of a build besides the specs.
type Options struct {
	// Base is the published address of the directory, ending in "/"
	// (DefaultBase when empty).
	Base string
	// Changelog is the Markdown changelog (CHANGELOG.md) to publish as
	// changelog.html; without it there is no changelog page.
	Changelog []byte
}

// Index is index.json.
type Index struct {
	// Base is the address the directory is published under.
	Base string       `json:"base"`
	APIs []IndexEntry `json:"apis"`
	// Files are the files outside the APIs' folders (the JSON Schemas,
	// rules.json, changelog.html), by path relative to the directory.
	Files map[string]File `json:"files"`
}

// IndexEntry describes one API's published files.
type IndexEntry struct {
	Name    string          `json:"name"`
	Title   string          `json:"title"`
	Version string          `json:"version"`
	Files   map[string]File `json:"files"`
}

// File is a published file's checksum and size.
type File struct {
	SHA256 string `json:"sha256"`
	Bytes  int    `json:"bytes"`
}

// Build writes the artefacts of every embedded spec into dir with the
// default options, and returns the index.
func Build(dir string) (Index, error) { return BuildWith(dir, Options{}) }

// BuildWith writes the artefacts of every embedded spec into dir, and
// returns the index.
func BuildWith(dir string, o Options) (Index, error) {
	if o.Base == "" {
		o.Base = DefaultBase
	}
	if !strings.HasSuffix(o.Base, "/") {
		return Index{}, fmt.Errorf("base %q must end in /", o.Base)
	}
	idx := Index{Base: o.Base, Files: map[string]File{}}
	top := map[string][]byte{}
	var catalogue []CatalogueEntry
	var pages []indexPageEntry
	for _, name := range spec.APIs() {
		src, err := spec.Document(name)
		if err != nil {
			return idx, err
		}
		doc, err := openapi3.NewLoader().LoadFromData(src)
		if err != nil {
			return idx, fmt.Errorf("%s: %w", name, err)
		}
		files, tree, err := render(name, doc, &catalogue)
		if err != nil {
			return idx, fmt.Errorf("%s: %w", name, err)
		}
		schemas, err := requestSchemas(name, tree, o.Base)
		if err != nil {
			return idx, fmt.Errorf("%s: %w", name, err)
		}
		for id, data := range schemas {
			top[schemaFile(id)] = data
		}
		entry := IndexEntry{Name: name, Title: doc.Info.Title, Version: doc.Info.Version, Files: map[string]File{}}
		for _, fname := range slices.Sorted(maps.Keys(files)) {
			data := files[fname]
			if err := writeFile(filepath.Join(dir, name, fname), data); err != nil {
				return idx, err
			}
			sum := sha256.Sum256(data)
			entry.Files[fname] = File{SHA256: hex.EncodeToString(sum[:]), Bytes: len(data)}
		}
		idx.APIs = append(idx.APIs, entry)
		pages = append(pages, indexPageEntry{Name: name, Title: doc.Info.Title, Version: doc.Info.Version, Operations: len(operationsOf(doc))})
	}
	rules, err := json.MarshalIndent(Catalogue{Rules: catalogue}, "", "  ")
	if err != nil {
		return idx, err
	}
	top["rules.json"] = append(rules, '\n')
	var schemas []string
	for _, fname := range slices.Sorted(maps.Keys(top)) {
		if strings.HasPrefix(fname, "schemas/") {
			schemas = append(schemas, fname)
		}
	}
	if o.Changelog != nil {
		if top["changelog.html"], err = renderChangelog(o.Changelog); err != nil {
			return idx, err
		}
	}
	for _, fname := range slices.Sorted(maps.Keys(top)) {
		data := top[fname]
		if err := writeFile(filepath.Join(dir, fname), data); err != nil {
			return idx, err
		}
		sum := sha256.Sum256(data)
		idx.Files[fname] = File{SHA256: hex.EncodeToString(sum[:]), Bytes: len(data)}
	}
	raw, err := json.MarshalIndent(idx, "", "  ")
	if err != nil {
		return idx, err
	}
	if err := writeFile(filepath.Join(dir, "index.json"), append(raw, '\n')); err != nil {
		return idx, err
	}
	html, err := renderIndex(pages, schemas, o.Changelog != nil)
	if err != nil {
		return idx, err
	}
	return idx, writeFile(filepath.Join(dir, "index.html"), html)
}

// schemaFile is the path of an operation's request body JSON Schema.
func schemaFile(operationID string) string {
	return "schemas/" + operationID + ".request.json"
}

// render returns one API's files by name, and the bundle as decoded JSON.
// Its rules and named formats are appended to catalogue.
func render(name string, doc *openapi3.T, catalogue *[]CatalogueEntry) (map[string][]byte, map[string]any, error) {
	if err := doc.Validate(context.Background()); err != nil {
		return nil, nil, err
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, nil, err
	}
	var tree map[string]any
	if err := json.Unmarshal(raw, &tree); err != nil {
		return nil, nil, err
	}
	stripRefSiblings(tree)
	// Maps marshal with sorted keys: deterministic.
	jsonDoc, err := json.MarshalIndent(tree, "", "  ")
	if err != nil {
		return nil, nil, err
	}
	var y bytes.Buffer
	enc := yaml.NewEncoder(&y)
	enc.SetIndent(2)
	if err := enc.Encode(tree); err != nil {
		return nil, nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, nil, err
	}
	page, view, err := renderAPI(name, doc)
	if err != nil {
		return nil, nil, err
	}
	*catalogue = append(*catalogue, catalogueOf(name, tree, view)...)
	return map[string][]byte{
		"openapi.json": append(jsonDoc, '\n'),
		"openapi.yaml": y.Bytes(),
		"index.html":   page,
	}, tree, nil
}

// stripRefSiblings removes the x-go-* code generation hints that sit beside
// a $ref. oapi-codegen reads them from the source specs (gen/ and apigen use
// those), but OpenAPI 3.0 says a Reference Object has no other members, and
// linters such as Redocly warn about them, so the published, tool-neutral
// documents leave them out.
func stripRefSiblings(v any) {
	switch v := v.(type) {
	case map[string]any:
		if _, ok := v["$ref"]; ok {
			for k := range v {
				if strings.HasPrefix(k, "x-go-") {
					delete(v, k)
				}
			}
		}
		for _, c := range v {
			stripRefSiblings(c)
		}
	case []any:
		for _, c := range v {
			stripRefSiblings(c)
		}
	}
}

func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}
