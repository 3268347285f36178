package client_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hwspec/compute/client"
	"github.com/hwspec/compute/gen/clouddc"
	"github.com/hwspec/compute/gen/devserver"
	"github.com/hwspec/compute/internal/fixture"
	"github.com/hwspec/compute/server"
	"github.com/hwspec/compute/validate"
)

// sharedEngine is built once for the tests of this file: building one
// compiles every spec.
var sharedEngine = sync.OnceValues(func() (*validate.Engine, error) { return validate.New() })

func engine(t testing.TB) *validate.Engine {
	t.Helper()
	e, err := sharedEngine()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// checks records what WithResponseCheck reports; it is safe for concurrent
// use, as a report function must be.
type checks struct {
	mu  sync.Mutex
	all []client.ResponseCheck
}

func (c *checks) report(r client.ResponseCheck) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.all = append(c.all, r)
}

func (c *checks) list() []client.ResponseCheck {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.all)
}

// calls makes one call of each operation the client calls, with arguments
// the local server accepts (IDs of nothing: a fault answers first, or the
// answer is a 404).
var calls = map[string]func(context.Context, *client.Client) error{
	"CreateServers": func(ctx context.Context, c *client.Client) error {
		_, err := c.ECS().CreateServers(ctx, fixture.ECSCreate(1))
		return err
	},
	"ShowJob": func(ctx context.Context, c *client.Client) error {
		_, err := c.ECS().ShowJob(ctx, "ff808082739334d80173943ec9b42130")
		return err
	},
	"CreateDevServer": func(ctx context.Context, c *client.Client) error {
		_, err := c.DevServer().CreateDevServer(ctx, fixture.DevServerCreate("dev-1"))
		return err
	},
	"ShowDevServer": func(ctx context.Context, c *client.Client) error {
		_, err := c.DevServer().ShowDevServer(ctx, "0b2b7b1e-5a37-4d53-8b7c-9a4a1c3b5e61")
		return err
	},
	"ListDevServers": func(ctx context.Context, c *client.Client) error {
		_, err := c.DevServer().ListDevServers(ctx, nil)
		return err
	},
	"DeleteDevServer": func(ctx context.Context, c *client.Client) error {
		_, err := c.DevServer().DeleteDevServer(ctx, "0b2b7b1e-5a37-4d53-8b7c-9a4a1c3b5e61")
		return err
	},
	"CreateInstance": func(ctx context.Context, c *client.Client) error {
		_, err := c.CloudDC().CreateInstance(ctx, fixture.CloudDCCreate("node-1"))
		return err
	},
	"ShowInstanceStatus": func(ctx context.Context, c *client.Client) error {
		_, err := c.CloudDC().ShowInstanceStatus(ctx, "unknown-instance")
		return err
	},
	"DeleteInstance": func(ctx context.Context, c *client.Client) error {
		return c.CloudDC().DeleteInstance(ctx, "unknown-instance")
	},
}

