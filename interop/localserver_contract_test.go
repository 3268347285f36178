package interop

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hwspec/compute/httpfile"
	"github.com/hwspec/compute/server"
	"github.com/hwspec/compute/spec"
	"github.com/hwspec/compute/validate"
)

// exampleToken is the X-Auth-Token the spec/examples requests carry.
const exampleToken = "MIIexample-iam-token"

// lifecycle is a create followed by reads and a delete, with the clock moved
// between them, so that the answers cover every stage of a resource.
type lifecycle struct {
	create  string // the .http file whose first valid request creates
	idField string // the member of the create answer that names the resource
	steps   []lifecycleStep
}

type lifecycleStep struct {
	advance      time.Duration // move the server's clock first
	method, path string        // {project} and {id} are filled in
	status       int           // the answer's status
	state        string        // a state the answer must name ("" for none)
}

var lifecycles = map[string]lifecycle{
	"devserver": {create: "CreateDevServer.http", idField: "id", steps: []lifecycleStep{
		{0, "GET", "/v1/{project}/dev-servers/{id}", 200, `"CREATING"`},
		{0, "GET", "/v1/{project}/dev-servers", 200, `"CREATING"`},
		{time.Hour, "GET", "/v1/{project}/dev-servers/{id}", 200, `"RUNNING"`},
		{0, "DELETE", "/v1/{project}/dev-servers/{id}", 200, ""},
		{0, "GET", "/v1/{project}/dev-servers/{id}", 200, `"DELETING"`},
		{time.Hour, "GET", "/v1/{project}/dev-servers/{id}", 404, ""},
	}},
	"clouddc": {create: "CreateInstance.http", idField: "instance_id", steps: []lifecycleStep{
		{0, "GET", "/v1/{project}/instances/{id}/status", 200, `"pending"`},
		{time.Hour, "GET", "/v1/{project}/instances/{id}/status", 200, `"running"`},
		{0, "DELETE", "/v1/{project}/instances/{id}", 204, ""},
		{0, "GET", "/v1/{project}/instances/{id}/status", 200, `"shutting-down"`},
		{time.Hour, "GET", "/v1/{project}/instances/{id}/status", 200, `"terminated"`},
	}},
	"ecs": {create: "CreateServers.http", idField: "job_id", steps: []lifecycleStep{
		{0, "GET", "/v1/{project}/jobs/{id}", 200, `"INIT"`},
		{3 * time.Second, "GET", "/v1/{project}/jobs/{id}", 200, `"RUNNING"`},
		{time.Hour, "GET", "/v1/{project}/jobs/{id}", 200, `"SUCCESS"`},
	}},
}

// TestLocalServerAnswersMatchTheBundles puts Prism in proxy mode in front of
// the local server: Prism forwards each request and checks the answer
// against the published document with its own validator. Every request of
// spec/examples goes through it (so the error answers are checked too), then
// a lifecycle per API (create, read at each stage, delete) on a clock the
// test moves.
func TestLocalServerAnswersMatchTheBundles(t *testing.T) {
	prism := publishTool(t, ".bin/prism")
	dist := bundles(t)
	clock := server.NewManualClock(time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC))
	srv, err := server.New(server.Config{
		Tokens: map[string]string{exampleToken: server.DefaultProject},
		Now:    clock.Now,
		// The lifecycles move the clock by hours; finished records must
		// stay visible throughout, whatever the default retention.
		Retention: 24 * time.Hour,
	})
	if err != nil {
		t.Fatal(err)
	}
	upstream := httptest.NewServer(srv.Handler())
	t.Cleanup(upstream.Close)

	for _, api := range spec.APIs() {
		t.Run(api, func(t *testing.T) {
			proxy := startPrism(t, prism, "proxy", filepath.Join(dist, api, "openapi.json"), upstream.URL)
			checked := 0
			send := func(name string, req *http.Request) (int, []byte) {
				t.Helper()
				resp, err := prismClient.Do(req)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				defer resp.Body.Close()
				body, err := io.ReadAll(resp.Body)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				for _, v := range responseViolations(t, resp.Header) {
					t.Errorf("%s: the local server's %d answer breaks the document: %s", name, resp.StatusCode, v)
				}
				checked++
				return resp.StatusCode, body
			}

			examples := exampleRequests(t, api)
			for _, ex := range examples {
				req, err := buildRequest(proxy.base, ex.request)
				if err != nil {
					t.Fatal(err)
				}
				send(ex.name, req)
			}

			lc := lifecycles[api]
			var create *httpfile.Request
			for _, ex := range examples {
				if ex.file == lc.create && ex.valid {
					create = &ex.request
					break
				}
			}
			if create == nil {
				t.Fatalf("no valid request in %s", lc.create)
			}
			req, err := buildRequest(proxy.base, *create)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Del("X-Client-Token") // a fresh create, not a replay of the one above
			var created map[string]any
			status, body := send("create", req)
			if err := json.Unmarshal(body, &created); err != nil || status >= 300 {
				t.Fatalf("create: %d %s", status, body)
			}
			id, _ := created[lc.idField].(string)
			if id == "" {
				t.Fatalf("create answer has no %s: %v", lc.idField, created)
			}
			for i, st := range lc.steps {
				clock.Advance(st.advance)
				path := strings.NewReplacer("{project}", server.DefaultProject, "{id}", id).Replace(st.path)
				req, err := http.NewRequest(st.method, proxy.base+path, nil)
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("X-Auth-Token", exampleToken)
				name := fmt.Sprintf("step %d: %s %s", i+1, st.method, st.path)
				status, body := send(name, req)
				if status != st.status || !strings.Contains(string(body), st.state) {
					t.Errorf("%s: %d %s, want %d naming %s", name, status, body, st.status, st.state)
				}
			}
			t.Logf("Prism checked %d answers of the local server", checked)
		})
	}
}

