package interop

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hwspec/compute/httpfile"
	"github.com/hwspec/compute/internal/publish"
	"github.com/hwspec/compute/spec"
)

// The third-party tools live in publishtools/node_modules, installed from
// publishtools/package-lock.json by `make interop` (npm ci). Without them the
// tests skip, except in CI, where a missing tool is a failure.
const toolsDir = "publishtools/node_modules"

// publishTool returns the path of an installed tool, relative to toolsDir.
func publishTool(t *testing.T, rel string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join(toolsDir, rel))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not installed; `make interop` installs it (npm ci in interop/publishtools)", rel)
		}
		t.Skipf("%s is not installed (run `make interop`, which needs npm)", rel)
	}
	return p
}

var (
	bundlesOnce sync.Once
	bundlesDir  string
	bundlesErr  error
)

// bundles builds dist/ once for all tests of the package, as `make publish`
// does, and returns its directory.
func bundles(t *testing.T) string {
	t.Helper()
	bundlesOnce.Do(func() {
		bundlesDir, bundlesErr = os.MkdirTemp("", "hwspec-dist-")
		if bundlesErr == nil {
			_, bundlesErr = publish.Build(bundlesDir)
		}
	})
	if bundlesErr != nil {
		t.Fatal(bundlesErr)
	}
	return bundlesDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bundlesDir != "" {
		os.RemoveAll(bundlesDir)
	}
	os.Exit(code)
}

// TestRedoclyLintsTheBundlesClean runs Redocly's linter with its default
// ("recommended") rules on every published document and expects no error and
// no warning.
func TestRedoclyLintsTheBundlesClean(t *testing.T) {
	redocly := publishTool(t, ".bin/redocly")
	dist := bundles(t)
	for _, api := range spec.APIs() {
		for _, file := range []string{"openapi.json", "openapi.yaml"} {
			t.Run(api+"/"+file, func(t *testing.T) {
				cmd := exec.Command(redocly, "lint", "--format=json", filepath.Join(dist, api, file))
				cmd.Env = append(os.Environ(), "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true")
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				out, err := cmd.Output()
				var report struct {
					Totals   struct{ Errors, Warnings int }
					Problems []struct {
						RuleID, Severity, Message string
						Location                  []struct{ Pointer string }
					}
				}
				if jerr := json.Unmarshal(out, &report); jerr != nil {
					t.Fatalf("redocly: %v, %v\n%s", err, jerr, stderr.String())
				}
				for _, p := range report.Problems {
					where := ""
					if len(p.Location) > 0 {
						where = p.Location[0].Pointer
					}
					t.Errorf("%s %s at %s: %s", p.Severity, p.RuleID, where, p.Message)
				}
				if err != nil || report.Totals.Errors+report.Totals.Warnings != 0 {
					t.Errorf("redocly: %v, totals %+v", err, report.Totals)
				}
			})
		}
	}
}

// unconditionalGeneratorWarnings are the warnings openapi-generator 4.3.1
// prints for any input, even a ten-line document (tried): they say nothing
// about ours.
var unconditionalGeneratorWarnings = []string{
	"No file (.openapi-generator-ignore) will be evaluated.",
	"has deprecated the use of vendor extensions which don't follow lower-kebab casing standards",
}

// TestOpenAPIGeneratorBuildsAGoSDK validates every published document with
// openapi-generator (the jar that its npm package 1.0.18-4.3.1 bundles; newer
// packages download the jar from Maven Central at run time, which this
// machine cannot reach), generates its Go client from it, expects no warning
// about the document, and compiles the generated client.
func TestOpenAPIGeneratorBuildsAGoSDK(t *testing.T) {
	jar := publishTool(t, "@openapitools/openapi-generator-cli/bin/openapi-generator.jar")
	java, err := exec.LookPath("java")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("java is not installed; .ci/run installs it")
		}
		t.Skip("java is not installed")
	}
	dist := bundles(t)
	for _, api := range spec.APIs() {
		t.Run(api, func(t *testing.T) {
			doc := filepath.Join(dist, api, "openapi.yaml")
			out, err := exec.Command(java, "-jar", jar, "validate", "--recommend", "-i", doc).CombinedOutput()
			if err != nil || !strings.Contains(string(out), "No validation issues detected.") {
				t.Fatalf("openapi-generator validate: %v\n%s", err, out)
			}

			sdk := t.TempDir()
			out, err = exec.Command(java, "-jar", jar, "generate", "-g", "go", "-i", doc, "-o", sdk,
				"--package-name", api, "--git-user-id", "hwspec", "--git-repo-id", api+"-sdk").CombinedOutput()
			if err != nil {
				t.Fatalf("openapi-generator generate: %v\n%s", err, out)
			}
			for _, line := range strings.Split(string(out), "\n") {
				if !strings.Contains(line, "WARN") && !strings.Contains(line, "ERROR") {
					continue
				}
				known := false
				for _, w := range unconditionalGeneratorWarnings {
					known = known || strings.Contains(line, w)
				}
				if !known {
					t.Errorf("openapi-generator: %s", line)
				}
			}

			for _, args := range [][]string{{"mod", "tidy"}, {"vet", "./..."}} {
				cmd := exec.Command("go", args...)
				cmd.Dir = sdk
				cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("go %s in the generated SDK: %v\n%s", strings.Join(args, " "), err, out)
				}
			}
		})
	}
}

