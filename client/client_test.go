package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
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

const project = server.DefaultProject

// localServer starts the local server on loopback with short delays, an
// AK/SK pair, and the given faults.
func localServer(t testing.TB, faults ...server.Fault) *httptest.Server {
	t.Helper()
	srv, err := server.New(server.Config{
		Delays: &server.Delays{Create: 30 * time.Millisecond, Delete: 30 * time.Millisecond, JobStep: 20 * time.Millisecond},
		Tokens: map[string]string{server.DefaultToken: project},
		Keys:   map[string]server.Key{"AKTEST": {Secret: "SKTEST", Project: project}},
		Faults: faults,
	})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return hs
}

var fastRetries = client.WithRetry(client.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 20 * time.Millisecond})

var fastPolls = client.PollInterval(5*time.Millisecond, 20*time.Millisecond)

func newClient(t testing.TB, url string, opts ...client.Option) *client.Client {
	t.Helper()
	c, err := client.New(project, append([]client.Option{client.WithBaseURL(url), client.WithToken(server.DefaultToken), fastRetries}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestECSCreateWaitShow(t *testing.T) {
	for _, auth := range []struct {
		name string
		opt  client.Option
	}{{"token", client.WithToken(server.DefaultToken)}, {"aksk", client.WithAccessKey("AKTEST", "SKTEST")}} {
		t.Run(auth.name, func(t *testing.T) {
			c := newClient(t, localServer(t).URL, auth.opt)
			ctx := context.Background()
			job, err := c.ECS().CreateServers(ctx, fixture.ECSCreate(2))
			if err != nil {
				t.Fatal(err)
			}
			ids, err := c.ECS().WaitJob(ctx, *job.JobID, fastPolls)
			if err != nil {
				t.Fatal(err)
			}
			if len(ids) != 2 || ids[0] != (*job.ServerIDs)[0] {
				t.Fatalf("servers %v, job said %v", ids, *job.ServerIDs)
			}
		})
	}
}

func TestDevServerCreateWaitDelete(t *testing.T) {
	c := newClient(t, localServer(t).URL)
	ctx := context.Background()
	s, err := c.DevServer().CreateDevServer(ctx, fixture.DevServerCreate("dev-1"))
	if err != nil {
		t.Fatal(err)
	}
	running, err := c.DevServer().WaitDevServer(ctx, *s.ID, devserver.ServerResponseStatusRUNNING, fastPolls)
	if err != nil || *running.Status != devserver.ServerResponseStatusRUNNING {
		t.Fatalf("wait RUNNING: %v", err)
	}
	if _, err := c.DevServer().DeleteDevServer(ctx, *s.ID); err != nil {
		t.Fatal(err)
	}
	if gone, err := c.DevServer().WaitDevServer(ctx, *s.ID, devserver.ServerResponseStatusDELETED, fastPolls); err != nil || gone != nil {
		t.Fatalf("wait DELETED: %v %v", gone, err)
	}
	_, err = c.DevServer().ShowDevServer(ctx, *s.ID)
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || !apiErr.NotFound() || apiErr.Code != "ModelArts.6309" || apiErr.RequestID == "" {
		t.Fatalf("show after delete: %v", err)
	}
}

func TestCloudDCCreateWaitDelete(t *testing.T) {
	c := newClient(t, localServer(t).URL, client.WithAccessKey("AKTEST", "SKTEST"))
	ctx := context.Background()
	id, err := c.CloudDC().CreateInstance(ctx, fixture.CloudDCCreate("node-1"))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.CloudDC().WaitInstance(ctx, id, clouddc.InstanceStateRunning, fastPolls); err != nil {
		t.Fatal(err)
	}
	if err := c.CloudDC().DeleteInstance(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := c.CloudDC().WaitInstance(ctx, id, clouddc.InstanceStateTerminated, fastPolls); err != nil {
		t.Fatal(err)
	}
}

// TestPreflightValidation: an invalid request returns the findings and
// never reaches the network.
func TestPreflightValidation(t *testing.T) {
	var hits atomic.Int32
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer hs.Close()
	c := newClient(t, hs.URL)
	body := fixture.ECSCreate(2)
	body.Server.Name = strings.Repeat("n", 60) // too long for a batch
	_, err := c.ECS().CreateServers(context.Background(), body)
	var verr *client.ValidationError
	if !errors.As(err, &verr) || verr.Operation != "CreateServers" || verr.Findings[0].Rule != "ecs.server.batch-name-length" {
		t.Fatalf("err = %v", err)
	}
	if hits.Load() != 0 {
		t.Fatal("an invalid request reached the network")
	}
	off := newClient(t, hs.URL, client.WithoutValidation())
	off.ECS().CreateServers(context.Background(), body)
	if hits.Load() != 1 {
		t.Fatal("WithoutValidation still refused the request")
	}
}

func TestRetries(t *testing.T) {
	ctx := context.Background()
	t.Run("429 then success", func(t *testing.T) {
		c := newClient(t, localServer(t, server.Fault{Operation: "CreateServers", Status: 429, Times: 2}).URL)
		if _, err := c.ECS().CreateServers(ctx, fixture.ECSCreate(1)); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a lost answer to an ECS create is retried with the same token: one job", func(t *testing.T) {
		// The server creates the job, then answers 500 as if the answer
		// were lost; the retry carries the same X-Client-Token and gets
		// the first job back instead of a second one.
		srv, err := server.New(server.Config{Delays: &server.Delays{},
			Faults: []server.Fault{{Operation: "CreateServers", Status: 500, Times: 1, After: true}}})
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(srv.Handler())
		defer hs.Close()
		c := newClient(t, hs.URL)
		job, err := c.ECS().CreateServers(ctx, fixture.ECSCreate(1))
		if err != nil {
			t.Fatal(err)
		}
		if n := srv.Jobs(project); n != 1 {
			t.Fatalf("%d jobs after a retried create, want 1", n)
		}
		again, err := c.ECS().CreateServers(ctx, fixture.ECSCreate(1))
		if err != nil || *again.JobID == *job.JobID || srv.Jobs(project) != 2 {
			t.Fatalf("a new call must create a new job: %v", err)
		}
	})
	t.Run("500 on a DevServer create is not retried", func(t *testing.T) {
		c := newClient(t, localServer(t, server.Fault{Operation: "CreateDevServer", Status: 500, Times: 1}).URL)
		_, err := c.DevServer().CreateDevServer(ctx, fixture.DevServerCreate("dev"))
		var apiErr *client.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 || apiErr.Code != "ModelArts.9999" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("CloudDC 429 text body is retried, then reported", func(t *testing.T) {
		c := newClient(t, localServer(t, server.Fault{Operation: "CreateInstance", Status: 429}).URL)
		_, err := c.CloudDC().CreateInstance(ctx, fixture.CloudDCCreate("n"))
		var apiErr *client.APIError
		if !errors.As(err, &apiErr) || !apiErr.Throttled() || apiErr.Code != "iMetal.0005" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("the context bounds retries", func(t *testing.T) {
		c := newClient(t, localServer(t, server.Fault{Operation: "ShowJob", Status: 503}).URL,
			client.WithRetry(client.RetryPolicy{MaxAttempts: 100, BaseDelay: 10 * time.Millisecond, MaxDelay: 10 * time.Millisecond}))
		short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		if _, err := c.ECS().ShowJob(short, "ff808082739334d80173943ec9b42130"); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v", err)
		}
	})
}

// stubJobs serves ShowJob with the given job body, for waiter failures the
// local server does not produce.
func stubJobs(t *testing.T, body string) *httptest.Server {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(body))
	}))
	t.Cleanup(hs.Close)
	return hs
}

func TestWaitersFail(t *testing.T) {
	ctx := context.Background()
	c := newClient(t, stubJobs(t, `{"job_id":"j","status":"FAIL","error_code":"Ecs.0013","fail_reason":"insufficient EIP quota"}`).URL)
	_, err := c.ECS().WaitJob(ctx, "j", fastPolls)
	var jobErr *client.JobFailedError
	if !errors.As(err, &jobErr) || jobErr.ErrorCode != "Ecs.0013" || jobErr.FailReason != "insufficient EIP quota" {
		t.Fatalf("err = %v", err)
	}
	c = newClient(t, stubJobs(t, `{"id":"d","status":"CREATE_FAILED"}`).URL)
	_, err = c.DevServer().WaitDevServer(ctx, "d", devserver.ServerResponseStatusRUNNING, fastPolls)
	var stateErr *client.StateError
	if !errors.As(err, &stateErr) || stateErr.State != "CREATE_FAILED" {
		t.Fatalf("err = %v", err)
	}
	c = newClient(t, stubJobs(t, `{"state":"error","error":{"error_code":"iMetal.0100","error_msg":"x","error_type":"create_instance_error"}}`).URL)
	if err := c.CloudDC().WaitInstance(ctx, "i", clouddc.InstanceStateRunning, fastPolls); !errors.As(err, &stateErr) || stateErr.State != "error" {
		t.Fatalf("err = %v", err)
	}
	c = newClient(t, stubJobs(t, `{"job_id":"j","status":"RUNNING"}`).URL)
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := c.ECS().WaitJob(short, "j", fastPolls); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
}

func TestNewRequiresConfiguration(t *testing.T) {
	for _, tc := range []struct {
		project string
		opts    []client.Option
		want    string
	}{
		{"", []client.Option{client.WithRegion("cn-north-4"), client.WithToken("t")}, "project ID"},
		{project, []client.Option{client.WithRegion("cn-north-4")}, "credentials"},
		{project, []client.Option{client.WithToken("t")}, "no endpoint"},
		{project, []client.Option{client.WithRegion("cn-north-4"), client.WithToken("t"), client.WithEndpoint("ECS", "http://x")}, `unknown service "ECS"`},
	} {
		if _, err := client.New(tc.project, tc.opts...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%q): %v, want %q", tc.project, err, tc.want)
		}
	}
	if _, err := client.New(project, client.WithRegion("cn-north-4"), client.WithToken("t")); err != nil {
		t.Fatal(err)
	}
}

// TestWaitJobWithoutStatus: a 200 that the spec's Job allows, with only
// code and message (the query itself failed), or with nothing at all, is
// an error, not a panic.
func TestWaitJobWithoutStatus(t *testing.T) {
	ctx := context.Background()
	c := newClient(t, stubJobs(t, `{"code":"Ecs.0103","message":"job not found"}`).URL)
	_, err := c.ECS().WaitJob(ctx, "j", fastPolls)
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "Ecs.0103" || apiErr.Message != "job not found" {
		t.Fatalf("err = %v", err)
	}
	c = newClient(t, stubJobs(t, `{"job_id":"j"}`).URL)
	if _, err := c.ECS().WaitJob(ctx, "j", fastPolls); err == nil || !strings.Contains(err.Error(), "without a status") {
		t.Fatalf("err = %v", err)
	}
}

// recorder is a stub service that keeps the last request's headers and
// answers every request with status and body (JSON when it starts with {,
// else text).
type recorder struct {
	*httptest.Server
	last atomic.Pointer[http.Request]
}

func newRecorder(t *testing.T, status int, body string) *recorder {
	r := &recorder{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.last.Store(req)
		if strings.HasPrefix(body, "{") {
			w.Header().Set("Content-Type", "application/json")
		} else {
			w.Header().Set("Content-Type", "text/plain")
		}
		w.WriteHeader(status)
		w.Write([]byte(body))
	}))
	t.Cleanup(r.Close)
	return r
}