// TestLocalServerPassesStrict runs every call of the client, through
// successes, waits, error answers (400, 401, 404) and injected faults (every
// 429, 500 and 503 an operation documents), against the local server in
// strict mode: no answer drifts, so the local server and the spec agree
// wherever the client can reach them. Every answer is reported, and every
// operation and status is seen.
func TestLocalServerPassesStrict(t *testing.T) {
	e := engine(t)
	ctx := context.Background()
	type row struct {
		name      string
		faults    []server.Fault
		opts      []client.Option
		run       func(context.Context, *client.Client) error
		apiStatus int      // the status of the *APIError the run ends with; 0: none
		want      []string // every distinct "Operation status" checked, sorted
	}
	rows := []row{
		{name: "ECS create, wait, show", run: func(ctx context.Context, c *client.Client) error {
			job, err := c.ECS().CreateServers(ctx, fixture.ECSCreate(2))
			if err != nil {
				return err
			}
			if _, err := c.ECS().WaitJob(ctx, *job.JobID, fastPolls); err != nil {
				return err
			}
			_, err = c.ECS().ShowJob(ctx, *job.JobID)
			return err
		}, want: []string{"CreateServers 200", "ShowJob 200"}},
		{name: "ECS create signed with AK/SK", opts: []client.Option{client.WithAccessKey("AKTEST", "SKTEST")},
			run: calls["CreateServers"], want: []string{"CreateServers 200"}},
		{name: "ECS dry run", run: func(ctx context.Context, c *client.Client) error {
			body, yes := fixture.ECSCreate(1), true
			body.DryRun = &yes
			_, err := c.ECS().CreateServers(ctx, body)
			return err
		}, want: []string{"CreateServers 202"}},
		{name: "DevServer lifecycle", run: func(ctx context.Context, c *client.Client) error {
			s, err := c.DevServer().CreateDevServer(ctx, fixture.DevServerCreate("dev-1"))
			if err != nil {
				return err
			}
			if _, err := c.DevServer().WaitDevServer(ctx, *s.ID, devserver.ServerResponseStatusRUNNING, fastPolls); err != nil {
				return err
			}
			if _, err := c.DevServer().ListDevServers(ctx, nil); err != nil {
				return err
			}
			if _, err := c.DevServer().DeleteDevServer(ctx, *s.ID); err != nil {
				return err
			}
			_, err = c.DevServer().WaitDevServer(ctx, *s.ID, devserver.ServerResponseStatusDELETED, fastPolls)
			return err
		}, want: []string{"CreateDevServer 200", "DeleteDevServer 200", "ListDevServers 200", "ShowDevServer 200", "ShowDevServer 404"}},
		{name: "CloudDC lifecycle", opts: []client.Option{client.WithAccessKey("AKTEST", "SKTEST")}, run: func(ctx context.Context, c *client.Client) error {
			id, err := c.CloudDC().CreateInstance(ctx, fixture.CloudDCCreate("node-1"))
			if err != nil {
				return err
			}
			if err := c.CloudDC().WaitInstance(ctx, id, clouddc.InstanceStateRunning, fastPolls); err != nil {
				return err
			}
			if err := c.CloudDC().DeleteInstance(ctx, id); err != nil {
				return err
			}
			return c.CloudDC().WaitInstance(ctx, id, clouddc.InstanceStateTerminated, fastPolls)
		}, want: []string{"CreateInstance 202", "DeleteInstance 204", "ShowInstanceStatus 200"}},
		{name: "ShowJob of no job", run: calls["ShowJob"], apiStatus: 404, want: []string{"ShowJob 404"}},
		{name: "ShowDevServer of no server", run: calls["ShowDevServer"], apiStatus: 404, want: []string{"ShowDevServer 404"}},
		{name: "DeleteDevServer of no server", run: calls["DeleteDevServer"], apiStatus: 404, want: []string{"DeleteDevServer 404"}},
		{name: "ShowInstanceStatus of no instance", run: calls["ShowInstanceStatus"], apiStatus: 404, want: []string{"ShowInstanceStatus 404"}},
		{name: "DeleteInstance of no instance", run: calls["DeleteInstance"], apiStatus: 404, want: []string{"DeleteInstance 404"}},
		{name: "a wrong token", opts: []client.Option{client.WithToken("not-a-token")}, run: calls["ListDevServers"],
			apiStatus: 401, want: []string{"ListDevServers 401"}},
		{name: "a wrong secret key", opts: []client.Option{client.WithAccessKey("AKTEST", "not-the-secret")}, run: calls["CreateServers"],
			apiStatus: 401, want: []string{"CreateServers 401"}},
	}
	// The server's own 400s: requests the client would refuse, sent
	// WithoutValidation.
	for _, bad := range []struct {
		op  string
		run func(context.Context, *client.Client) error
	}{
		{"CreateServers", func(ctx context.Context, c *client.Client) error {
			body := fixture.ECSCreate(2)
			body.Server.Name = strings.Repeat("n", 60)
			_, err := c.ECS().CreateServers(ctx, body)
			return err
		}},
		{"CreateDevServer", func(ctx context.Context, c *client.Client) error {
			_, err := c.DevServer().CreateDevServer(ctx, fixture.DevServerCreate(""))
			return err
		}},
		{"CreateInstance", func(ctx context.Context, c *client.Client) error {
			_, err := c.CloudDC().CreateInstance(ctx, fixture.CloudDCCreate(""))
			return err
		}},
	} {
		rows = append(rows, row{name: bad.op + " refused by the server", opts: []client.Option{client.WithoutValidation()},
			run: bad.run, apiStatus: 400, want: []string{bad.op + " 400"}})
	}
	// Every fault status each operation documents, on every attempt.
	for _, op := range slices.Sorted(mapKeys(calls)) {
		responses := e.Operation(op).API.Doc.Paths.Find(e.Operation(op).Path).GetOperation(e.Operation(op).Method).Responses
		for _, status := range []int{429, 500, 503} {
			if responses.Status(status) == nil {
				continue
			}
			rows = append(rows, row{name: fmt.Sprintf("%s %d", op, status), faults: []server.Fault{{Operation: op, Status: status}},
				opts: []client.Option{client.WithRetry(client.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond})},
				run:  calls[op], apiStatus: status, want: []string{fmt.Sprintf("%s %d", op, status)}})
		}
	}

	ops, statuses := map[string]bool{}, map[int]bool{}
	for _, tc := range rows {
		t.Run(tc.name, func(t *testing.T) {
			srv, err := server.New(server.Config{
				Engine: e,
				Delays: &server.Delays{Create: 10 * time.Millisecond, Delete: 10 * time.Millisecond, JobStep: 10 * time.Millisecond},
				Tokens: map[string]string{server.DefaultToken: project},
				Keys:   map[string]server.Key{"AKTEST": {Secret: "SKTEST", Project: project}},
				Faults: tc.faults,
			})
			if err != nil {
				t.Fatal(err)
			}
			hs := httptest.NewServer(srv.Handler())
			defer hs.Close()
			var got checks
			opts := append([]client.Option{client.WithEngine(e), client.WithStrictResponses(), client.WithResponseCheck(got.report)}, tc.opts...)
			err = tc.run(ctx, newClient(t, hs.URL, opts...))
			var drift *client.ResponseError
			if errors.As(err, &drift) {
				t.Fatalf("the local server's answer drifts from the spec: %v", drift)
			}
			var apiErr *client.APIError
			switch {
			case tc.apiStatus == 0 && err != nil:
				t.Fatal(err)
			case tc.apiStatus != 0 && (!errors.As(err, &apiErr) || apiErr.StatusCode != tc.apiStatus):
				t.Fatalf("err = %v, want a %d *APIError", err, tc.apiStatus)
			}
			var seen []string
			for _, c := range got.list() {
				if !c.Result.Valid() || len(c.Result.Findings) > 0 {
					t.Errorf("%s %d reported with findings %v", c.Operation, c.StatusCode, c.Result.Findings)
				}
				if c.Result.Operation == nil || c.Result.Operation.ID != c.Operation {
					t.Errorf("%s checked as %v", c.Operation, c.Result.Operation)
				}
				if c.RequestID == "" {
					t.Errorf("%s %d reported without the X-Request-Id", c.Operation, c.StatusCode)
				}
				seen = append(seen, fmt.Sprintf("%s %d", c.Operation, c.StatusCode))
				ops[c.Operation], statuses[c.StatusCode] = true, true
			}
			slices.Sort(seen)
			if seen = slices.Compact(seen); !slices.Equal(seen, tc.want) {
				t.Fatalf("answers checked %q, want %q", seen, tc.want)
			}
		})
	}
	for op := range calls {
		if !ops[op] {
			t.Errorf("no answer to %s was checked", op)
		}
	}
	for _, s := range []int{200, 202, 204, 400, 401, 404, 429, 500} {
		if !statuses[s] {
			t.Errorf("no %d answer was checked", s)
		}
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// upstream is a fake service answering every request with one answer, and
// counting the requests.
type upstream struct {
	*httptest.Server
	hits atomic.Int32
}

func newUpstream(t *testing.T, status int, header http.Header, body string) *upstream {
	u := &upstream{}
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.hits.Add(1)
		for k, vs := range header {
			w.Header()[k] = vs
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(u.Close)
	return u
}

var jsonType = http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {"req-1"}}

// TestDrift: an answer that breaks its operation's documented response is
// reported with the engine's rule ids and pointers; in strict mode the call
// fails with a *ResponseError carrying the same check and wrapping the
// error the call returns without strict mode, and a drifting answer is not
// retried. Without either option nothing is checked.
func TestDrift(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		status int
		header http.Header
		body   string
		op     string
		want   []string // "rule where" of every finding
		// decoded: the method still returns the decoded answer. apiErr:
		// errors.As finds the call's *APIError (with apiCode) under the
		// drift. decodeErr: the call's own error is the generated client's
		// failure to decode the body. Neither: the call's own error is nil.
		decoded   bool
		apiErr    bool
		apiCode   string
		decodeErr bool
	}{
		{name: "wrong type", status: 200, header: jsonType, body: `{"job_id":17,"status":"SUCCESS"}`, op: "ShowJob",
			want: []string{"response.schema.type /job_id"}, decodeErr: true},
		{name: "not in the enum: the decoded answer is still returned", status: 200, header: jsonType, body: `{"job_id":"j","status":"DONE"}`, op: "ShowJob",
			want: []string{"response.schema.enum /status"}, decoded: true},
		{name: "nested wrong type", status: 200, header: jsonType, body: `{"job_id":"j","status":"SUCCESS","entities":{"sub_jobs":[{"status":"SUCCESS","entities":{"server_id":5}}]}}`, op: "ShowJob",
			want: []string{"response.schema.type /entities/sub_jobs/0/entities/server_id"}, decodeErr: true},
		{name: "missing required member of an error body", status: 400, header: jsonType, body: `{"error":{"code":"Ecs.0005"}}`, op: "ShowJob",
			want: []string{"response.schema.required /error/message"}, apiErr: true, apiCode: "Ecs.0005"},
		{name: "ModelArts 404 without error_msg", status: 404, header: jsonType, body: `{"error_code":"ModelArts.6309"}`, op: "ShowDevServer",
			want: []string{"response.schema.required /error_msg"}, apiErr: true, apiCode: "ModelArts.6309"},
		{name: "undocumented status", status: 418, header: jsonType, body: `{"error_code":"iMetal.0001","error_msg":"teapot"}`, op: "DeleteInstance",
			want: []string{"response.status 418"}, apiErr: true, apiCode: "iMetal.0001"},
		{name: "undocumented 5xx", status: 503, header: http.Header{"Content-Type": {"text/html"}}, body: `<html>busy</html>`, op: "ShowJob",
			want: []string{"response.status 503"}, apiErr: true},
		{name: "JSON body not sent as JSON", status: 200, header: http.Header{"Content-Type": {"text/plain"}}, body: `{"id":"d"}`, op: "ShowDevServer",
			want: []string{"response.body.content-type Content-Type"}, apiErr: true},
		{name: "documented body missing", status: 202, header: jsonType, body: ``, op: "CreateInstance",
			want: []string{"response.schema.required "}, decodeErr: true},
		{name: "repeated header", status: 200, header: http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {"a", "b"}}, body: `{"id":"d"}`, op: "ShowDevServer",
			want: []string{"response.param.repeated X-Request-Id"}, decoded: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			retries := client.WithRetry(client.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond})
			call := driftCalls[tc.op]

			// Off by default: the same answer, no check.
			off := newUpstream(t, tc.status, tc.header, tc.body)
			_, offErr := call(ctx, newClient(t, off.URL, client.WithEngine(engine(t)), retries))
			var drift *client.ResponseError
			if errors.As(offErr, &drift) {
				t.Fatalf("a client without the options failed on drift: %v", offErr)
			}

			// Report only: the call's results do not change; every
			// attempt's answer is reported.
			var reported checks
			ro := newUpstream(t, tc.status, tc.header, tc.body)
			_, roErr := call(ctx, newClient(t, ro.URL, client.WithEngine(engine(t)), retries, client.WithResponseCheck(reported.report)))
			if fmt.Sprint(roErr) != fmt.Sprint(offErr) {
				t.Errorf("report only changed the error: %v, want %v", roErr, offErr)
			}
			if n := len(reported.list()); n != int(ro.hits.Load()) || n == 0 {
				t.Errorf("%d answers reported, %d received", n, ro.hits.Load())
			}
			for _, c := range reported.list() {
				checkFindings(t, "reported", c, tc.op, tc.status, tc.want)
			}

			// Strict: the first drifting answer ends the call.
			var both checks
			st := newUpstream(t, tc.status, tc.header, tc.body)
			v, err := call(ctx, newClient(t, st.URL, client.WithEngine(engine(t)), retries, client.WithStrictResponses(), client.WithResponseCheck(both.report)))
			if !errors.As(err, &drift) {
				t.Fatalf("strict: err = %v, want a *ResponseError", err)
			}
			checkFindings(t, "strict", drift.ResponseCheck, tc.op, tc.status, tc.want)
			if st.hits.Load() != 1 || len(both.list()) != 1 {
				t.Errorf("strict: %d requests, %d reports; want 1 and 1 (a drifting answer is not retried)", st.hits.Load(), len(both.list()))
			}
			if tc.decoded != (v != nil) {
				t.Errorf("strict: the method returned %v; decoded answer wanted: %v", v, tc.decoded)
			}
			var apiErr *client.APIError
			gotAPI := errors.As(err, &apiErr)
			if gotAPI != tc.apiErr || gotAPI && apiErr.Code != tc.apiCode {
				t.Errorf("strict: the *APIError under the drift: %v, want one: %v, code %q", apiErr, tc.apiErr, tc.apiCode)
			}
			if tc.decodeErr != (drift.Err != nil && !gotAPI) {
				t.Errorf("strict: Err = %v", drift.Err)
			}
			if msg := err.Error(); !strings.Contains(msg, tc.op+": the answer (HTTP ") || !strings.Contains(msg, tc.want[0][:strings.IndexByte(tc.want[0], ' ')]) ||
				strings.Contains(msg, server.DefaultToken) {
				t.Errorf("strict: message %q", msg)
			}
		})
	}
}

