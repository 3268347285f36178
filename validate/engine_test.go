package validate_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hwspec/compute/httpfile"
	"github.com/hwspec/compute/validate"
)

// exampleRequests reads every request of spec/examples: valid ones, and
// invalid ones of every rule.
func exampleRequests(t *testing.T) []validate.Request {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "spec", "examples", "*", "*.http"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	var reqs []validate.Request
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		parsed, err := httpfile.Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, r := range parsed {
			reqs = append(reqs, validate.Request{Method: r.Method, Target: r.Target, Header: r.Header, Body: r.Body})
		}
	}
	return reqs
}

// TestEngineConcurrentUse: one engine, validating the examples from several
// goroutines at once, gives each request the result it gives alone (and,
// under -race, shares no unsynchronized state).
func TestEngineConcurrentUse(t *testing.T) {
	e, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	reqs := exampleRequests(t)
	want := make([]validate.Result, len(reqs))
	for i, r := range reqs {
		want[i] = e.Validate(r)
	}
	const workers = 8
	var wg sync.WaitGroup
	errs := make(chan string, workers)
	for w := range workers {
		wg.Go(func() {
			for k := range reqs {
				i := (k + w*len(reqs)/workers) % len(reqs) // each worker starts elsewhere
				got := e.Validate(reqs[i])
				if !reflect.DeepEqual(got.Findings, want[i].Findings) || got.Operation != want[i].Operation {
					errs <- reqs[i].Method + " " + reqs[i].Target
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for target := range errs {
		t.Errorf("%s: a different result under concurrent use", target)
	}
}

// TestWithLimits: the engine enforces the body size and depth it was built
// with, and Limits reports them; zero fields keep their defaults.
func TestWithLimits(t *testing.T) {
	e, err := validate.New(validate.WithLimits(validate.Limits{MaxBodyBytes: 300, MaxDepth: 3}))
	if err != nil {
		t.Fatal(err)
	}
	if l := e.Limits(); l.MaxBodyBytes != 300 || l.MaxDepth != 3 || l.MaxFindings != validate.DefaultLimits.MaxFindings {
		t.Fatalf("Limits() = %+v", l)
	}
	const target = "/v1.1/0123456789abcdef0123456789abcdef/cloudservers"
	header := map[string][]string{"X-Auth-Token": {"t"}, "Content-Type": {"application/json"}}
	for _, tc := range []struct {
		body, rule string
	}{
		{`{"server":` + strings.Repeat(" ", 300) + `{}}`, validate.BodySizeRule},
		{`{"server":{"nics":[{"x":{}}]}}`, validate.JSONDepthRule},
	} {
		res := e.Validate(validate.Request{Method: "POST", Target: target, Header: header, Body: []byte(tc.body)})
		if len(res.Findings) == 0 || res.Findings[len(res.Findings)-1].Rule != tc.rule {
			t.Errorf("%.40s: %v, want %s", tc.body, res.Findings, tc.rule)
		}
	}
}

// TestRequestNow: one engine validates at the instant a request names
// (Request.Now), on the quick path and kin-openapi's alike, and at its own
// clock when the request names none.
func TestRequestNow(t *testing.T) {
	clock := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	e, err := validate.New(validate.WithClock(func() time.Time { return clock }))
	if err != nil {
		t.Fatal(err)
	}
	body := func(at string, extra string) []byte {
		return []byte(`{"server":{"imageRef":"67f433d8-ed0e-4321-a8a2-a71838539e09","flavorRef":"s6.small.1","name":"web-01",
			"vpcid":"2a6f4aa6-d93e-45f5-a8cb-b030dbf8cd68","nics":[{"subnet_id":"ef039b60-6a14-42d1-963b-687b627fea08"}],
			"root_volume":{"volumetype":"SSD"},"auto_terminate_time":"` + at + `"` + extra + `}}`)
	}
	const rule = "format.ecs-auto-terminate-time"
	nov23 := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		now   time.Time
		body  []byte
		valid bool
	}{
		{"inside the window at Now", nov23, body("2027-01-01T00:00:00Z", ""), true},
		{"20 minutes after Now", nov23, body("2026-11-23T00:20:00Z", ""), false},
		{"more than 3 years after the engine's clock", time.Time{}, body("2027-01-01T00:00:00Z", ""), false},
		{"inside the window of the engine's clock", time.Time{}, body("2020-06-01T00:00:00Z", ""), true},
		// A value the quick check refuses at Now is described by kin-openapi,
		// which must check it at Now too (at the engine's clock it is valid).
		{"in the past at Now, inside the engine clock's window", nov23, body("2020-06-01T00:00:00Z", ""), false},
		{"inside the window at Now, kin-openapi path", nov23, body("2027-01-01T00:00:00Z", `,"count":0`), true},
		{"20 minutes after Now, kin-openapi path", nov23, body("2026-11-23T00:20:00Z", `,"count":0`), false},
	} {
		res := e.Validate(validate.Request{Method: "POST", Target: "/v1.1/0123456789abcdef0123456789abcdef/cloudservers",
			Header: map[string][]string{"X-Auth-Token": {"t"}, "Content-Type": {"application/json"}}, Body: tc.body, Now: tc.now})
		got := true
		for _, f := range res.Findings {
			if f.Rule == rule {
				got = false
			}
		}
		if got != tc.valid {
			t.Errorf("%s: auto_terminate_time valid = %v, want %v: %v", tc.name, got, tc.valid, res.Findings)
		}
	}
}