// TestPrismAgreesWithTheExamples serves every published document with
// Prism's mock server (Stoplight's validating mock, which checks requests
// against the schema with its own JSON Schema validator, ajv) and replays
// every request of spec/examples. Prism must reject exactly the requests that
// break something JSON Schema and OpenAPI can say, and accept the ones whose
// only defects are the cross-field rules, named formats and duplicate members
// that only our engine checks. A second, independent validator agreeing on
// 200-odd requests is evidence that the bundles mean to other tools what they
// mean to us.
func TestPrismAgreesWithTheExamples(t *testing.T) {
	prism := publishTool(t, ".bin/prism")
	dist := bundles(t)
	for _, api := range spec.APIs() {
		t.Run(api, func(t *testing.T) {
			mock := startPrism(t, prism, "mock", filepath.Join(dist, api, "openapi.json"))
			var accepts, rejects, sameReasons int
			for _, ex := range exampleRequests(t, api) {
				wantReject, why := prismShouldReject(ex.expect)
				status, said, err := sendToPrism(mock.base, ex.request)
				if err != nil {
					t.Errorf("%s: %v", ex.name, err)
					continue
				}
				rejected := status >= 400 || slices.ContainsFunc(said, func(v violation) bool { return v.Severity == "Error" })
				if rejected != wantReject {
					t.Errorf("%s: Prism rejected=%v, want %v (%s); Prism said: %d %+v", ex.name, rejected, wantReject, why, status, said)
					continue
				}
				ours, onlySchema := schemaFindings(ex.expect)
				theirs, stated := prismFindings(said)
				if rejected && onlySchema && stated {
					if !sameFindings(ours, theirs) {
						t.Errorf("%s: both reject, but for different reasons:\n ours:  %v\n Prism: %v", ex.name, ours, theirs)
					}
					sameReasons++
				}
				if rejected {
					rejects++
				} else {
					accepts++
				}
			}
			t.Logf("Prism accepted %d examples and rejected %d (%d of them with the same findings as ours)", accepts, rejects, sameReasons)
		})
	}
}

// prismShouldReject says whether Prism must reject a request with these
// expected findings, and why.
func prismShouldReject(exps []httpfile.Expectation) (bool, string) {
	var engineOnly []string
	for _, e := range exps {
		if e.Kind != "invalid" {
			continue
		}
		switch {
		case strings.HasPrefix(e.Rule, "schema."),
			e.Rule == "security.missing",      // no credential for either scheme
			e.Rule == "route.method",          // no such operation
			e.Rule == "route.unknown",         // no such path
			e.Rule == "body.content-type",     // not application/json
			e.Rule == "body.unexpected",       // a body the operation does not take
			e.Rule == "json.syntax",           // not JSON
			e.Rule == "json.case-variant-key", // to a schema validator, an unknown property
			// A declared parameter sent twice: Prism reads the copies as an
			// array (query) or as one value joined with ", " (header), which
			// breaks the parameter's type or pattern. A repeated credential
			// header is only checked for presence (X-Sdk-Date not at all), so
			// it is accepted.
			e.Rule == "param.repeated" && !slices.Contains([]string{"X-Auth-Token", "Authorization", "X-Sdk-Date"}, e.Where):
			return true, e.Rule + " at " + e.Where
		default:
			// Cross-field rules and named formats are our vocabulary;
			// json.duplicate-key is legal to JSON.parse (the last wins).
			engineOnly = append(engineOnly, e.Rule)
		}
	}
	if len(engineOnly) > 0 {
		return false, "only our engine's checks fail: " + strings.Join(engineOnly, ", ")
	}
	return false, "valid"
}

// finding is a schema violation as both validators can state it: where it is
// (body pointer or parameter name, lower case for headers) and the JSON
// Schema keyword it breaks.
type finding struct{ In, Where, Keyword string }

// schemaFindings returns the expected schema findings of an example.
// onlySchema is false when the example also expects findings of another kind.
func schemaFindings(exps []httpfile.Expectation) (out []finding, onlySchema bool) {
	onlySchema = true
	for _, e := range exps {
		if e.Kind != "invalid" {
			continue
		}
		keyword, ok := strings.CutPrefix(e.Rule, "schema.")
		if !ok {
			onlySchema = false
			continue
		}
		where := e.Where
		if e.In == "header" {
			where = strings.ToLower(where)
		}
		out = append(out, finding{e.In, where, keyword})
	}
	slices.SortFunc(out, compareFindings)
	return slices.Compact(out), onlySchema
}