// driftCalls call each operation the drift cases use, returning the
// method's value (nil for none).
var driftCalls = map[string]func(context.Context, *client.Client) (any, error){
	"ShowJob": func(ctx context.Context, c *client.Client) (any, error) {
		return nilIfZero(c.ECS().ShowJob(ctx, "j"))
	},
	"ShowDevServer": func(ctx context.Context, c *client.Client) (any, error) {
		return nilIfZero(c.DevServer().ShowDevServer(ctx, "d"))
	},
	"CreateInstance": func(ctx context.Context, c *client.Client) (any, error) {
		id, err := c.CloudDC().CreateInstance(ctx, fixture.CloudDCCreate("node-1"))
		if id == "" {
			return nil, err
		}
		return id, err
	},
	"DeleteInstance": func(ctx context.Context, c *client.Client) (any, error) {
		return nil, c.CloudDC().DeleteInstance(ctx, "i")
	},
}

func nilIfZero[T any](v *T, err error) (any, error) {
	if v == nil {
		return nil, err
	}
	return v, err
}

func checkFindings(t *testing.T, mode string, c client.ResponseCheck, op string, status int, want []string) {
	t.Helper()
	var got []string
	for _, f := range c.Result.Findings {
		got = append(got, f.Rule+" "+f.Where())
	}
	if c.Operation != op || c.StatusCode != status || c.Result.Valid() || !slices.Equal(got, want) {
		t.Errorf("%s: %s %d findings %q, want %s %d %q", mode, c.Operation, c.StatusCode, got, op, status, want)
	}
}

