package validate_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hwspec/compute/server"
	"github.com/hwspec/compute/validate"
)

// TestResponseExamplesConform checks every documented response example of
// every operation against the response it documents.
func TestResponseExamplesConform(t *testing.T) {
	e, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, op := range e.Operations() {
		o := op.API.Doc.Paths.Find(op.Path).GetOperation(op.Method)
		for code, ref := range o.Responses.Map() {
			status, err := strconv.Atoi(code)
			if err != nil {
				status = 599 // "default": a status no operation documents
				if strings.HasSuffix(code, "XX") {
					status = int(code[0]-'0')*100 + 99
				}
			}
			mt := ref.Value.Content.Get("application/json")
			if mt == nil {
				continue
			}
			examples := map[string]any{}
			if mt.Example != nil {
				examples["example"] = mt.Example
			}
			for name, ex := range mt.Examples {
				examples[name] = ex.Value.Value
			}
			for name, ex := range examples {
				body, err := json.Marshal(ex)
				if err != nil {
					t.Fatal(err)
				}
				r, err := e.ValidateResponse(op.ID, validate.Response{Status: status, Header: http.Header{"Content-Type": {"application/json"}}, Body: body})
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range r.Findings {
					t.Errorf("%s %s example %s: %s", op.ID, code, name, f)
				}
				checked++
			}
		}
	}
	if checked < 20 {
		t.Fatalf("only %d response examples checked", checked)
	}
	t.Logf("%d response examples checked", checked)
}

// exampleToken is the X-Auth-Token the spec/examples requests carry.
const exampleToken = "MIIexample-iam-token"