// prismFindings turns Prism's request violations into findings. stated is
// false when Prism gave no schema violations (only a status, or a problem
// that is not a JSON Schema keyword).
func prismFindings(violations []violation) (out []finding, stated bool) {
	if len(violations) == 0 {
		return nil, false
	}
	for _, v := range violations {
		keyword, ok := v.Code.(string)
		if v.Severity != "Error" || !ok || len(v.Location) == 0 || v.Location[0] != "request" {
			return nil, false
		}
		f := finding{In: "body", Keyword: keyword}
		if len(v.Location) > 1 {
			f.In = v.Location[1]
			rest := v.Location[2:]
			switch {
			case f.In == "body":
				// ajv places a missing or an unknown property at its
				// object and names it in the message; we place it at the
				// property.
				if m := namedProperty.FindStringSubmatch(v.Message); m != nil && (keyword == "required" || keyword == "additionalProperties") {
					rest = append(slices.Clone(rest), m[1])
				}
				for _, seg := range rest {
					f.Where += "/" + strings.NewReplacer("~", "~0", "/", "~1").Replace(seg)
				}
			case f.In == "header" && len(rest) > 0:
				f.Where = strings.ToLower(rest[0])
			case len(rest) > 0:
				f.Where = rest[0]
			}
		}
		out = append(out, f)
	}
	slices.SortFunc(out, compareFindings)
	return slices.Compact(out), true
}

// sameFindings reports whether both validators found problems at the same
// places, and Prism's keywords at each place include ours. ajv reports every
// keyword a value breaks (a boolean where the strings "true"/"false" are
// wanted breaks type and enum); our engine reports the one that explains it.
func sameFindings(ours, prisms []finding) bool {
	type place struct{ In, Where string }
	keywords := map[place][]string{}
	for _, f := range prisms {
		keywords[place{f.In, f.Where}] = append(keywords[place{f.In, f.Where}], f.Keyword)
	}
	seen := map[place]bool{}
	for _, f := range ours {
		p := place{f.In, f.Where}
		if !slices.Contains(keywords[p], f.Keyword) {
			return false
		}
		seen[p] = true
	}
	return len(seen) == len(keywords)
}

func compareFindings(a, b finding) int {
	return strings.Compare(a.In+"\x00"+a.Where+"\x00"+a.Keyword, b.In+"\x00"+b.Where+"\x00"+b.Keyword)
}

// prismServer is a running `prism mock` and what it has logged.
type prismServer struct {
	base string
	mu   sync.Mutex
	log  []string
}

// logged returns the lines Prism has logged so far.
func (p *prismServer) logged() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.log)
}

// startPrism starts Prism (`prism mock DOC` or `prism proxy DOC UPSTREAM`,
// as args say) on a free loopback port and returns once it listens; the
// process ends with the test.
func startPrism(t *testing.T, prism string, args ...string) *prismServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()

	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, prism, append([]string{args[0], "--host", "127.0.0.1", "--port", fmt.Sprint(port)}, args[1:]...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); cmd.Wait() })

	p := &prismServer{base: fmt.Sprintf("http://127.0.0.1:%d", port)}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			p.mu.Lock()
			p.log = append(p.log, sc.Text())
			p.mu.Unlock()
			if strings.Contains(sc.Text(), "Prism is listening") {
				close(ready)
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(60 * time.Second):
		t.Fatalf("prism did not start within 60 s:\n%s", strings.Join(p.logged(), "\n"))
	}
	return p
}

var (
	namedProperty = regexp.MustCompile(`(?:required property|additional properties; found) '(.*)'$`)
	prismClient   = &http.Client{Timeout: 10 * time.Second}
)

// violation is one entry of Prism's sl-violations header: something a
// request or a response broke.
type violation struct {
	Location []string // "request" or "response", the part, then the path
	Severity string
	Code     any // a JSON Schema keyword, or an HTTP status for other problems
	Message  string
}

// violations reads the sl-violations header of a Prism answer.
func violations(h http.Header) ([]violation, error) {
	raw := h.Get("sl-violations")
	if raw == "" {
		return nil, nil
	}
	var out []violation
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		return nil, fmt.Errorf("sl-violations: %v: %s", err, raw)
	}
	return out, nil
}

// sendToPrism sends one example request and returns Prism's status and
// what it said the request broke.
func sendToPrism(base string, r httpfile.Request) (int, []violation, error) {
	req, err := buildRequest(base, r)
	if err != nil {
		return 0, nil, err
	}
	resp, err := prismClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	said, err := violations(resp.Header)
	return resp.StatusCode, said, err
}

// buildRequest turns a request of a .http file into one for the server at
// base.
func buildRequest(base string, r httpfile.Request) (*http.Request, error) {
	var body io.Reader
	if len(r.Body) > 0 {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequest(r.Method, base+r.Target, body)
	if err != nil {
		return nil, err
	}
	for k, vs := range r.Header {
		req.Header[k] = slices.Clone(vs)
	}
	return req, nil
}
