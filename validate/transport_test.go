package validate_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/iotest"

	"github.com/hwspec/compute/validate"
)

const project = "0123456789abcdef0123456789abcdef"

// recorder is a RoundTripper that records what reaches it and answers 200.
type recorder struct {
	reqs   []*http.Request
	bodies [][]byte
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.reqs = append(r.reqs, req)
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body.Close()
	}
	r.bodies = append(r.bodies, body)
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: http.NoBody, Request: req}, nil
}

// closeTracker is a request body that remembers being closed.
type closeTracker struct {
	io.Reader
	closed bool
}

func (c *closeTracker) Close() error { c.closed = true; return nil }

const (
	token       = "MIIexample-secret-iam-token"
	ecsCreate   = `{"server":{"imageRef":"67f433d8-ed0e-4321-a8a2-a71838539e09","flavorRef":"s6.small.1","name":"web-01","vpcid":"2a6f4aa6-d93e-45f5-a8cb-b030dbf8cd68","nics":[{"subnet_id":"ef039b60-6a14-42d1-963b-687b627fea08"}],"root_volume":{"volumetype":"SSD"}}}`
	badPassword = "onlylowercasesecret"
)

// TestTransport: requests routed to an operation are validated before they
// are sent; invalid ones never reach the next RoundTripper and fail with a
// RequestError naming every finding (never a secret); requests to other
// services, and methods the specs do not describe, pass untouched.
func TestTransport(t *testing.T) {
	e, err := validate.New(validate.WithLimits(validate.Limits{MaxBodyBytes: 4096, MaxDepth: 64}))
	if err != nil {
		t.Fatal(err)
	}
	withPassword := strings.Replace(ecsCreate, `"name":"web-01"`, `"name":"web-01","adminPass":"`+badPassword+`"`, 1)
	for _, c := range []struct {
		name          string
		method, url   string
		header        http.Header
		body          string
		bodyErr       bool
		wantSent      bool
		wantUntouched bool     // the very request given reaches next, body unread
		wantRules     []string // the refusal's rules
	}{
		{name: "valid ECS create", method: "POST", url: "https://ecs.example.com/v1.1/" + project + "/cloudservers",
			header: http.Header{"Content-Type": {"application/json"}, "X-Auth-Token": {token}}, body: ecsCreate, wantSent: true},
		{name: "valid GET without body", method: "GET", url: "https://ecs.example.com/v1/" + project + "/jobs/job-1?x=1",
			header: http.Header{"X-Auth-Token": {token}}, wantSent: true},
		{name: "invalid body", method: "POST", url: "https://ecs.example.com/v1.1/" + project + "/cloudservers",
			header: http.Header{"Content-Type": {"application/json"}, "X-Auth-Token": {token}},
			body:   strings.Replace(ecsCreate, `"SSD"`, `"FAST"`, 1), wantRules: []string{"schema.enum"}},
		{name: "several findings, secret not repeated", method: "POST", url: "https://ecs.example.com/v1.1/" + project + "/cloudservers",
			header: http.Header{"Content-Type": {"application/json"}, "X-Auth-Token": {token}},
			body:   strings.Replace(withPassword, `"imageRef"`, `"imageRf"`, 1), wantRules: []string{"schema.additionalProperties", "schema.required", "format.ecs-password"}},
		{name: "no credentials", method: "POST", url: "https://ecs.example.com/v1.1/" + project + "/cloudservers",
			header: http.Header{"Content-Type": {"application/json"}}, body: ecsCreate, wantRules: []string{"security.missing"}},
		{name: "bad path parameter", method: "GET", url: "https://ecs.example.com/v1/not_a_project!/jobs/job-1",
			header: http.Header{"X-Auth-Token": {token}}, wantRules: []string{"schema.pattern"}},
		{name: "body over the limit", method: "POST", url: "https://ecs.example.com/v1.1/" + project + "/cloudservers",
			header: http.Header{"Content-Type": {"application/json"}, "X-Auth-Token": {token}},
			body:   `{"server":{"name":"` + strings.Repeat("x", 5000) + `"}}`, wantRules: []string{"body.size"}},
		{name: "IAM token request", method: "POST", url: "https://iam.example.com/v3/auth/tokens",
			header: http.Header{"Content-Type": {"application/json"}}, body: `{"auth":{}}`, wantSent: true, wantUntouched: true},
		{name: "OBS object", method: "PUT", url: "https://bucket.obs.example.com/v1/" + project + "/dev-servers/x/y",
			body: "not json", wantSent: true, wantUntouched: true},
		{name: "undocumented method on a documented path", method: "PUT", url: "https://ecs.example.com/v1.1/" + project + "/cloudservers",
			body: "{}", wantSent: true, wantUntouched: true},
		{name: "trailing slash", method: "POST", url: "https://ecs.example.com/v1.1/" + project + "/cloudservers/",
			header: http.Header{"Content-Type": {"application/json"}, "X-Auth-Token": {token}}, body: ecsCreate, wantRules: []string{"route.unknown"}},
		{name: "doubled slash", method: "POST", url: "https://ecs.example.com/v1.1//" + project + "/cloudservers",
			header: http.Header{"Content-Type": {"application/json"}, "X-Auth-Token": {token}}, body: ecsCreate, wantRules: []string{"route.unknown"}},
		{name: "dot segment", method: "POST", url: "https://ecs.example.com/v1.1/" + project + "/./cloudservers",
			header: http.Header{"Content-Type": {"application/json"}, "X-Auth-Token": {token}}, body: ecsCreate, wantRules: []string{"route.unknown"}},
		{name: "percent-encoded letter", method: "POST", url: "https://ecs.example.com/v1.1/" + project + "/%63loudservers",
			header: http.Header{"Content-Type": {"application/json"}, "X-Auth-Token": {token}}, body: ecsCreate, wantRules: []string{"route.unknown"}},
		{name: "another path with a trailing slash", method: "GET", url: "https://obs.example.com/bucket/",
			wantSent: true, wantUntouched: true},
		{name: "body read error", method: "POST", url: "https://ecs.example.com/v1.1/" + project + "/cloudservers",
			header: http.Header{"Content-Type": {"application/json"}, "X-Auth-Token": {token}}, bodyErr: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			var body *closeTracker
			req, err := http.NewRequest(c.method, c.url, nil)
			if err != nil {
				t.Fatal(err)
			}
			if c.body != "" || c.bodyErr {
				var r io.Reader = strings.NewReader(c.body)
				if c.bodyErr {
					r = iotest.ErrReader(errors.New("disk on fire"))
				}
				body = &closeTracker{Reader: r}
				req.Body, req.ContentLength = body, int64(len(c.body))
			}
			if c.header != nil {
				req.Header = c.header.Clone()
			}
			given := *req
			rec := &recorder{}
			resp, err := validate.NewTransport(e, rec).RoundTrip(req)
			if !reflect.DeepEqual(req.Header, c.header) && !(c.header == nil && len(req.Header) == 0) {
				t.Errorf("the caller's header changed: %v", req.Header)
			}
			if req.Body != given.Body || req.GetBody != nil && given.GetBody == nil {
				t.Error("the caller's request was modified")
			}
			if got := len(rec.reqs) == 1; got != c.wantSent {
				t.Fatalf("sent: %v, want %v (err %v)", got, c.wantSent, err)
			}
			if !c.wantSent {
				if resp != nil {
					t.Error("a response for a refused request")
				}
				if body != nil && !body.closed {
					t.Error("the body of a refused request was not closed")
				}
				if c.bodyErr {
					if err == nil || !strings.Contains(err.Error(), "disk on fire") {
						t.Errorf("error %v does not say the body could not be read", err)
					}
					return
				}
				checkRefusal(t, err, c.wantRules)
				for _, secret := range []string{token, badPassword} {
					if strings.Contains(err.Error(), secret) {
						t.Errorf("the error repeats a secret: %v", err)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			sent := rec.reqs[0]
			if c.wantUntouched && sent != req {
				t.Error("a request to another service was not passed as given")
			}
			if string(rec.bodies[0]) != c.body {
				t.Errorf("body sent %q, want %q", rec.bodies[0], c.body)
			}
			if !reflect.DeepEqual(sent.Header, req.Header) || sent.Method != req.Method || sent.URL.String() != req.URL.String() || sent.ContentLength != req.ContentLength || sent.Host != req.Host {
				t.Errorf("sent %s %s %v (length %d), want the request as given", sent.Method, sent.URL, sent.Header, sent.ContentLength)
			}
			if c.body != "" && !c.wantUntouched {
				if sent.GetBody == nil {
					t.Fatal("no GetBody on the request sent")
				}
				again, _ := sent.GetBody()
				if b, _ := io.ReadAll(again); string(b) != c.body {
					t.Errorf("GetBody gives %q", b)
				}
				if !body.closed {
					t.Error("the caller's body was not closed after reading")
				}
			}
		})
	}
}

// checkRefusal checks that err is a RequestError, as errors.As finds it,
// with error findings of exactly the wanted rules, each named in the text.
func checkRefusal(t *testing.T, err error, rules []string) {
	t.Helper()
	var re *validate.RequestError
	if !errors.As(err, &re) {
		t.Fatalf("error %v (%T) is not a *validate.RequestError", err, err)
	}
	if want := fmt.Sprintf("was not sent: %d finding", len(re.Result.Findings)); !strings.Contains(err.Error(), want) {
		t.Errorf("the error does not say %q: %v", want, err)
	}
	var got []string
	for _, f := range re.Result.Findings {
		got = append(got, f.Rule)
		if !strings.Contains(err.Error(), f.String()) {
			t.Errorf("the error does not name the finding %s", f)
		}
	}
	if !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(rules))) {
		t.Errorf("rules %v, want %v", got, rules)
	}
}

