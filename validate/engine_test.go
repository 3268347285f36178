package validate_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

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