type countingTransport struct{ n atomic.Int32 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

// TestOptions: each option reaches the request it configures.
func TestOptions(t *testing.T) {
	ctx := context.Background()
	const jobBody = `{"job_id":"j","status":"SUCCESS"}`
	t.Run("WithEndpoint overrides one service's base URL", func(t *testing.T) {
		ecsStub, others := newRecorder(t, 200, jobBody), newRecorder(t, 500, `{}`)
		c := newClient(t, others.URL, client.WithEndpoint(client.ServiceECS, ecsStub.URL+"/"))
		if _, err := c.ECS().ShowJob(ctx, "j"); err != nil {
			t.Fatal(err)
		}
		if ecsStub.last.Load() == nil || others.last.Load() != nil {
			t.Fatal("the ECS call did not go to the ECS endpoint")
		}
	})
	t.Run("WithEngine validates with the given engine", func(t *testing.T) {
		stub := newRecorder(t, 202, `{}`)
		small, err := validate.New(validate.WithLimits(validate.Limits{MaxBodyBytes: 64, MaxDepth: 8}))
		if err != nil {
			t.Fatal(err)
		}
		c := newClient(t, stub.URL, client.WithEngine(small))
		_, err = c.ECS().CreateServers(ctx, fixture.ECSCreate(1))
		var verr *client.ValidationError
		if !errors.As(err, &verr) || verr.Findings[0].Rule != "body.size" || stub.last.Load() != nil {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("WithHTTPClient sends through the given client", func(t *testing.T) {
		stub, tr := newRecorder(t, 200, jobBody), &countingTransport{}
		c := newClient(t, stub.URL, client.WithHTTPClient(&http.Client{Transport: tr}))
		if _, err := c.ECS().ShowJob(ctx, "j"); err != nil {
			t.Fatal(err)
		}
		if tr.n.Load() != 1 {
			t.Fatalf("%d requests through the given client, want 1", tr.n.Load())
		}
	})
	t.Run("WithUserAgent sets User-Agent", func(t *testing.T) {
		stub := newRecorder(t, 200, jobBody)
		c := newClient(t, stub.URL, client.WithUserAgent("provisioner/2.1"))
		if _, err := c.ECS().ShowJob(ctx, "j"); err != nil {
			t.Fatal(err)
		}
		if ua := stub.last.Load().Header.Get("User-Agent"); ua != "provisioner/2.1" {
			t.Fatalf("User-Agent %q", ua)
		}
	})
	t.Run("WithClientToken sets X-Client-Token; each call has its own by default", func(t *testing.T) {
		stub := newRecorder(t, 202, `{}`)
		c := newClient(t, stub.URL)
		const token = "0f8fad5b-d9cb-469f-a165-70867728950e"
		if _, err := c.ECS().CreateServers(ctx, fixture.ECSCreate(1), client.WithClientToken(token)); err != nil {
			t.Fatal(err)
		}
		if got := stub.last.Load().Header.Get("X-Client-Token"); got != token {
			t.Fatalf("X-Client-Token %q, want %q", got, token)
		}
		if _, err := c.ECS().CreateServers(ctx, fixture.ECSCreate(1)); err != nil {
			t.Fatal(err)
		}
		if got := stub.last.Load().Header.Get("X-Client-Token"); got == token || len(got) != len(token) {
			t.Fatalf("a call without WithClientToken sent %q", got)
		}
	})
}

// TestAPIErrorBodies: each service's error body, as the spec defines it,
// becomes the same *APIError.
func TestAPIErrorBodies(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, body string
		code, msg  string
		details    []client.ErrorDetail
	}{
		{"ECS", `{"error":{"code":"Ecs.0005","message":"bad","details":[{"code":"Ecs.0039","message":"ip"},{"code":"Ecs.0040"}]}}`,
			"Ecs.0005", "bad", []client.ErrorDetail{{Code: "Ecs.0039", Message: "ip"}, {Code: "Ecs.0040"}}},
		{"ModelArts and CloudDC", `{"error_code":"iMetal.0001","error_msg":"bad"}`, "iMetal.0001", "bad", nil},
		{"ShowJob query error", `{"code":"Ecs.0103","message":"no job"}`, "Ecs.0103", "no job", nil},
		{"text", "iMetal.0005 too many requests", "iMetal.0005", "too many requests", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newClient(t, newRecorder(t, 400, tc.body).URL)
			_, err := c.ECS().ShowJob(ctx, "j")
			var apiErr *client.APIError
			if !errors.As(err, &apiErr) || apiErr.Code != tc.code || apiErr.Message != tc.msg || !reflect.DeepEqual(apiErr.Details, tc.details) {
				t.Fatalf("err = %#v", err)
			}
		})
	}
}

// TestAPIErrorHostileText: an error answer whose code, message and request
// ID carry line breaks, CI workflow commands, bidi marks and a huge message
// prints on one bounded line; the fields keep what was received.
func TestAPIErrorHostileText(t *testing.T) {
	const code = "Ecs.0005\n::error::injected"
	message := "bad\r\n::error file=main.go::pwned\u202e" + strings.Repeat("x", 100_000)
	const requestID = "req\u2028\u202eid"
	body, _ := json.Marshal(map[string]any{"error": map[string]any{"code": code, "message": message}})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", requestID)
		w.WriteHeader(http.StatusBadRequest)
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	_, err := newClient(t, srv.URL).ECS().ShowJob(context.Background(), "j")
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v, want an *APIError", err)
	}
	if apiErr.Code != code || apiErr.Message != message || apiErr.RequestID != requestID {
		t.Errorf("fields changed: code %q, request %q, message of %d bytes", apiErr.Code, apiErr.RequestID, len(apiErr.Message))
	}
	msg := apiErr.Error()
	if strings.ContainsAny(msg, "\r\n\u2028\u202e") {
		t.Errorf("Error() keeps a line break or bidi mark: %q", msg)
	}
	if len(msg) > 2*validate.MaxMessageBytes {
		t.Errorf("Error() has %d bytes, want at most %d", len(msg), 2*validate.MaxMessageBytes)
	}
	for _, want := range []string{`Ecs.0005\n::error::injected`, `bad\r\n::error file=main.go::pwned\u202e`, `(request req\u2028\u202eid)`} {
		if !strings.Contains(msg, want) {
			t.Errorf("Error() = %.200q…, want it to contain %q", msg, want)
		}
	}
}

// TestAnswerBound: an answer's body is read up to MaxAnswerBytes; one byte
// more fails the call with ErrAnswerTooLarge instead of filling memory.
func TestAnswerBound(t *testing.T) {
	const head, tail = `{"job_id":"j","status":"SUCCESS"`, `}`
	for _, tc := range []struct {
		name    string
		size    int
		tooLong bool
	}{
		{"at the bound", client.MaxAnswerBytes, false},
		{"one byte over", client.MaxAnswerBytes + 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := head + strings.Repeat(" ", tc.size-len(head)-len(tail)) + tail
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, body)
			}))
			t.Cleanup(srv.Close)
			job, err := newClient(t, srv.URL).ECS().ShowJob(context.Background(), "j")
			if got := errors.Is(err, client.ErrAnswerTooLarge); got != tc.tooLong {
				t.Fatalf("err = %v, want ErrAnswerTooLarge: %v", err, tc.tooLong)
			}
			if !tc.tooLong && (err != nil || job.JobID == nil || *job.JobID != "j") {
				t.Fatalf("job = %+v, err = %v", job, err)
			}
		})
	}
}

