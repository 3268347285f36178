package server

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"testing"
	"time"
)

// benchUpstreamLatency is the fixed time the slow upstream of the proxy
// benchmarks takes before it answers a create: a stand-in for the real
// service, deliberately low (less than a same-region round trip with TLS),
// since the added latency is compared against it.
const benchUpstreamLatency = 5 * time.Millisecond

// BenchmarkProxy measures one ECS create at a time over loopback HTTP, sent
// to a local server with zero simulated delays:
//
//   - path=direct: straight to it;
//   - path=reverseproxy: through a plain httputil.ReverseProxy with the
//     proxy's transport and buffer pool and no validation, the cost of a
//     second HTTP hop;
//   - path=proxy: through the validating proxy (request validation,
//     counters, the forwarded request, the answer's drift check).
//
// upstream=0s answers at once; upstream=5ms (benchUpstreamLatency) waits
// that long first, so that the added latency can be read against a create
// that takes time, as the real service's does.
func BenchmarkProxy(b *testing.B) {
	for _, latency := range []time.Duration{0, benchUpstreamLatency} {
		b.Run("upstream="+latency.String(), func(b *testing.B) {
			for _, p := range proxyBenchPaths(b, latency) {
				b.Run("path="+p.name, func(b *testing.B) {
					client := &http.Client{Transport: benchClientTransport()}
					defer reportCPU(b)()
					for b.Loop() {
						if err := benchCreate(client, p.url); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// BenchmarkProxyParallel is BenchmarkProxy's upstream=0s with 8 clients
// per CPU at once: ns/op is the inverse of the throughput, and the proxy's
// connection reuse under concurrency shows.
func BenchmarkProxyParallel(b *testing.B) {
	for _, p := range proxyBenchPaths(b, 0) {
		b.Run("path="+p.name, func(b *testing.B) {
			client := &http.Client{Transport: benchClientTransport()}
			b.SetParallelism(8)
			defer reportCPU(b)()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := benchCreate(client, p.url); err != nil {
						b.Error(err) // not Fatal: this is not the benchmark's goroutine
						return
					}
				}
			})
		})
	}
}

// reportCPU, deferred, reports the process's CPU time per operation
// (client, proxies and upstream together: they share the process) as
// cpu-ns/op. On a machine shared with other work it varies much less than
// the wall time, so that it tells a change in what the proxy spends from
// a neighbour's burst.
func reportCPU(b *testing.B) func() {
	start, ok := processCPU()
	return func() {
		end, ok2 := processCPU()
		if ok && ok2 && b.N > 0 {
			b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

// benchPath is a benchmark's way to the upstream: the URL of an ECS create.
type benchPath struct{ name, url string }

// proxyBenchPaths starts a local server (zero simulated delays, answering
// after latency), a plain reverse proxy and a validating proxy in front of
// it, and returns the create URL of each.
func proxyBenchPaths(b *testing.B, latency time.Duration) []benchPath {
	b.Helper()
	upstreamSrv, err := New(Config{Delays: &Delays{}})
	if err != nil {
		b.Fatal(err)
	}
	var h http.Handler = upstreamSrv.Handler()
	if latency > 0 {
		next := h
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(latency)
			next.ServeHTTP(w, r)
		})
	}
	ups := httptest.NewServer(h)
	b.Cleanup(ups.Close)
	u, _ := url.Parse(ups.URL)
	plain := httptest.NewServer(&httputil.ReverseProxy{
		Rewrite:    func(pr *httputil.ProxyRequest) { pr.SetURL(u) },
		Transport:  newUpstreamTransport(),
		BufferPool: &bufferPool{},
	})
	b.Cleanup(plain.Close)
	proxySrv, err := New(Config{Proxy: &Proxy{Upstream: u}})
	if err != nil {
		b.Fatal(err)
	}
	pxs := httptest.NewServer(proxySrv.Handler())
	b.Cleanup(pxs.Close)
	path := "/v1.1/" + DefaultProject + "/cloudservers"
	return []benchPath{{"direct", ups.URL + path}, {"reverseproxy", plain.URL + path}, {"proxy", pxs.URL + path}}
}

// benchClientTransport keeps enough idle connections for
// BenchmarkProxyParallel's clients, so that the client side reuses its
// connections on every path.
func benchClientTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return t
}

// benchCreate sends one valid ECS create and reads its answer whole.
func benchCreate(client *http.Client, target string) error {
	req, _ := http.NewRequest(http.MethodPost, target, bytes.NewReader([]byte(validECSCreate)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Auth-Token", DefaultToken)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

// BenchmarkProxyLargeAnswer is BenchmarkProxy's upstream=0s with an
// upstream that answers every create with a conforming 256 KiB body (a
// job id and 7000 server ids), where the drift check's place shows: on
// the answer's way it adds the whole check to the client's wait.
func BenchmarkProxyLargeAnswer(b *testing.B) {
	var body bytes.Buffer
	body.WriteString(`{"job_id":"70a599e0-31e7-49b7-b260-868f441e862b","serverIds":[`)
	for i := range 7000 {
		if i > 0 {
			body.WriteByte(',')
		}
		fmt.Fprintf(&body, `"d69b3955-b0c0-401c-993f-%012d"`, i)
	}
	body.WriteString(`]}`)
	answer := body.Bytes()
	ups := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(answer)
	}))
	b.Cleanup(ups.Close)
	u, _ := url.Parse(ups.URL)
	proxySrv, err := New(Config{Proxy: &Proxy{Upstream: u}})
	if err != nil {
		b.Fatal(err)
	}
	pxs := httptest.NewServer(proxySrv.Handler())
	b.Cleanup(pxs.Close)
	path := "/v1.1/" + DefaultProject + "/cloudservers"
	for _, p := range []benchPath{{"direct", ups.URL + path}, {"proxy", pxs.URL + path}} {
		b.Run("path="+p.name, func(b *testing.B) {
			client := &http.Client{Transport: benchClientTransport()}
			defer reportCPU(b)()
			for b.Loop() {
				if err := benchCreate(client, p.url); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
