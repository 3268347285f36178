package validate

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestRuleInfoDescribesEveryRule holds RuleInfo (which the CLI's SARIF
// rules list and any front-end that explains a finding use) to the promise
// that it describes every rule id the engine can emit, in a request and in
// a response: the ids of the engine's own checks (every constant named
// ...Rule in this package), every JSON Schema keyword kin-openapi reports
// (read from its source, so that a new keyword in an upgrade fails here),
// every named format and every x-rule of the specs. An id is described
// when RuleInfo does not give it back as it is.
func TestRuleInfoDescribesEveryRule(t *testing.T) {
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	var request, response []string
	for _, id := range ruleConstants(t) {
		if strings.HasPrefix(id, "response.") {
			response = append(response, id)
			continue
		}
		request = append(request, id)
		if !notInResponses[id] {
			response = append(response, "response."+id)
		}
	}
	for _, kw := range kinKeywords(t) {
		switch kw {
		case "properties": // an undeclared member: schema.additionalProperties, a constant
		case "format": // format.<name>, below
		default:
			request = append(request, "schema."+kw)
			response = append(response, "response.schema."+kw)
		}
	}
	request, response = append(request, "schema"), append(response, "response.schema")
	for _, api := range e.apis {
		for name := range api.Formats {
			request = append(request, "format."+name)
			response = append(response, "response.format."+name)
		}
	}
	for _, op := range e.ops {
		for _, site := range op.sites {
			for _, r := range site.rules {
				request = append(request, r.ID) // x-rules are not applied to responses
			}
		}
	}
	for _, id := range append(request, response...) {
		if got := e.RuleInfo(id); got == id || got == "" {
			t.Errorf("RuleInfo(%q) does not describe it", id)
		}
	}
	for _, id := range response {
		if !strings.Contains(e.RuleInfo(id), "response") {
			t.Errorf("RuleInfo(%q) = %q does not say it is about a response", id, e.RuleInfo(id))
		}
	}
	// Ids the engine never emits are not described as if it did.
	for _, id := range []string{"response." + SchemaAdditionalPropertiesRule, "response." + RouteUnknownRule, "response.devserver.server.login-method", "no.such.rule"} {
		if got := e.RuleInfo(id); got != id {
			t.Errorf("RuleInfo(%q) = %q, want the id back", id, got)
		}
	}
	if len(request) < 40 || len(response) < 30 {
		t.Fatalf("only %d request and %d response ids found: the enumeration broke", len(request), len(response))
	}
}

// ruleConstants returns the values of the string constants named ...Rule
// declared in this package.
func ruleConstants(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if !strings.HasSuffix(n.Name, "Rule") || i >= len(vs.Values) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						t.Fatalf("%s: constant %s is not a string literal", name, n.Name)
					}
					id, err := strconv.Unquote(lit.Value)
					if err != nil {
						t.Fatal(err)
					}
					ids = append(ids, id)
				}
			}
		}
	}
	for _, want := range []string{TruncatedRule, RouteUnknownRule, ResponseStatusRule, JSONSyntaxRule} {
		if !slices.Contains(ids, want) {
			t.Fatalf("constant %q not found among %q", want, ids)
		}
	}
	return ids
}

// kinKeywords returns the schema keywords kin-openapi names in the
// SchemaField of its errors, read from the source of the version this
// module requires.
func kinKeywords(t *testing.T) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/getkin/kin-openapi").Output()
	if err != nil {
		t.Fatalf("go list kin-openapi: %v", err)
	}
	files, err := filepath.Glob(filepath.Join(strings.TrimSpace(string(out)), "openapi3", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	field := regexp.MustCompile(`(?:SchemaField:\s*|withField\()"([A-Za-z$]+)"`)
	seen := map[string]bool{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range field.FindAllSubmatch(src, -1) {
			seen[string(m[1])] = true
		}
	}
	for _, want := range []string{"type", "enum", "required", "oneOf", "maximum"} {
		if !seen[want] {
			t.Fatalf("keyword %q not found in kin-openapi's source: the pattern no longer matches how it names keywords", want)
		}
	}
	var kws []string
	for kw := range seen {
		kws = append(kws, kw)
	}
	slices.Sort(kws)
	return kws
}