// TestLocalServerResponsesConform sends every request of spec/examples (valid
// and invalid, so the error answers too), requests without credentials,
// injected faults for every error status a fault can produce, and a
// lifecycle per API (create, reads at each stage, delete, a read of what is
// gone) to the local server, and checks every answer against the spec.
func TestLocalServerResponsesConform(t *testing.T) {
	e, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	examples := validate.SpecExamples(t)
	valid := map[string]validate.SpecExample{} // operation: its first valid example
	for _, x := range examples {
		if r := x.Validate(e); r.Valid() && r.Operation != nil {
			if _, ok := valid[r.Operation.ID]; !ok {
				valid[r.Operation.ID] = x
			}
		}
	}
	var faults []server.Fault
	var faulted []string
	for _, op := range e.Operations() {
		responses := op.API.Doc.Paths.Find(op.Path).GetOperation(op.Method).Responses
		for _, status := range []int{429, 500, 503} {
			if responses.Status(status) != nil {
				faults = append(faults, server.Fault{Operation: op.ID, Status: status, Times: 1})
				faulted = append(faulted, op.ID)
			}
		}
	}
	clock := server.NewManualClock(time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC))
	srv, err := server.New(server.Config{
		Tokens:    map[string]string{exampleToken: server.DefaultProject},
		Now:       clock.Now,
		Delays:    &server.Delays{},
		Faults:    faults,
		Retention: 24 * time.Hour,
	})
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	statuses := map[int]int{}
	send := func(name, method, target string, header http.Header, body []byte) *httptest.ResponseRecorder {
		t.Helper()
		req := httptest.NewRequest(method, target, bytes.NewReader(body))
		req.Header = header.Clone()
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		op := e.Route(method, target)
		if op == nil {
			return w
		}
		r, err := e.ValidateResponse(op.ID, validate.Response{Status: w.Code, Header: w.Header(), Body: w.Body.Bytes()})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range r.Findings {
			t.Errorf("%s: the local server's %d answer: %s", name, w.Code, f)
		}
		statuses[w.Code]++
		return w
	}
	// Faults first: each applies to the first call of its operation.
	for _, id := range faulted {
		x := valid[id]
		send("fault "+id, x.Method, x.Target, x.Header, x.Body)
	}
	for _, x := range examples {
		send(fmt.Sprintf("%s:%d %s", x.File, x.Line, x.Title), x.Method, x.Target, x.Header, x.Body)
		noAuth := x.Header.Clone()
		noAuth.Del("X-Auth-Token")
		noAuth.Del("Authorization")
		send(fmt.Sprintf("%s:%d without credentials", x.File, x.Line), x.Method, x.Target, noAuth, x.Body)
	}
	token := http.Header{"X-Auth-Token": {exampleToken}}
	for _, lc := range []struct {
		create, idField string
		steps           []string // METHOD path, with {id}; "+" first moves the clock an hour
	}{
		{"CreateDevServer", "id", []string{"GET /v1/{p}/dev-servers/{id}", "GET /v1/{p}/dev-servers", "+GET /v1/{p}/dev-servers/{id}",
			"DELETE /v1/{p}/dev-servers/{id}", "GET /v1/{p}/dev-servers/{id}", "+GET /v1/{p}/dev-servers/{id}", "DELETE /v1/{p}/dev-servers/{id}"}},
		{"CreateInstance", "instance_id", []string{"GET /v1/{p}/instances/{id}/status", "+GET /v1/{p}/instances/{id}/status",
			"DELETE /v1/{p}/instances/{id}", "GET /v1/{p}/instances/{id}/status", "+GET /v1/{p}/instances/{id}/status",
			"GET /v1/{p}/instances/unknown-instance/status"}},
		{"CreateServers", "job_id", []string{"GET /v1/{p}/jobs/{id}", "+GET /v1/{p}/jobs/{id}", "GET /v1/{p}/jobs/unknown-job"}},
	} {
		x := valid[lc.create]
		header := x.Header.Clone()
		header.Del("X-Client-Token")
		w := send(lc.create, x.Method, x.Target, header, x.Body)
		var created map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &created); err != nil || w.Code >= 300 {
			t.Fatalf("%s: %d %s", lc.create, w.Code, w.Body)
		}
		id, _ := created[lc.idField].(string)
		for _, step := range lc.steps {
			if s, ok := strings.CutPrefix(step, "+"); ok {
				clock.Advance(time.Hour)
				step = s
			}
			method, path, _ := strings.Cut(step, " ")
			path = strings.NewReplacer("{p}", server.DefaultProject, "{id}", id).Replace(path)
			send(lc.create+": "+step, method, path, token, nil)
		}
	}
	codes := slices.Sorted(func(yield func(int) bool) {
		for c := range statuses {
			if !yield(c) {
				return
			}
		}
	})
	for _, want := range []int{200, 202, 204, 400, 401, 404, 429, 500} {
		if statuses[want] == 0 {
			t.Errorf("no %d answer was checked (checked: %v)", want, codes)
		}
	}
	t.Logf("answers checked by status: %v", statuses)
}