// TestTransportThroughClient: an http.Client wraps the refusal in a
// *url.Error, and errors.As still finds the RequestError; a valid request
// reaches the server with its body intact, an invalid one never does.
func TestTransportThroughClient(t *testing.T) {
	e, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	var got [][]byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = append(got, b)
	}))
	defer srv.Close()
	client := &http.Client{Transport: validate.NewTransport(e, nil)} // nil: http.DefaultTransport
	post := func(body string) error {
		req, err := http.NewRequest("POST", srv.URL+"/v1.1/"+project+"/cloudservers", bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Auth-Token", token)
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	if err := post(ecsCreate); err != nil {
		t.Fatal(err)
	}
	checkRefusal(t, post(`{"server":{}}`), []string{"schema.required", "schema.required", "schema.required", "schema.required", "schema.required", "schema.required"})
	if len(got) != 1 || string(got[0]) != ecsCreate {
		t.Fatalf("the server received %q, want only the valid body", got)
	}
}

// answering is a RoundTripper that answers every request with one response.
type answering struct {
	status int
	header http.Header
	body   string
}

func (a answering) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: a.status, Header: a.header.Clone(), Body: io.NopCloser(strings.NewReader(a.body)), Request: req}, nil
}

// TestTransportResponseCheck: with WithResponseCheck, each answer to a
// validated request is checked and reported, drift or not, and reaches the
// caller unchanged; answers to requests that were not validated are not.
func TestTransportResponseCheck(t *testing.T) {
	e, err := validate.New(validate.WithLimits(validate.Limits{MaxBodyBytes: 4096, MaxDepth: 64}))
	if err != nil {
		t.Fatal(err)
	}
	jsonCT := http.Header{"Content-Type": {"application/json"}}
	jobURL := "https://ecs.example.com/v1/" + project + "/jobs/job-1"
	for _, c := range []struct {
		name, url string
		answer    answering
		want      []string // rules reported; nil: no report
	}{
		{"conforming answer", jobURL, answering{200, jsonCT, `{"job_id":"job-1","status":"RUNNING","extra":true}`}, []string{}},
		{"drift", jobURL, answering{200, jsonCT, `{"job_id":"job-1","status":"PAUSED"}`}, []string{"response.schema.enum"}},
		{"undocumented status", jobURL, answering{418, jsonCT, `{}`}, []string{"response.status"}},
		{"answer over the limit is not checked", jobURL, answering{200, jsonCT, `{"job_id":"` + strings.Repeat("x", 5000) + `"}`}, nil},
		{"other services are not checked", "https://iam.example.com/v3/auth/tokens", answering{201, jsonCT, `{"token":{}}`}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			var reported []string
			calls := 0
			tr := validate.NewTransport(e, c.answer, validate.WithResponseCheck(func(req *http.Request, resp *http.Response, r validate.Result) {
				calls++
				reported = []string{}
				for _, f := range r.Findings {
					reported = append(reported, f.Rule)
				}
			}))
			req, err := http.NewRequest("GET", c.url, nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("X-Auth-Token", token)
			resp, err := tr.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			if err != nil || string(body) != c.answer.body {
				t.Errorf("the caller read %q (%v), want the answer unchanged", body, err)
			}
			resp.Body.Close()
			if (c.want == nil) != (calls == 0) || calls > 1 || c.want != nil && !slices.Equal(reported, c.want) {
				t.Errorf("reported %d times: %q, want %q", calls, reported, c.want)
			}
		})
	}
}