// TestNotChecked: an answer larger than the engine's body limit, or whose
// body fails to read, is neither reported nor an error in strict mode, and
// reaches the decoding byte for byte (a member after the limit is decoded;
// the read error is the call's).
func TestNotChecked(t *testing.T) {
	ctx := context.Background()
	small, err := validate.New(validate.WithLimits(validate.Limits{MaxBodyBytes: 64}))
	if err != nil {
		t.Fatal(err)
	}
	long := `{"job_id":"j","status":"SUCCESS","job_type":"` + strings.Repeat("x", 100) + `","error_code":"Ecs.0000"}`
	var got checks
	c := newClient(t, newUpstream(t, 200, jsonType, long).URL, client.WithEngine(small), client.WithStrictResponses(), client.WithResponseCheck(got.report))
	job, err := c.ECS().ShowJob(ctx, "j")
	if err != nil || job.ErrorCode == nil || *job.ErrorCode != "Ecs.0000" || len(*job.JobType) != 100 {
		t.Fatalf("a long answer: %v, %v", job, err)
	}
	if len(got.list()) != 0 {
		t.Fatalf("an answer over the limit was reported: %v", got.list())
	}

	boom := errors.New("connection reset mid-body")
	broken := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: jsonType.Clone(), Request: r,
			Body: io.NopCloser(io.MultiReader(strings.NewReader(`{"job_id":`), &errOnce{err: boom}))}, nil
	})
	c = newClient(t, "http://upstream.invalid", client.WithHTTPClient(&http.Client{Transport: broken}), client.WithRetry(client.RetryPolicy{MaxAttempts: 1}),
		client.WithEngine(engine(t)), client.WithStrictResponses(), client.WithResponseCheck(got.report))
	if _, err := c.ECS().ShowJob(ctx, "j"); !errors.Is(err, boom) {
		t.Fatalf("a body that fails to read: err = %v, want the read error", err)
	}
	if len(got.list()) != 0 {
		t.Fatalf("an answer that failed to read was reported: %v", got.list())
	}
}

