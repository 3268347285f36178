//go:build unix

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/hwspec/compute/httpfile"
	"github.com/hwspec/compute/internal/fixture"
	"github.com/hwspec/compute/spec"
)

// corpusFiles is the number of small .http files BenchmarkFiles validates.
const corpusFiles = 3000

// writeCorpus writes n .http files of one request each, taken in turn from
// the examples under spec/examples (valid and invalid, 0-3.5 KB bodies).
func writeCorpus(b *testing.B, n int) string {
	b.Helper()
	var reqs []string
	for _, r := range fixture.Examples(b) {
		var s strings.Builder
		fmt.Fprintf(&s, "%s %s HTTP/1.1\n", r.Method, r.Target)
		for name, values := range r.Header {
			for _, v := range values {
				fmt.Fprintf(&s, "%s: %s\n", name, v)
			}
		}
		if len(r.Body) > 0 {
			fmt.Fprintf(&s, "\n%s\n", r.Body)
		}
		reqs = append(reqs, s.String())
	}
	dir := b.TempDir()
	for i := range n {
		sub := filepath.Join(dir, fmt.Sprintf("d%02d", i%30))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("r%04d.http", i)), []byte(reqs[i%len(reqs)]), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// BenchmarkFiles runs, in the same run, the CLI on 3,000 small .http files
// (in process: loading and compiling the specs, walking, reading, parsing,
// validating and writing the text report) and a plain loop of kin-openapi's
// openapi3filter.ValidateRequest over the same files (walking, reading,
// parsing the .http files with httpfile.Parse, routing, and validating
// parameters and body schema only: no named formats, no cross-field rules,
// no positions, no report). kin-openapi's specs and routers are loaded
// once, outside the timer; the CLI pays its start-up in every operation.
// Compare them with benchstat -col /impl.
func BenchmarkFiles(b *testing.B) {
	dir := writeCorpus(b, corpusFiles)
	b.Run(fmt.Sprintf("files=%d/impl=cli", corpusFiles), func(b *testing.B) {
		defer reportCPU(b)()
		for b.Loop() {
			if code := run([]string{dir}, strings.NewReader(""), io.Discard, io.Discard); code > 1 {
				b.Fatalf("exit %d", code)
			}
		}
	})
	b.Run(fmt.Sprintf("files=%d/impl=kin", corpusFiles), func(b *testing.B) {
		rs := kinRouters(b)
		defer reportCPU(b)()
		for b.Loop() {
			if n := kinLoop(b, rs, dir); n < corpusFiles {
				b.Fatalf("validated %d requests", n)
			}
		}
	})
}

// reportCPU reports the process's CPU time (user and system) per
// operation as cpu-ms/op: on a shared machine it varies less than the
// elapsed time, and it counts the work of every goroutine.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// kinRouters loads the specs into kin-openapi, one router per API.
func kinRouters(b *testing.B) []routers.Router {
	var rs []routers.Router
	for _, name := range spec.APIs() {
		data, err := spec.Document(name)
		if err != nil {
			b.Fatal(err)
		}
		doc, err := openapi3.NewLoader().LoadFromData(data)
		if err != nil {
			b.Fatal(err)
		}
		doc.Servers = nil // route on the path only, as the engine does
		r, err := gorillamux.NewRouter(doc)
		if err != nil {
			b.Fatal(err)
		}
		rs = append(rs, r)
	}
	return rs
}

// kinLoop validates every request under dir with kin-openapi and returns
// how many it validated.
func kinLoop(b *testing.B, rs []routers.Router, dir string) int {
	opts := &openapi3filter.Options{MultiError: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		reqs, err := httpfile.Parse(data)
		if err != nil {
			return err
		}
		for _, r := range reqs {
			hr, err := http.NewRequest(r.Method, "http://localhost"+r.Target, bytes.NewReader(r.Body))
			if err != nil {
				continue
			}
			hr.Header = r.Header
			for _, router := range rs {
				route, params, err := router.FindRoute(hr)
				if err != nil {
					continue
				}
				_ = openapi3filter.ValidateRequest(context.Background(), &openapi3filter.RequestValidationInput{Request: hr, PathParams: params, Route: route, Options: opts})
				break
			}
			n++
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return n
}
