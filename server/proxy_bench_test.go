package server

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// BenchmarkProxy measures an ECS create over loopback HTTP sent straight
// to a local server (path=direct) and through a validating proxy in front
// of it (path=proxy): what the proxy adds to a request, response check
// included.
func BenchmarkProxy(b *testing.B) {
	upstreamSrv, err := New(Config{Delays: &Delays{}})
	if err != nil {
		b.Fatal(err)
	}
	ups := httptest.NewServer(upstreamSrv.Handler())
	defer ups.Close()
	u, _ := url.Parse(ups.URL)
	proxySrv, err := New(Config{Proxy: &Proxy{Upstream: u}})
	if err != nil {
		b.Fatal(err)
	}
	pxs := httptest.NewServer(proxySrv.Handler())
	defer pxs.Close()
	body := []byte(validECSCreate)
	for _, path := range []struct{ name, base string }{{"direct", ups.URL}, {"proxy", pxs.URL}} {
		b.Run("path="+path.name, func(b *testing.B) {
			client := &http.Client{}
			target := path.base + "/v1.1/" + DefaultProject + "/cloudservers"
			for b.Loop() {
				req, _ := http.NewRequest(http.MethodPost, target, bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Auth-Token", DefaultToken)
				resp, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Fatalf("status %d", resp.StatusCode)
				}
			}
		})
	}
}