// errOnce fails the first read with err, then reads as empty: an error a
// second read would not repeat, so the check must hand on the one it met.
type errOnce struct {
	err  error
	done bool
}

func (e *errOnce) Read([]byte) (int, error) {
	if e.done {
		return 0, io.EOF
	}
	e.done = true
	return 0, e.err
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestStrictConcurrent: concurrent calls on one strict client each get the
// verdict on their own answer, never another call's, and the report
// function sees every answer once (run with -race).
func TestStrictConcurrent(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		id := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
		status := `"RUNNING"`
		if strings.HasPrefix(id, "bad") {
			status = `"LOST"`
		}
		fmt.Fprintf(w, `{"job_id":%q,"status":%s}`, id, status)
	}))
	defer hs.Close()
	var got checks
	c := newClient(t, hs.URL, client.WithEngine(engine(t)), client.WithStrictResponses(), client.WithResponseCheck(got.report))
	const n = 64
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("ok-%d", i)
			if i%2 == 1 {
				id = fmt.Sprintf("bad-%d", i)
			}
			job, err := c.ECS().ShowJob(context.Background(), id)
			if job == nil || *job.JobID != id {
				err = fmt.Errorf("call %s got job %v (%w)", id, job, err)
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		var drift *client.ResponseError
		switch isDrift := errors.As(err, &drift); {
		case i%2 == 0 && err != nil:
			t.Errorf("call %d: %v", i, err)
		case i%2 == 1 && (!isDrift || drift.Result.Findings[0].Rule != "response.schema.enum"):
			t.Errorf("call %d: %v, want its own drift", i, err)
		}
	}
	if len(got.list()) != n {
		t.Fatalf("%d answers reported, want %d", len(got.list()), n)
	}
}

