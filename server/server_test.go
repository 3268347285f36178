package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hwspec/compute/gen/clouddc"
	"github.com/hwspec/compute/gen/devserver"
	"github.com/hwspec/compute/gen/ecs"
	"github.com/hwspec/compute/internal/fixture"
	"github.com/hwspec/compute/validate"
)

const (
	projectA = "0123456789abcdef0123456789abcdef"
	projectB = "fedcba9876543210fedcba9876543210"
	tokenA   = "token-a"
	tokenB   = "token-b"
)

func testServer(t testing.TB, delays Delays, faults ...Fault) (*httptest.Server, *ManualClock, *Server) {
	t.Helper()
	clock := NewManualClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	srv, err := New(Config{
		Delays: &delays,
		Tokens: map[string]string{tokenA: projectA, tokenB: projectB},
		Keys:   map[string]Key{"AKEXAMPLE": {Secret: "SKEXAMPLE", Project: projectA}},
		Faults: faults,
		Now:    clock.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return hs, clock, srv
}

func withToken(token string) func(context.Context, *http.Request) error {
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("X-Auth-Token", token)
		return nil
	}
}

func ecsClient(t testing.TB, url, token string) *ecs.ClientWithResponses {
	t.Helper()
	c, err := ecs.NewClientWithResponses(url, ecs.WithRequestEditorFn(withToken(token)))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ecsBody(count int32, prePaid bool) ecs.CreateServersRequestBody {
	b := fixture.ECSCreate(count)
	if prePaid {
		mode, period, num := ecs.PrePaidServerExtendParamChargingModePrePaid, ecs.PrePaidServerExtendParamPeriodTypeMonth, int32(1)
		b.Server.ExtendParam = &ecs.PrePaidServerExtendParam{ChargingMode: &mode, PeriodType: &period, PeriodNum: &num}
	}
	return b
}

func TestDevServerLifecycle(t *testing.T) {
	hs, clock, _ := testServer(t, Delays{Create: 10 * time.Second, Delete: 5 * time.Second})
	c, err := devserver.NewClientWithResponses(hs.URL, devserver.WithRequestEditorFn(withToken(tokenA)))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	created, err := c.CreateDevServerWithResponse(ctx, projectA, fixture.DevServerCreate("dev-1"))
	if err != nil || created.JSON200 == nil || *created.JSON200.Status != devserver.ServerResponseStatusCREATING {
		t.Fatalf("create: %v %d %s", err, created.StatusCode(), created.Body)
	}
	id := *created.JSON200.ID
	status := func() devserver.ServerResponseStatus {
		t.Helper()
		r, err := c.ShowDevServerWithResponse(ctx, projectA, id)
		if err != nil || r.JSON200 == nil {
			t.Fatalf("show: %v %d %s", err, r.StatusCode(), r.Body)
		}
		return *r.JSON200.Status
	}
	if s := status(); s != devserver.ServerResponseStatusCREATING {
		t.Fatalf("status %s before the create delay", s)
	}
	clock.Advance(10 * time.Second)
	if s := status(); s != devserver.ServerResponseStatusRUNNING {
		t.Fatalf("status %s after the create delay", s)
	}
	deleted, err := c.DeleteDevServerWithResponse(ctx, projectA, id)
	if err != nil || deleted.JSON200 == nil || *deleted.JSON200.Status != devserver.ServerResponseStatusDELETING {
		t.Fatalf("delete: %v %s", err, deleted.Body)
	}
	clock.Advance(5 * time.Second)
	gone, err := c.ShowDevServerWithResponse(ctx, projectA, id)
	if err != nil || gone.JSON404 == nil || gone.JSON404.ErrorCode != "ModelArts.6309" {
		t.Fatalf("show after delete: %v %d %s", err, gone.StatusCode(), gone.Body)
	}
}

func TestListDevServersPaging(t *testing.T) {
	hs, clock, _ := testServer(t, Delays{})
	c, _ := devserver.NewClientWithResponses(hs.URL, devserver.WithRequestEditorFn(withToken(tokenA)))
	ctx := context.Background()
	var names []string
	for i := range 5 {
		name := "dev-" + string(rune('a'+i))
		names = append(names, name)
		if r, err := c.CreateDevServerWithResponse(ctx, projectA, fixture.DevServerCreate(name)); err != nil || r.JSON200 == nil {
			t.Fatalf("create %s: %v", name, err)
		}
		clock.Advance(time.Second)
	}
	limit, offset := int32(2), int32(2)
	desc := devserver.ListDevServersParamsSortDirDESC
	page, err := c.ListDevServersWithResponse(ctx, projectA, &devserver.ListDevServersParams{Limit: &limit, Offset: &offset, SortDir: &desc})
	if err != nil || page.JSON200 == nil {
		t.Fatalf("list: %v %s", err, page.Body)
	}
	p := page.JSON200
	if *p.Total != 5 || *p.Current != 2 || *p.Pages != 3 || *p.Size != 2 || len(*p.Data) != 2 {
		t.Fatalf("page = total %d current %d pages %d size %d", *p.Total, *p.Current, *p.Pages, *p.Size)
	}
	if got := []string{*(*p.Data)[0].Name, *(*p.Data)[1].Name}; got[0] != names[2] || got[1] != names[1] {
		t.Fatalf("newest first, skipping 2: got %v", got)
	}
	other, _ := devserver.NewClientWithResponses(hs.URL, devserver.WithRequestEditorFn(withToken(tokenB)))
	if r, err := other.ListDevServersWithResponse(ctx, projectB, nil); err != nil || r.JSON200 == nil || *r.JSON200.Total != 0 {
		t.Fatalf("project B sees project A's servers: %v %s", err, r.Body)
	}
}

func TestECSJobLifecycle(t *testing.T) {
	hs, clock, srv := testServer(t, Delays{JobStep: 2 * time.Second})
	c := ecsClient(t, hs.URL, tokenA)
	ctx := context.Background()
	created, err := c.CreateServersWithResponse(ctx, projectA, nil, ecsBody(3, true))
	if err != nil || created.JSON200 == nil {
		t.Fatalf("create: %v %d %s", err, created.StatusCode(), created.Body)
	}
	res := created.JSON200
	if len(*res.ServerIDs) != 3 || res.OrderID == nil || !strings.HasPrefix(*res.OrderID, "CS") {
		t.Fatalf("create result = %+v", res)
	}
	for _, want := range []ecs.JobStatus{ecs.JobStatusINIT, ecs.JobStatusRUNNING, ecs.JobStatusSUCCESS} {
		job, err := c.ShowJobWithResponse(ctx, projectA, *res.JobID)
		if err != nil || job.JSON200 == nil || *job.JSON200.Status != want {
			t.Fatalf("job: %v %s, want %s", err, job.Body, want)
		}
		subs := *job.JSON200.Entities.SubJobs
		if len(subs) != 3 || *subs[2].Entities.ServerID != (*res.ServerIDs)[2] || *subs[0].Status != want {
			t.Fatalf("sub-jobs = %+v", subs)
		}
		clock.Advance(2 * time.Second)
	}
	dry := true
	body := ecsBody(1, false)
	body.DryRun = &dry
	r, err := c.CreateServersWithResponse(ctx, projectA, nil, body)
	if err != nil || r.StatusCode() != http.StatusAccepted || len(r.Body) != 0 {
		t.Fatalf("dry run: %v %d %s", err, r.StatusCode(), r.Body)
	}
	if n := srv.jobs.count(projectA); n != 1 {
		t.Fatalf("%d jobs after a dry run, want 1", n)
	}
	missing, err := c.ShowJobWithResponse(ctx, projectA, "ff808082739334d80173943ec9b42130")
	if err != nil || missing.JSON404 == nil || missing.JSON404.Error.Code != "Ecs.0114" {
		t.Fatalf("unknown job: %v %s", err, missing.Body)
	}
}

func TestECSIdempotency(t *testing.T) {
	hs, clock, srv := testServer(t, Delays{})
	c := ecsClient(t, hs.URL, tokenA)
	ctx := context.Background()
	token := "46436810-d999-454c-bd85-e515fd258600"
	params := &ecs.CreateServersParams{XClientToken: &token}

	const parallel = 50
	jobIDs := make(chan string, parallel)
	var wg sync.WaitGroup
	for range parallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := c.CreateServersWithResponse(ctx, projectA, params, ecsBody(2, false))
			if err != nil || r.JSON200 == nil {
				t.Errorf("create: %v %s", err, r.Body)
				return
			}
			jobIDs <- *r.JSON200.JobID
		}()
	}
	wg.Wait()
	close(jobIDs)
	first := ""
	for id := range jobIDs {
		if first == "" {
			first = id
		}
		if id != first {
			t.Fatalf("two job IDs for one client token: %s and %s", first, id)
		}
	}
	if n := srv.jobs.count(projectA); n != 1 {
		t.Fatalf("%d jobs created by %d retries with one token, want 1", n, parallel)
	}

	r, err := c.CreateServersWithResponse(ctx, projectA, params, ecsBody(3, false))
	if err != nil || r.JSON400 == nil || r.JSON400.Error.Code != "Ecs.0122" {
		t.Fatalf("same token, other body: %v %d %s", err, r.StatusCode(), r.Body)
	}
	clock.Advance(tokenLifetime + time.Minute)
	r, err = c.CreateServersWithResponse(ctx, projectA, params, ecsBody(2, false))
	if err != nil || r.JSON400 == nil || r.JSON400.Error.Code != "Ecs.0124" {
		t.Fatalf("expired token: %v %d %s", err, r.StatusCode(), r.Body)
	}
	bad := "46436810-D999-454C-BD85-E515FD258600"
	r, err = c.CreateServersWithResponse(ctx, projectA, &ecs.CreateServersParams{XClientToken: &bad}, ecsBody(1, false))
	if err != nil || r.JSON400 == nil || r.JSON400.Error.Code != "Ecs.0123" {
		t.Fatalf("malformed token: %v %d %s", err, r.StatusCode(), r.Body)
	}
}