// counting is a RoundTripper safe for concurrent use that checks each body.
type counting struct {
	want string
	sent atomic.Int32
	bad  atomic.Int32
}

func (c *counting) RoundTrip(req *http.Request) (*http.Response, error) {
	c.sent.Add(1)
	if b, err := io.ReadAll(req.Body); err != nil || string(b) != c.want {
		c.bad.Add(1)
	}
	return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Request: req}, nil
}

// TestTransportConcurrent: one transport serves many goroutines (run with
// -race); every valid request arrives whole, every invalid one is refused.
func TestTransportConcurrent(t *testing.T) {
	e, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	next := &counting{want: ecsCreate}
	tr := validate.NewTransport(e, next)
	var refused atomic.Int32
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			body := ecsCreate
			if i%2 == 1 {
				body = strings.Replace(ecsCreate, `"SSD"`, `"FAST"`, 1)
			}
			req, _ := http.NewRequest("POST", "https://ecs.example.com/v1.1/"+project+"/cloudservers", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Auth-Token", token)
			if _, err := tr.RoundTrip(req); err != nil {
				refused.Add(1)
			}
		})
	}
	wg.Wait()
	if next.sent.Load() != 8 || next.bad.Load() != 0 || refused.Load() != 8 {
		t.Errorf("sent %d (%d with a wrong body), refused %d; want 8, 0, 8", next.sent.Load(), next.bad.Load(), refused.Load())
	}
}