// TestNewChecksTheEngine: with answers checked, New refuses an engine that
// does not describe the client's operations, instead of letting their
// answers pass unchecked.
func TestNewChecksTheEngine(t *testing.T) {
	data, err := os.ReadFile("testdata/other-api.yaml")
	if err != nil {
		t.Fatal(err)
	}
	other, err := validate.FromSources([]validate.Source{{Name: "other", Data: data}})
	if err != nil {
		t.Fatal(err)
	}
	for _, opt := range []client.Option{client.WithStrictResponses(), client.WithResponseCheck(func(client.ResponseCheck) {})} {
		_, err := client.New(project, client.WithRegion("cn-north-4"), client.WithToken("t"), client.WithEngine(other), opt)
		if err == nil || !strings.Contains(err.Error(), "does not describe operation CreateServers") {
			t.Errorf("New: %v", err)
		}
	}
	if _, err := client.New(project, client.WithRegion("cn-north-4"), client.WithToken("t"), client.WithEngine(other)); err != nil {
		t.Errorf("New without response checks: %v", err)
	}
}

// TestStrictWaiters: in strict mode a waiter ends on the first drifting
// answer with the *ResponseError, even where the same answer without drift
// would end the wait well (a 404 while waiting for DELETED).
func TestStrictWaiters(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		status int
		body   string
		wait   func(context.Context, *client.Client) error
	}{
		{"WaitDevServer DELETED, a drifting 404", 404, `{"error_code":"ModelArts.6309"}`, func(ctx context.Context, c *client.Client) error {
			_, err := c.DevServer().WaitDevServer(ctx, "d", devserver.ServerResponseStatusDELETED, fastPolls)
			return err
		}},
		{"WaitJob, a drifting job", 200, `{"job_id":"j","status":"LOST"}`, func(ctx context.Context, c *client.Client) error {
			_, err := c.ECS().WaitJob(ctx, "j", fastPolls)
			return err
		}},
		{"WaitInstance, a drifting state", 200, `{"state":"vanished"}`, func(ctx context.Context, c *client.Client) error {
			return c.CloudDC().WaitInstance(ctx, "i", clouddc.InstanceStateRunning, fastPolls)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := newUpstream(t, tc.status, jsonType, tc.body)
			short, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			err := tc.wait(short, newClient(t, u.URL, client.WithEngine(engine(t)), client.WithStrictResponses()))
			var drift *client.ResponseError
			if !errors.As(err, &drift) || u.hits.Load() != 1 {
				t.Fatalf("err = %v after %d polls, want a *ResponseError after 1", err, u.hits.Load())
			}
		})
	}
}