func TestCloudDCLifecycle(t *testing.T) {
	hs, clock, _ := testServer(t, Delays{Create: 5 * time.Second, Delete: 5 * time.Second})
	c, _ := clouddc.NewClientWithResponses(hs.URL, clouddc.WithRequestEditorFn(withToken(tokenA)))
	ctx := context.Background()
	created, err := c.CreateInstanceWithResponse(ctx, projectA, fixture.CloudDCCreate("node-1"))
	if err != nil || created.JSON202 == nil {
		t.Fatalf("create: %v %d %s", err, created.StatusCode(), created.Body)
	}
	id := *created.JSON202.InstanceID
	state := func() clouddc.InstanceState {
		t.Helper()
		r, err := c.ShowInstanceStatusWithResponse(ctx, projectA, id)
		if err != nil || r.JSON200 == nil {
			t.Fatalf("status: %v %s", err, r.Body)
		}
		return *r.JSON200.State
	}
	steps := []struct {
		do   func()
		want clouddc.InstanceState
	}{
		{func() {}, clouddc.InstanceStatePending},
		{func() { clock.Advance(5 * time.Second) }, clouddc.InstanceStateRunning},
		{func() {
			if r, err := c.DeleteInstanceWithResponse(ctx, projectA, id); err != nil || r.StatusCode() != http.StatusNoContent {
				t.Fatalf("delete: %v %d %s", err, r.StatusCode(), r.Body)
			}
		}, clouddc.InstanceStateShuttingDown},
		{func() { clock.Advance(5 * time.Second) }, clouddc.InstanceStateTerminated},
	}
	for _, s := range steps {
		s.do()
		if got := state(); got != s.want {
			t.Fatalf("state %s, want %s", got, s.want)
		}
	}
	if r, err := c.DeleteInstanceWithResponse(ctx, projectA, id); err != nil || r.JSON404 == nil || r.JSON404.ErrorCode != "iMetal.0100" {
		t.Fatalf("delete a terminated instance: %v %d %s", err, r.StatusCode(), r.Body)
	}
}