// TestRequestErrorHostilePath: a refused request's path, decoded from the
// URL, may hold line breaks and bidi controls (%0A, %E2%80%AE): the
// RequestError prints it escaped, on one line, and keeps it as it was.
func TestRequestErrorHostilePath(t *testing.T) {
	e, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	rt := validate.NewTransport(e, &recorder{})
	for _, url := range []string{
		"https://ecs.example.com/v1/bad%0A::error::x%E2%80%AE/jobs/job-1",           // a path parameter that breaks its pattern
		"https://ecs.example.com/v1/" + project + "/jobs/job-1/%0D%0A::error::x/..", // routes once cleaned: route.unknown
	} {
		req, err := http.NewRequest("GET", url, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Auth-Token", token)
		_, err = rt.RoundTrip(req)
		var re *validate.RequestError
		if !errors.As(err, &re) {
			t.Fatalf("%s: err = %v, want a *validate.RequestError", url, err)
		}
		if re.Path != req.URL.Path {
			t.Errorf("Path = %q, want %q", re.Path, req.URL.Path)
		}
		if msg := err.Error(); strings.ContainsAny(msg, "\r\n\u202e") {
			t.Errorf("Error() keeps a line break or bidi mark: %q", msg)
		}
	}
}

// TestTransportNoLimit: an engine built with the largest body limit there
// is (math.MaxInt, "no limit") still reads and forwards the whole body:
// reading one byte more than the limit must not overflow into reading
// nothing, which sent an empty body.
func TestTransportNoLimit(t *testing.T) {
	e, err := validate.New(validate.WithLimits(validate.Limits{MaxBodyBytes: math.MaxInt}))
	if err != nil {
		t.Fatal(err)
	}
	next := &recorder{}
	req, err := http.NewRequest("POST", "https://ecs.example.com/v1.1/"+project+"/cloudservers", strings.NewReader(ecsCreate))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = http.Header{"Content-Type": {"application/json"}, "X-Auth-Token": {token}}
	if _, err := validate.NewTransport(e, next).RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	if len(next.bodies) != 1 || string(next.bodies[0]) != ecsCreate {
		t.Fatalf("forwarded %q, want the body", next.bodies)
	}
}
