package validate_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/hwspec/compute/httpfile"
	"github.com/hwspec/compute/validate"
)

// benchCase is one example request from spec/examples, found by title.
type benchCase struct {
	name, file, title string
}

// The seed pages' own examples, valid and invalid, plus a maximal request.
var benchCases = []benchCase{
	{name: "ecs-prepaid-keypair", file: "ecs/CreateServers.http", title: "Yearly/monthly with key pair and op_svc_userid"},
	{name: "ecs-maximal", file: "ecs/CreateServers.http", title: "Maximal: every optional field, pay-per-use spot servers"},
	{name: "ecs-seed2-invalid", file: "ecs/CreateServers.http", title: "Seed example 2: placeholder password $ADMIN_PASS"},
	{name: "ecs-five-defects-invalid", file: "ecs/CreateServers.http", title: "Five defects at once"},
	{name: "devserver-seed-2024", file: "devserver/CreateDevServer.http", title: "Seed example 2024: password login"},
	{name: "clouddc-maximal", file: "clouddc/CreateInstance.http", title: "Maximal: every optional field, on a chosen server with two NICs"},
}

func loadBenchRequest(b *testing.B, c benchCase) httpfile.Request {
	b.Helper()
	for _, r := range validate.SpecExamples(b) {
		if r.File == c.file && r.Title == c.title {
			return r.Request
		}
	}
	b.Fatalf("no request %q in %s", c.title, c.file)
	return httpfile.Request{}
}

// BenchmarkValidate measures the engine on each case against, in the same
// run, the baseline (encoding/json into map[string]any, the cost of merely
// reading the body) and kin-openapi's openapi3filter.ValidateRequest on the
// same spec. Compare the three with benchstat.
func BenchmarkValidate(b *testing.B) {
	e, err := validate.New()
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range benchCases {
		r := loadBenchRequest(b, c)
		req := validate.Request{Method: r.Method, Target: r.Target, Header: r.Header, Body: r.Body}
		res := e.Validate(req)
		if res.Operation == nil {
			b.Fatalf("%s: not routed", c.name)
		}
		b.Run("case="+c.name+"/impl=baseline", func(b *testing.B) {
			b.SetBytes(int64(len(r.Body)))
			for b.Loop() {
				var v map[string]any
				_ = json.Unmarshal(r.Body, &v)
			}
		})
		b.Run("case="+c.name+"/impl=engine", func(b *testing.B) {
			b.SetBytes(int64(len(r.Body)))
			for b.Loop() {
				e.Validate(req)
			}
		})
		b.Run("case="+c.name+"/impl=kin", func(b *testing.B) {
			route, input := kinSetup(b, res.Operation.API.Doc, r)
			b.SetBytes(int64(len(r.Body)))
			for b.Loop() {
				hr, _ := http.NewRequest(r.Method, "http://localhost"+r.Target, bytes.NewReader(r.Body))
				hr.Header = r.Header
				input.Request = hr
				_ = openapi3filter.ValidateRequest(context.Background(), input)
				_ = route
			}
		})
	}
}

// kinSetup builds kin-openapi's router and validation input once, outside
// the timer, with the same spec and format-free options.
func kinSetup(b *testing.B, doc *openapi3.T, r httpfile.Request) (*routers.Route, *openapi3filter.RequestValidationInput) {
	b.Helper()
	clone := *doc
	clone.Servers = nil // route on the path only, as the engine does
	router, err := gorillamux.NewRouter(&clone)
	if err != nil {
		b.Fatal(err)
	}
	hr, _ := http.NewRequest(r.Method, "http://localhost"+r.Target, bytes.NewReader(r.Body))
	hr.Header = r.Header
	route, params, err := router.FindRoute(hr)
	if err != nil {
		b.Fatal(err)
	}
	return route, &openapi3filter.RequestValidationInput{
		Route:      route,
		PathParams: params,
		Options: &openapi3filter.Options{
			MultiError:         true,
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		},
	}
}

// BenchmarkStartup is the cost of loading and compiling every spec: what
// the CLI pays once per run and a server once per process.
func BenchmarkStartup(b *testing.B) {
	for b.Loop() {
		if _, err := validate.New(); err != nil {
			b.Fatal(err)
		}
	}
}

// reportCPU reports the CPU time per operation and per finding since start
// (cpuTime): on a loaded machine these vary less than the wall time.
func reportCPU(b *testing.B, start time.Duration, findings int) {
	if start == 0 {
		return
	}
	per := float64(cpuTime()-start) / float64(b.N)
	b.ReportMetric(per, "cpu-ns/op")
	b.ReportMetric(per/float64(findings), "cpu-ns/finding")
}

// BenchmarkFindings measures bodies with 1,000 to 100,000 findings: N
// undeclared members, or N array items that break an enum (each a node
// kin-openapi would validate), against the baseline in the same run. The
// engine reports the first 100 findings and counts the rest; its cost per
// byte must stay flat as N grows (linear time). The body limit is raised
// so the largest bodies (1.9 and 3.8 MB) are validated at all; the issue's
// cases are members n=8000 and n=16000.
func BenchmarkFindings(b *testing.B) {
	e, err := validate.New(validate.WithLimits(validate.Limits{MaxBodyBytes: 8 << 20}))
	if err != nil {
		b.Fatal(err)
	}
	for _, kind := range []string{"members", "items"} {
		for _, n := range []int{1000, 8000, 10000, 16000, 100000} {
			if kind == "items" && (n == 8000 || n == 16000) {
				continue
			}
			body := validate.HostileBody(kind, n)
			res, err := e.ValidateBody("CreateServers", body)
			if err != nil || res.Valid() {
				b.Fatalf("%s n=%d: %v, valid %v", kind, n, err, res.Valid())
			}
			name := fmt.Sprintf("kind=%s/n=%d", kind, n)
			b.Run(name+"/impl=baseline", func(b *testing.B) {
				b.SetBytes(int64(len(body)))
				start := cpuTime()
				for b.Loop() {
					var v map[string]any
					_ = json.Unmarshal(body, &v)
				}
				reportCPU(b, start, n)
			})
			b.Run(name+"/impl=engine", func(b *testing.B) {
				b.SetBytes(int64(len(body)))
				start := cpuTime()
				for b.Loop() {
					_, _ = e.ValidateBody("CreateServers", body)
				}
				reportCPU(b, start, n)
			})
		}
	}
}