// rawRequest sends a request and returns the status, headers and body.
func rawRequest(t testing.TB, method, url string, header map[string]string, body string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func TestErrorShapes(t *testing.T) {
	hs, _, _ := testServer(t, Delays{})
	json := map[string]string{"Content-Type": "application/json", "X-Auth-Token": tokenA}
	tests := []struct {
		name, method, path, body string
		header                   map[string]string
		status                   int
		want                     []string // substrings of the body
	}{
		{"ECS invalid body", "POST", "/v1.1/" + projectA + "/cloudservers", `{"server":{"name":"web 1"}}`, json, 400,
			[]string{`"code":"Ecs.0005"`, `"details":[`, `body /server/name: must match the pattern`, `"code":"schema.required"`}},
		{"CloudDC missing parameter", "POST", "/v1/" + projectA + "/instances", `{"name":"n","image_id":"i","vpc_id":"v","network_interfaces":[{"subnet_id":"s"}]}`, json, 400,
			[]string{`"error_code":"iMetal.0002"`, `Missing required parameters: body /password`}},
		{"CloudDC invalid value", "POST", "/v1/" + projectA + "/instances", `{"name":"n n","image_id":"i","vpc_id":"v","network_interfaces":[{"subnet_id":"s"}],"password":"Imetal@2025x"}`, json, 400,
			[]string{`"error_code":"iMetal.0001"`, `A request parameter contains invalid or unsupported value: body /name`}},
		{"ModelArts invalid", "POST", "/v1/" + projectA + "/dev-servers", `{"name":"dev","flavor":"f","image_id":"c90fb553-2cdb-4b81-b56a-ef68812c6cf7","network":{"vpc_id":"x"}}`, json, 400,
			[]string{`"error_code":"ModelArts.0104"`, `body /network/subnet_id`}},
		{"duplicate member", "POST", "/v1.1/" + projectA + "/cloudservers", `{"server":{"name":"a","name":"b"}}`, json, 400,
			[]string{`json.duplicate-key`}},
		{"case-variant member", "POST", "/v1/" + projectA + "/instances", `{"Name":"n","name":"n","image_id":"i","vpc_id":"v","network_interfaces":[{"subnet_id":"s"}],"password":"Imetal@2025x"}`, json, 400,
			[]string{`json.case-variant-key`}},
		{"unknown path", "GET", "/v1/" + projectA + "/volumes", ``, json, 404, []string{`"error_code":"ModelArts.6309"`}},
		{"wrong method", "PUT", "/v1/" + projectA + "/jobs/abc", ``, json, 405, []string{`"code":"Ecs.0005"`}},
		{"no credentials ECS", "GET", "/v1/" + projectA + "/jobs/abc", ``, nil, 401, []string{`"code":"APIGW.0301"`}},
		{"no credentials CloudDC", "GET", "/v1/" + projectA + "/instances/abc/status", ``, nil, 401, []string{`"error_code":"iMetal.0003"`}},
		{"unknown token", "GET", "/v1/" + projectA + "/dev-servers", ``, map[string]string{"X-Auth-Token": "nope"}, 401, []string{`"error_code":"APIGW.0301"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, header, body := rawRequest(t, tc.method, hs.URL+tc.path, tc.header, tc.body)
			if status != tc.status {
				t.Fatalf("status %d, want %d: %s", status, tc.status, body)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %q: %s", w, body)
				}
			}
			if header.Get("X-Request-Id") == "" {
				t.Error("no X-Request-Id")
			}
		})
	}
}

func TestIsolation(t *testing.T) {
	hs, _, _ := testServer(t, Delays{})
	ctx := context.Background()
	a, b := ecsClient(t, hs.URL, tokenA), ecsClient(t, hs.URL, tokenB)
	created, err := a.CreateServersWithResponse(ctx, projectA, nil, ecsBody(1, false))
	if err != nil || created.JSON200 == nil {
		t.Fatal(err)
	}
	job := *created.JSON200.JobID
	// B asks for A's job in A's project, and in its own: both 404, so B
	// cannot tell whether the job exists.
	for _, project := range []string{projectA, projectB} {
		r, err := b.ShowJobWithResponse(ctx, project, job)
		if err != nil || r.StatusCode() != http.StatusNotFound {
			t.Fatalf("B reading A's job in %s: %v %d %s", project, err, r.StatusCode(), r.Body)
		}
	}
	r, err := b.CreateServersWithResponse(ctx, projectA, nil, ecsBody(1, false))
	if err != nil || r.StatusCode() != http.StatusForbidden {
		t.Fatalf("B creating in A's project: %v %d %s", err, r.StatusCode(), r.Body)
	}
}

func TestFaults(t *testing.T) {
	hs, _, _ := testServer(t, Delays{},
		Fault{Operation: "CreateServers", Status: 429, Times: 2},
		Fault{Operation: "CreateInstance", Status: 429},
		Fault{Operation: "ShowJob", Delay: 2 * time.Second, Times: 1},
	)
	c := ecsClient(t, hs.URL, tokenA)
	ctx := context.Background()
	for i := range 2 {
		r, err := c.CreateServersWithResponse(ctx, projectA, nil, ecsBody(1, false))
		if err != nil || r.StatusCode() != http.StatusTooManyRequests || r.HTTPResponse.Header.Get("Retry-After") != "1" || !strings.Contains(string(r.Body), "APIGW.0308") {
			t.Fatalf("call %d: %v %d %s", i, err, r.StatusCode(), r.Body)
		}
	}
	r, err := c.CreateServersWithResponse(ctx, projectA, nil, ecsBody(1, false))
	if err != nil || r.JSON200 == nil {
		t.Fatalf("third call: %v %d %s", err, r.StatusCode(), r.Body)
	}
	status, header, body := rawRequest(t, "POST", hs.URL+"/v1/"+projectA+"/instances", map[string]string{"X-Auth-Token": tokenA, "Content-Type": "application/json"}, `{}`)
	if status != 429 || !strings.HasPrefix(header.Get("Content-Type"), "text/plain") || body != "iMetal.0005 injected fault: CreateInstance:429:0" {
		t.Fatalf("CloudDC 429: %d %q %q", status, header.Get("Content-Type"), body)
	}
	timeout, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if _, err := c.ShowJobWithResponse(timeout, projectA, *r.JSON200.JobID); err == nil {
		t.Fatal("a delayed answer did not time the client out")
	}
	if job, err := c.ShowJobWithResponse(ctx, projectA, *r.JSON200.JobID); err != nil || job.JSON200 == nil {
		t.Fatalf("after the delay fault is spent: %v", err)
	}
}

func TestSaturatingAdd(t *testing.T) {
	for _, tc := range []struct{ a, b, want time.Duration }{
		{time.Second, 30 * time.Second, 31 * time.Second},
		{math.MaxInt64, 30 * time.Second, math.MaxInt64},
		{math.MaxInt64 - 1, 1, math.MaxInt64},
		{0, 0, 0},
	} {
		if got := saturatingAdd(tc.a, tc.b); got != tc.want {
			t.Errorf("saturatingAdd(%d, %d) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestParseFault(t *testing.T) {
	accepted := map[string]string{
		"CreateServers:429:2":    "CreateServers:429:2",
		"ShowJob:500":            "ShowJob:500:0",
		"CreateInstance:0:1:30s": "CreateInstance:0:1:30s",
		"CreateServers:500+:1":   "CreateServers:500+:1",
		"ShowJob:503:0:1.5s":     "ShowJob:503:0:1.5s",
		"DeleteDevServer:400:1":  "DeleteDevServer:400:1",
		"ShowJob:599":            "ShowJob:599:0",
	}
	for in, want := range accepted {
		f, err := ParseFault(in)
		if err != nil || f.String() != want {
			t.Errorf("ParseFault(%q) = %v, %v", in, f, err)
		}
	}
	refused := map[string]string{
		"":                        "OPERATION:STATUS",
		"CreateServers":           "OPERATION:STATUS",
		":429":                    "OPERATION:STATUS",
		"CreateServers:429:1:1s:": "OPERATION:STATUS",
		"CreateServers:200":       "STATUS",
		"CreateServers:600":       "STATUS",
		"CreateServers:x":         "STATUS",
		"CreateServers:":          "STATUS",
		"CreateServers:+429":      "STATUS", // strconv.Atoi took the sign
		"CreateServers: 429":      "STATUS",
		"CreateServers:0429":      "STATUS",
		"CreateServers:429++":     "STATUS",
		"CreateServers:0":         "a STATUS or a DELAY",
		"X:500:-1":                "TIMES",
		"X:500:-0":                "TIMES", // strconv.Atoi read 0: every call
		"X:500:+2":                "TIMES",
		"X:500:":                  "TIMES",
		"X:500:1:soon":            "DELAY",
		"X:500:1:-1s":             "DELAY",
		"X:0+:1:1s":               "'+' needs a STATUS",
	}
	for in, want := range refused {
		if _, err := ParseFault(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseFault(%q): err %v, want one naming %s", in, err, want)
		}
	}
}

// TestNewChecksFaults: a fault that could never fire, or has values
// ParseFault would refuse, is a *ConfigError from New, whether it came
// from a command line or was built in Go. Before, New took any fault and
// "Nope:429" simply never fired.
func TestNewChecksFaults(t *testing.T) {
	engine, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range engine.Operations() {
		if _, err := New(Config{Faults: []Fault{{Operation: op.ID, Status: 503, Times: 1}}}); err != nil {
			t.Errorf("a fault on %s: %v", op.ID, err)
		}
	}
	for _, tc := range []struct {
		fault Fault
		want  string
	}{
		{Fault{Operation: "Nope", Status: 429}, `unknown operation "Nope"; the operations are CreateDevServer, CreateInstance, CreateServers,`},
		{Fault{Operation: "createServers", Status: 429}, "did you mean CreateServers?"},
		{Fault{Operation: "", Status: 429}, `unknown operation ""`},
		{Fault{Operation: "CreateServers ", Status: 429}, `unknown operation "CreateServers "`},
		{Fault{Operation: "CreateServers", Status: 200}, "STATUS must be 0 or 400-599"},
		{Fault{Operation: "CreateServers", Status: 429, Times: -1}, "TIMES"},
		{Fault{Operation: "CreateServers", Status: 429, Delay: -time.Second}, "DELAY"},
		{Fault{Operation: "CreateServers"}, "a STATUS or a DELAY"},
		{Fault{Operation: "CreateServers", Delay: time.Second, After: true}, "'+' needs a STATUS"},
	} {
		_, err := New(Config{Faults: []Fault{{Operation: "ShowJob", Status: 500}, tc.fault}})
		var ce *ConfigError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err %v, want a *ConfigError naming %q", tc.fault, err, tc.want)
		}
	}
}

func TestRequestIDAndHealth(t *testing.T) {
	hs, _, _ := testServer(t, Delays{})
	status, header, body := rawRequest(t, "GET", hs.URL+"/healthz", nil, "")
	if status != 200 || body != "{\"status\":\"ok\"}\n" || len(header.Get("X-Request-Id")) != 32 {
		t.Fatalf("healthz: %d %q %q", status, body, header.Get("X-Request-Id"))
	}
	_, header, _ = rawRequest(t, "GET", hs.URL+"/healthz", map[string]string{"X-Request-Id": "trace-42"}, "")
	if header.Get("X-Request-Id") != "trace-42" {
		t.Fatalf("caller's request id not kept: %q", header.Get("X-Request-Id"))
	}
}

// TestLogsHoldNoSecrets sends passwords, tokens and signatures and looks
// for them in the log.
func TestLogsHoldNoSecrets(t *testing.T) {
	var logs bytes.Buffer
	srv, err := New(Config{Delays: &Delays{}, Tokens: map[string]string{"secret-token-1": projectA}, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	h := map[string]string{"X-Auth-Token": "secret-token-1", "Content-Type": "application/json"}
	rawRequest(t, "POST", hs.URL+"/v1/"+projectA+"/instances", h, `{"name":"n","image_id":"i","vpc_id":"v","network_interfaces":[{"subnet_id":"s"}],"password":"Secret@Pass123"}`)
	rawRequest(t, "POST", hs.URL+"/v1/"+projectA+"/instances", h, `{"name":"n n","image_id":"i","vpc_id":"v","network_interfaces":[{"subnet_id":"s"}],"password":"weakpassword"}`)
	rawRequest(t, "GET", hs.URL+"/v1/"+projectA+"/dev-servers", map[string]string{"X-Auth-Token": "secret-token-2"}, "")
	out := logs.String()
	if !strings.Contains(out, `"msg":"request"`) {
		t.Fatalf("no access log: %s", out)
	}
	for _, secret := range []string{"secret-token-1", "secret-token-2", "Secret@Pass123", "weakpassword"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log contains %q", secret)
		}
	}
	var line map[string]any
	if err := json.Unmarshal([]byte(strings.SplitN(out, "\n", 2)[0]), &line); err != nil || line["request_id"] == "" {
		t.Errorf("log line without request id: %v", line)
	}
}