// TestResponseErrorMessage: the message names the operation, status,
// request ID and every finding, then the call's own error; a request ID
// from the service is escaped and cut, so that it can neither reorder a
// terminal line nor grow the message without bound.
func TestResponseErrorMessage(t *testing.T) {
	enum := validate.Finding{In: validate.InBody, Pointer: "/status", Rule: "response.schema.enum", Message: "must be one of INIT, RUNNING, SUCCESS, FAIL", Severity: validate.Error}
	status := validate.Finding{In: validate.InStatus, Name: "418", Rule: "response.status", Message: "status 418 is not documented", Severity: validate.Error}
	for _, tc := range []struct {
		name string
		err  client.ResponseError
		want string
	}{
		{"one finding", client.ResponseError{ResponseCheck: client.ResponseCheck{Operation: "ShowJob", StatusCode: 200, RequestID: "req-1",
			Result: validate.Result{Findings: []validate.Finding{enum}}}},
			"ShowJob: the answer (HTTP 200, request req-1) breaks the spec: 1 finding; body /status: must be one of INIT, RUNNING, SUCCESS, FAIL [response.schema.enum]"},
		{"the call's error after the findings", client.ResponseError{ResponseCheck: client.ResponseCheck{Operation: "DeleteInstance", StatusCode: 418,
			Result: validate.Result{Findings: []validate.Finding{status, enum}}}, Err: &client.APIError{Service: client.ServiceCloudDC, StatusCode: 418, Code: "iMetal.0001"}},
			"DeleteInstance: the answer (HTTP 418) breaks the spec: 2 findings; status 418: status 418 is not documented [response.status]; body /status: must be one of INIT, RUNNING, SUCCESS, FAIL [response.schema.enum]; the call's error: clouddc: HTTP 418 iMetal.0001"},
		{"a request ID with a bidi override", client.ResponseError{ResponseCheck: client.ResponseCheck{Operation: "ShowJob", StatusCode: 200, RequestID: "req-\u202e1-qer",
			Result: validate.Result{Findings: []validate.Finding{enum}}}},
			`ShowJob: the answer (HTTP 200, request req-\u202e1-qer) breaks the spec: 1 finding; body /status: must be one of INIT, RUNNING, SUCCESS, FAIL [response.schema.enum]`},
		{"a long request ID", client.ResponseError{ResponseCheck: client.ResponseCheck{Operation: "ShowJob", StatusCode: 200, RequestID: strings.Repeat("r", 1000),
			Result: validate.Result{Findings: []validate.Finding{enum}}}},
			"ShowJob: the answer (HTTP 200, request " + strings.Repeat("r", validate.MaxQuotedRunes) + "…) breaks the spec: 1 finding; body /status: must be one of INIT, RUNNING, SUCCESS, FAIL [response.schema.enum]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("Error() =\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}