// TestValidateResponseFindings: each way a response can break its spec is a
// finding with a response.* rule; members the spec does not declare are not.
func TestValidateResponseFindings(t *testing.T) {
	e, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	jsonCT := http.Header{"Content-Type": {"application/json"}}
	const job = `{"job_id":"j-1","status":"SUCCESS","job_type":"createServer","begin_time":"2024-12-19T08:00:00.000+0000","end_time":"2024-12-19T08:01:00.000+0000","entities":{}}`
	for _, c := range []struct {
		name, op string
		status   int
		header   http.Header
		body     string
		want     []string // "rule at" pairs
	}{
		{"the documented example form", "ShowJob", 200, jsonCT, job, nil},
		{"extra members are fine", "ShowJob", 200, jsonCT, strings.Replace(job, `"status"`, `"new_field":{"x":1},"status"`, 1), nil},
		{"wrong type", "ShowJob", 200, jsonCT, strings.Replace(job, `"j-1"`, `17`, 1), []string{"response.schema.type /job_id"}},
		{"not in the enum", "ShowJob", 200, jsonCT, strings.Replace(job, `"SUCCESS"`, `"DONE"`, 1), []string{"response.schema.enum /status"}},
		{"missing required member", "ShowJob", 400, jsonCT, `{}`, []string{"response.schema.required /error"}},
		{"undocumented status", "ShowJob", 418, jsonCT, job, []string{"response.status 418"}},
		{"no body where one is documented", "ShowJob", 200, jsonCT, ``, []string{"response.schema.required "}},
		{"not JSON", "ShowJob", 200, jsonCT, `{"job_id":`, []string{"response.json.syntax /job_id"}},
		{"not sent as JSON", "ShowJob", 200, http.Header{"Content-Type": {"text/plain"}}, job, []string{"response.body.content-type Content-Type"}},
		{"error format", "ShowJob", 404, jsonCT, `{"error":{"code":"Ecs.0114"}}`, []string{"response.schema.required /error/message"}},
		{"undocumented body is not checked", "CreateServers", 202, http.Header{}, `anything`, nil},
		{"repeated header", "CreateDevServer", 200, http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {"a", "b"}}, `{}`, []string{"response.param.repeated X-Request-Id"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := e.ValidateResponse(c.op, validate.Response{Status: c.status, Header: c.header, Body: []byte(c.body)})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range r.Findings {
				got = append(got, f.Rule+" "+f.Where())
				if f.Severity != validate.Error || f.Message == "" {
					t.Errorf("finding %s: severity %v", f, f.Severity)
				}
			}
			if c.name == "repeated header" {
				got = slices.DeleteFunc(got, func(s string) bool { return !strings.Contains(s, "X-Request-Id") })
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("findings %q, want %q", got, c.want)
			}
		})
	}
	if _, err := e.ValidateResponse("NoSuchOperation", validate.Response{Status: 200}); err == nil {
		t.Error("no error for an unknown operation")
	}
}

// TestValidateResponseOpen: a response schema that forbids undeclared
// members (one shared with a request) is checked open, at every depth; the
// documented headers, status ranges and default responses are honoured.
func TestValidateResponseOpen(t *testing.T) {
	e := responseEngine(t)
	ok := http.Header{"Content-Type": {"application/json"}, "X-Rate-Remaining": {"7"}}
	for _, c := range []struct {
		name   string
		status int
		header http.Header
		body   string
		want   []string
	}{
		{"declared members", 200, ok, `{"name":"a","kind":"small","parts":[{"name":"b"}]}`, nil},
		{"undeclared members, nested too", 200, ok, `{"name":"a","color":"red","parts":[{"name":"b","weight":3}]}`, nil},
		{"closed in the request", 0, nil, `{"name":"a","color":"red"}`, []string{"schema.additionalProperties /color"}},
		{"nested type and required", 200, ok, `{"name":"a","parts":[{"kind":"huge"}]}`, []string{"response.schema.required /parts/0/name", "response.schema.enum /parts/0/kind"}},
		{"required header missing", 200, http.Header{"Content-Type": {"application/json"}}, `{"name":"a"}`, []string{"response.schema.required X-Rate-Remaining"}},
		{"header of the wrong type", 200, http.Header{"Content-Type": {"application/json"}, "X-Rate-Remaining": {"many"}}, `{"name":"a"}`, []string{"response.schema.type X-Rate-Remaining"}},
		{"header out of bounds", 200, http.Header{"Content-Type": {"application/json"}, "X-Rate-Remaining": {"-1"}}, `{"name":"a"}`, []string{"response.schema.minimum X-Rate-Remaining"}},
		{"a status of a documented range", 409, ok, `{"code":"Conflict"}`, nil},
		{"the range's schema applies", 409, ok, `{"code":1}`, []string{"response.schema.type /code"}},
		{"the default response takes any other status", 503, http.Header{}, `<html>`, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			var r validate.Result
			var err error
			if c.status == 0 {
				r = e.Validate(validate.Request{Method: "PUT", Target: "/things/1", Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(c.body)})
			} else if r, err = e.ValidateResponse("PutThing", validate.Response{Status: c.status, Header: c.header, Body: []byte(c.body)}); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range r.Findings {
				got = append(got, f.Rule+" "+f.Where())
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("findings %q, want %q", got, c.want)
			}
		})
	}
}