// TestInjectedFaultsMatchTheBundles has the local server inject every error
// status an operation documents that a fault can produce (429, 500, 503),
// and Prism check each such answer against the document: a client generated
// from the bundle must be able to decode what a fault sends it.
func TestInjectedFaultsMatchTheBundles(t *testing.T) {
	prism := publishTool(t, ".bin/prism")
	dist := bundles(t)
	engine, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, api := range spec.APIs() {
		t.Run(api, func(t *testing.T) {
			type call struct {
				op     string
				status int
				req    httpfile.Request
			}
			var calls []call
			var faults []server.Fault
			examples := exampleRequests(t, api)
			for _, op := range engine.Operations() {
				if op.API.Name != api {
					continue
				}
				var req *httpfile.Request
				for _, ex := range examples {
					if ex.file == op.ID+".http" && ex.valid {
						req = &ex.request
						break
					}
				}
				if req == nil {
					t.Fatalf("%s: no valid example", op.ID)
				}
				responses := op.API.Doc.Paths.Find(op.Path).GetOperation(op.Method).Responses
				for _, status := range []int{429, 500, 503} {
					if responses.Status(status) != nil {
						faults = append(faults, server.Fault{Operation: op.ID, Status: status, Times: 1})
						calls = append(calls, call{op.ID, status, *req})
					}
				}
			}
			srv, err := server.New(server.Config{
				Tokens: map[string]string{exampleToken: server.DefaultProject},
				Faults: faults,
			})
			if err != nil {
				t.Fatal(err)
			}
			upstream := httptest.NewServer(srv.Handler())
			t.Cleanup(upstream.Close)
			proxy := startPrism(t, prism, "proxy", filepath.Join(dist, api, "openapi.json"), upstream.URL)
			for _, c := range calls {
				req, err := buildRequest(proxy.base, c.req)
				if err != nil {
					t.Fatal(err)
				}
				resp, err := prismClient.Do(req)
				if err != nil {
					t.Fatalf("%s: %v", c.op, err)
				}
				resp.Body.Close()
				if resp.StatusCode != c.status {
					t.Errorf("%s: status %d, want the injected %d", c.op, resp.StatusCode, c.status)
				}
				for _, v := range responseViolations(t, resp.Header) {
					t.Errorf("%s: the injected %d breaks the document: %s", c.op, c.status, v)
				}
			}
			t.Logf("%d injected error answers checked", len(calls))
		})
	}
}

// TestResponseViolationsAreSeen proves the check above can fail: an upstream
// whose job status is not one the document allows is reported.
func TestResponseViolationsAreSeen(t *testing.T) {
	prism := publishTool(t, ".bin/prism")
	dist := bundles(t)
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"status":"DONE","job_id":"ff808082739334d80173943ec9b42130"}`)
	}))
	t.Cleanup(upstream.Close)
	proxy := startPrism(t, prism, "proxy", filepath.Join(dist, "ecs", "openapi.json"), upstream.URL)
	req, err := http.NewRequest("GET", proxy.base+"/v1/"+server.DefaultProject+"/jobs/ff808082739334d80173943ec9b42130", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Auth-Token", exampleToken)
	resp, err := prismClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	got := responseViolations(t, resp.Header)
	if len(got) != 1 || !strings.Contains(got[0], "/status") {
		t.Fatalf("violations %q, want one at /status", got)
	}
}

// responseViolations returns what Prism said a response broke, as
// "pointer: message".
func responseViolations(t *testing.T, h http.Header) []string {
	t.Helper()
	said, err := violations(h)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, v := range said {
		if len(v.Location) > 0 && v.Location[0] == "response" {
			out = append(out, "/"+strings.Join(v.Location[1:], "/")+": "+v.Message)
		}
	}
	return out
}

// example is one request of spec/examples.
type example struct {
	file, name string
	request    httpfile.Request
	expect     []httpfile.Expectation
	valid      bool // it expects no error finding
}

// exampleRequests reads every request of an API's example files.
func exampleRequests(t *testing.T, api string) []example {
	t.Helper()
	examples := spec.Examples()
	files, err := fs.Glob(examples, api+"/*.http")
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples for %s: %v", api, err)
	}
	var out []example
	for _, file := range files {
		data, err := fs.ReadFile(examples, file)
		if err != nil {
			t.Fatal(err)
		}
		reqs, err := httpfile.Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range reqs {
			exps, err := r.Expectations()
			if err != nil {
				t.Fatal(err)
			}
			valid := true
			for _, e := range exps {
				valid = valid && e.Kind != "invalid"
			}
			out = append(out, example{
				file:    filepath.Base(file),
				name:    fmt.Sprintf("%s:%d %s", filepath.Base(file), r.Line, r.Title),
				request: r,
				expect:  exps,
				valid:   valid,
			})
		}
	}
	return out
}