// TestWaitErrorsHostileText: the errors of the waiters print what the
// service sent (a job's error code and fail reason, a resource's state) on
// one bounded line, as APIError.Error does; the fields keep it as received.
func TestWaitErrorsHostileText(t *testing.T) {
	reason := "quota\n::error::injected\u202e" + strings.Repeat("x", 100_000)
	for _, tc := range []struct {
		name string
		err  error
		want []string
	}{
		{"JobFailedError", &client.JobFailedError{JobID: "j\r\n1", ErrorCode: "Ecs.0013\n::warning::x", FailReason: reason},
			[]string{`ECS job j\r\n1 failed: Ecs.0013\n::warning::x quota\n::error::injected\u202e`}},
		{"StateError", &client.StateError{Service: client.ServiceDevServer, ID: "id\u2028", State: "\n::error::CREATE_FAILED"},
			[]string{`id\u2028 reached state \n::error::CREATE_FAILED`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg := tc.err.Error()
			if strings.ContainsAny(msg, "\r\n\u2028\u202e") {
				t.Errorf("Error() keeps a line break or bidi mark: %.300q", msg)
			}
			if len(msg) > 2*validate.MaxMessageBytes {
				t.Errorf("Error() has %d bytes, want at most %d", len(msg), 2*validate.MaxMessageBytes)
			}
			for _, want := range tc.want {
				if !strings.Contains(msg, want) {
					t.Errorf("Error() = %.300q, want it to contain %q", msg, want)
				}
			}
		})
	}
}