// TestValidateResponseBounded: an answer with many bad members reports the
// first Limits.MaxFindings findings and one that counts the rest, as a
// request does, and says it is a response's.
func TestValidateResponseBounded(t *testing.T) {
	e, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	body := `{"job_id":"x","status":"SUCCESS","entities":{"sub_jobs":[` + strings.Repeat("1,", 10000) + `1]}}`
	r, err := e.ValidateResponse("ShowJob", validate.Response{Status: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(body)})
	if err != nil {
		t.Fatal(err)
	}
	n := validate.DefaultLimits.MaxFindings
	if len(r.Findings) != n+1 {
		t.Fatalf("%d findings, want %d", len(r.Findings), n+1)
	}
	first, last := r.Findings[0], r.Findings[n]
	if first.Rule != "response.schema.type" || first.Pointer != "/entities/sub_jobs/0" {
		t.Errorf("first finding %s", first)
	}
	const summary = "at least 9901 more findings from here on are not reported (a response reports its first 100); correct these and validate again"
	if last.Rule != "response."+validate.TruncatedRule || last.Pointer != fmt.Sprintf("/entities/sub_jobs/%d", n) || last.Message != summary {
		t.Errorf("last finding %s, want the message %q", last, summary)
	}
}

// TestValidateResponseBodyIncomplete: a body that is not all there (a
// recording that omitted or cut it) is not checked, nor its Content-Type;
// the status and headers still are.
func TestValidateResponseBodyIncomplete(t *testing.T) {
	e := responseEngine(t)
	ok := http.Header{"Content-Type": {"application/json"}, "X-Rate-Remaining": {"7"}}
	for _, c := range []struct {
		name       string
		status     int
		header     http.Header
		body       string
		incomplete bool
		want       []string
	}{
		{"cut short: not checked", 200, ok, `{"name":"a","kind":"hu`, true, nil},
		{"cut short, checked as whole", 200, ok, `{"name":"a","kind":"hu`, false, []string{"response.json.syntax"}},
		{"omitted: not checked", 200, ok, ``, true, nil},
		{"omitted, checked as whole", 200, ok, ``, false, []string{"response.schema.required"}},
		{"Content-Type not checked with the body", 200, http.Header{"X-Rate-Remaining": {"7"}}, ``, true, nil},
		{"the headers still are", 200, http.Header{"Content-Type": {"application/json"}}, ``, true, []string{"response.schema.required"}},
		{"a whole body is", 200, ok, `{"name":1}`, false, []string{"response.schema.type"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := e.ValidateResponse("PutThing", validate.Response{Status: c.status, Header: c.header, Body: []byte(c.body), BodyIncomplete: c.incomplete})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range r.Findings {
				got = append(got, f.Rule)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("findings %q, want %q", got, c.want)
			}
		})
	}
	e, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.ValidateResponse("ShowJob", validate.Response{Status: 418, BodyIncomplete: true})
	if err != nil || len(r.Findings) != 1 || r.Findings[0].Rule != validate.ResponseStatusRule {
		t.Errorf("an undocumented status with an incomplete body: %v, %v; want %s", r.Findings, err, validate.ResponseStatusRule)
	}
}

