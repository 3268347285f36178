package spec_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/hwspec/compute/validate"
)

// seedField is one row of testdata/seed-fields.tsv: a field as a seed page's
// table prints it.
type seedField struct {
	line                    int
	api, operation, in, ptr string
	typ, required, source   string
}

func readSeedFields(t *testing.T) []seedField {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "seed-fields.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []seedField
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if n == 1 {
			continue // header
		}
		c := strings.Split(sc.Text(), "\t")
		if len(c) != 7 {
			t.Fatalf("seed-fields.tsv:%d: want 7 columns, got %d", n, len(c))
		}
		rows = append(rows, seedField{n, c[0], c[1], c[2], c[3], c[4], c[5], c[6]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestSeedFieldTables walks every field of the seed pages' tables (the
// checked-in list testdata/seed-fields.tsv) and checks that the spec has it,
// with the table's type and requiredness.
func TestSeedFieldTables(t *testing.T) {
	e, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	rows := readSeedFields(t)
	if len(rows) < 150 {
		t.Fatalf("only %d seed fields: the list is truncated", len(rows))
	}
	for _, row := range rows {
		t.Run(fmt.Sprintf("%s/%s/%s%s", row.api, row.operation, row.in, row.ptr), func(t *testing.T) {
			op := e.Operation(row.operation)
			if op == nil || op.API.Name != row.api {
				t.Fatalf("line %d: no operation %s in %s", row.line, row.operation, row.api)
			}
			o := op.API.Doc.Paths.Find(op.Path).GetOperation(op.Method)
			item := op.API.Doc.Paths.Find(op.Path)
			switch {
			case row.in == "path" || row.in == "query" || row.in == "header":
				checkParameter(t, row, op.API.Doc, item, o)
			case row.in == "body":
				checkField(t, row, op.RequestSchema())
			case strings.HasPrefix(row.in, "response:"):
				status := strings.TrimPrefix(row.in, "response:")
				resp := o.Responses.Value(status)
				if resp == nil || resp.Value == nil {
					t.Fatalf("line %d: %s has no %s response", row.line, row.operation, status)
				}
				mt := resp.Value.Content.Get("application/json")
				if mt == nil || mt.Schema == nil {
					t.Fatalf("line %d: %s response %s has no JSON body", row.line, row.operation, status)
				}
				checkField(t, row, mt.Schema.Value)
			default:
				t.Fatalf("line %d: unknown location %q", row.line, row.in)
			}
		})
	}
}

func checkParameter(t *testing.T, row seedField, doc *openapi3.T, item *openapi3.PathItem, o *openapi3.Operation) {
	t.Helper()
	for _, params := range []openapi3.Parameters{o.Parameters, item.Parameters} {
		if p := params.GetByInAndName(row.in, row.ptr); p != nil {
			if p.Required != (row.required == "yes") {
				t.Errorf("line %d: parameter %s: required is %v, the seed says %s (%s)", row.line, row.ptr, p.Required, row.required, row.source)
			}
			if p.Schema == nil || !p.Schema.Value.Type.Is(row.typ) {
				t.Errorf("line %d: parameter %s: want type %s", row.line, row.ptr, row.typ)
			}
			return
		}
	}
	// X-Auth-Token is the "token" security scheme rather than a parameter
	// (spec/README.md, "Authentication"): it is required whenever the
	// request is not AK/SK-signed, which a document-level security
	// requirement says.
	if row.in == "header" {
		for name, ref := range doc.Components.SecuritySchemes {
			s := ref.Value
			if s.Type == "apiKey" && s.In == "header" && strings.EqualFold(s.Name, row.ptr) && requiresScheme(doc, o, name) {
				return
			}
		}
	}
	t.Errorf("line %d: no %s parameter %q (%s)", row.line, row.in, row.ptr, row.source)
}

func requiresScheme(doc *openapi3.T, o *openapi3.Operation, name string) bool {
	reqs := doc.Security
	if o.Security != nil {
		reqs = *o.Security
	}
	for _, r := range reqs {
		if _, ok := r[name]; ok {
			return true
		}
	}
	return false
}

// checkField resolves a seed pointer (/a/*/b) through a schema and checks
// the field's type and, for request fields, its requiredness.
func checkField(t *testing.T, row seedField, root *openapi3.Schema) {
	t.Helper()
	segs := strings.Split(strings.TrimPrefix(row.ptr, "/"), "/")
	cur, parent := root, (*openapi3.Schema)(nil)
	for i, seg := range segs {
		parent = cur
		switch {
		case seg == "*" && cur.Items != nil:
			cur = cur.Items.Value
		case seg == "*" && cur.AdditionalProperties.Schema != nil:
			cur = cur.AdditionalProperties.Schema.Value
		case cur.Properties[seg] != nil:
			cur = cur.Properties[seg].Value
		default:
			t.Fatalf("line %d: no field %s in the spec (%s)", row.line, strings.Join(segs[:i+1], "/"), row.source)
		}
	}
	switch row.typ {
	case "map":
		if !cur.Type.Is("object") || cur.AdditionalProperties.Schema == nil {
			t.Errorf("line %d: %s: want a map (object with additionalProperties)", row.line, row.ptr)
		}
	case "object":
		if !cur.Type.Is("object") || len(cur.Properties) == 0 {
			t.Errorf("line %d: %s: want an object with properties", row.line, row.ptr)
		}
	default:
		if !cur.Type.Is(row.typ) {
			t.Errorf("line %d: %s: want type %s, the spec has %v (%s)", row.line, row.ptr, row.typ, cur.Type, row.source)
		}
	}
	last := segs[len(segs)-1]
	if row.in == "body" && last != "*" {
		required := slices.Contains(parent.Required, last)
		if required != (row.required == "yes") {
			t.Errorf("line %d: %s: required is %v, the seed says %s (%s)", row.line, row.ptr, required, row.required, row.source)
		}
	}
}
