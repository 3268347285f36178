package interop

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hwspec/compute/validate"
)

// ajvCase is one body to validate against one published JSON Schema, with
// what our engine says of it.
type ajvCase struct {
	Schema string          `json:"schema"`
	Body   json.RawMessage `json:"body"`
	name   string
	accept bool // our engine accepts it (else it breaks the schema)
}

// TestAjvAgreesWithTheJSONSchemas compiles every published request body
// JSON Schema (dist/schemas/*.request.json) with ajv, a third-party JSON
// Schema validator, in strict mode, and validates the operation's example
// bodies with it: the request examples of the document and the bodies of
// spec/examples/<api>/<operationId>.http. Where our engine accepts a body,
// ajv must accept it; where our engine finds a schema error in it, ajv must
// reject it. Bodies that only break our cross-field rules or named formats
// are left out, as JSON Schema cannot say those. Each accepted body is also
// sent with an undeclared member added at the root and in each object
// member of the root, which our engine rejects (the request schemas are
// closed), and ajv must reject too.
func TestAjvAgreesWithTheJSONSchemas(t *testing.T) {
	publishTool(t, "ajv/package.json")
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not installed, but the publish tools are")
	}
	dist := bundles(t)
	e, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	schemas := map[string]json.RawMessage{}
	var cases []ajvCase
	add := func(op *validate.Operation, name string, body []byte) {
		res, err := e.ValidateBody(op.ID, body)
		if err != nil {
			t.Fatal(err)
		}
		schemaError := slices.ContainsFunc(res.Findings, func(f validate.Finding) bool {
			return f.Severity == validate.Error && strings.HasPrefix(f.Rule, "schema.")
		})
		if !res.Valid() && !schemaError {
			return // only our vocabulary fails
		}
		cases = append(cases, ajvCase{Schema: op.ID, Body: body, name: name, accept: res.Valid()})
		if !res.Valid() {
			return
		}
		for _, c := range withUndeclaredMember(t, body) {
			res, err := e.ValidateBody(op.ID, c.body)
			if err != nil {
				t.Fatal(err)
			}
			if res.Valid() {
				t.Fatalf("%s with an undeclared member at %s: our engine accepts it", name, c.where)
			}
			cases = append(cases, ajvCase{Schema: op.ID, Body: c.body, name: name + " with an undeclared member at " + c.where})
		}
	}
	for _, op := range e.Operations() {
		if op.RequestSchema() == nil {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(dist, "schemas", op.ID+".request.json"))
		if err != nil {
			t.Fatal(err)
		}
		schemas[op.ID] = raw
		exs := op.RequestExamples()
		for _, name := range slices.Sorted(maps.Keys(exs)) {
			body, err := json.Marshal(exs[name])
			if err != nil {
				t.Fatal(err)
			}
			add(op, op.ID+" request example "+name, body)
		}
		for _, ex := range exampleRequests(t, op.API.Name) {
			if ex.file != op.ID+".http" || len(bytes.TrimSpace(ex.request.Body)) == 0 || !json.Valid(ex.request.Body) {
				continue
			}
			add(op, ex.name, ex.request.Body)
		}
	}

	in, err := json.Marshal(map[string]any{"schemas": schemas, "cases": cases})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "ajv-check.cjs")
	cmd.Dir = "publishtools"
	cmd.Stdin = bytes.NewReader(in)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ajv: %v", err)
	}
	var got struct {
		Compiled []string
		Results  []struct {
			Valid  bool
			Errors []struct{ Path, Keyword, Message string }
		}
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("ajv's output: %v\n%s", err, out)
	}
	if want := slices.Sorted(maps.Keys(schemas)); !slices.Equal(got.Compiled, want) || len(want) != 3 {
		t.Fatalf("ajv compiled %v, want the 3 schemas %v", got.Compiled, want)
	}
	if len(got.Results) != len(cases) {
		t.Fatalf("ajv answered %d cases of %d", len(got.Results), len(cases))
	}
	var accepted, rejected int
	for i, c := range cases {
		r := got.Results[i]
		if r.Valid != c.accept {
			t.Errorf("%s: ajv valid=%v, our engine valid=%v; ajv said %+v", c.name, r.Valid, c.accept, r.Errors)
		}
		if r.Valid {
			accepted++
		} else {
			rejected++
		}
	}
	t.Logf("ajv compiled %d schemas, accepted %d bodies and rejected %d, as our engine does", len(got.Compiled), accepted, rejected)
	if accepted == 0 || rejected == 0 {
		t.Errorf("accepted %d, rejected %d: the test checks nothing", accepted, rejected)
	}
}

type modifiedBody struct {
	where string
	body  []byte
}

// withUndeclaredMember returns copies of a JSON object body with a member
// no schema declares added at the root and in each object-valued member of
// the root.
func withUndeclaredMember(t *testing.T, body []byte) []modifiedBody {
	t.Helper()
	decode := func() map[string]any {
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		var v map[string]any
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	const member = "zz_undeclared_member"
	var out []modifiedBody
	root := decode()
	root[member] = true
	raw, err := json.Marshal(root)
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, modifiedBody{"/", raw})
	for _, k := range slices.Sorted(maps.Keys(decode())) {
		v := decode()
		obj, ok := v[k].(map[string]any)
		if !ok {
			continue
		}
		obj[member] = true
		raw, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, modifiedBody{"/" + k, raw})
	}
	return out
}