// TestResponseBodySize: a response body over the limit is one
// response.body.size finding with the message a request's would have,
// from the body given whole or from its first bytes and Response.BodySize
// (what a HAR reader that kept only the first bytes knows); it is not
// decoded.
func TestResponseBodySize(t *testing.T) {
	const limit = 256
	e, err := validate.New(validate.WithLimits(validate.Limits{MaxBodyBytes: limit}))
	if err != nil {
		t.Fatal(err)
	}
	body := `{"error":{"code":"Ecs.0114","message":"` + strings.Repeat("x", 300) + `"}}`
	header := http.Header{"Content-Type": {"application/json"}}
	for _, c := range []struct {
		name string
		body string
		size int64
		want string
	}{
		{"whole body over the limit", body, 0, fmt.Sprintf("the body has %d bytes, more than the limit of 256", len(body))},
		{"first bytes and the size", body[:limit+1], int64(len(body)), fmt.Sprintf("the body has %d bytes, more than the limit of 256", len(body))},
		{"first bytes, size unknown", body[:limit+1], validate.BodySizeUnknown, "the body has more than 256 bytes, the limit"},
		// A front-end that kept none of the body but knows its size: the
		// body is too large, not missing.
		{"no bytes and the size", "", 5_000_000, "the body has 5000000 bytes, more than the limit of 256"},
		{"no bytes, size unknown", "", validate.BodySizeUnknown, "the body has more than 256 bytes, the limit"},
		{"within the limit", `{"error":{"code":"Ecs.0114","message":"no"}}`, 0, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := e.ValidateResponse("ShowJob", validate.Response{Status: 404, Header: header, Body: []byte(c.body), BodySize: c.size})
			if err != nil {
				t.Fatal(err)
			}
			req := e.Validate(validate.Request{Method: "POST", Target: "/v1.1/0123456789abcdef0123456789abcdef/cloudservers", Header: http.Header{"X-Auth-Token": {"t"}, "Content-Type": {"application/json"}}, Body: []byte(c.body), BodySize: c.size})
			var got, reqMsg string
			for _, f := range r.Findings {
				if f.Rule != "response."+validate.BodySizeRule {
					t.Errorf("finding %s besides response.body.size", f)
				}
				got = f.Message
			}
			for _, f := range req.Findings {
				if f.Rule == validate.BodySizeRule {
					reqMsg = f.Message
				}
			}
			if got != c.want || c.want != "" && reqMsg != c.want {
				t.Errorf("response: %q, request: %q; want %q for both", got, reqMsg, c.want)
			}
		})
	}
}

// responseEngine builds an engine from testdata/response/openapi.yaml, a
// document made to exercise response checks.
func responseEngine(t *testing.T) *validate.Engine {
	t.Helper()
	data, err := os.ReadFile("testdata/response/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e, err := validate.FromSources([]validate.Source{{Name: "response", Data: data}})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestValidateResponseRedirect: an undocumented 3xx (a redirect, a 304) is
// the response.redirect warning, never drift; other undocumented statuses
// are the response.status error.
func TestValidateResponseRedirect(t *testing.T) {
	e, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		status   int
		rule     string
		severity validate.Severity
	}{
		{http.StatusMovedPermanently, validate.ResponseRedirectRule, validate.Warning},
		{http.StatusFound, validate.ResponseRedirectRule, validate.Warning},
		{http.StatusNotModified, validate.ResponseRedirectRule, validate.Warning},
		{http.StatusPermanentRedirect, validate.ResponseRedirectRule, validate.Warning},
		{http.StatusTeapot, validate.ResponseStatusRule, validate.Error},
		{http.StatusOK + 99, validate.ResponseStatusRule, validate.Error},
	} {
		r, err := e.ValidateResponse("ShowJob", validate.Response{Status: tc.status, Header: http.Header{"Location": {"https://example.com/"}}})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Findings) != 1 || r.Findings[0].Rule != tc.rule || r.Findings[0].Severity != tc.severity || r.Valid() != (tc.severity == validate.Warning) {
			t.Errorf("status %d: findings %v, valid %v; want one %s %s", tc.status, r.Findings, r.Valid(), tc.severity, tc.rule)
		}
	}
}
