package server

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestServeShutsDownGracefully starts the server on a loopback port,
// answers a request, and stops when its context ends.
func TestServeShutsDownGracefully(t *testing.T) {
	srv, err := New(Config{Delays: &Delays{}})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.ServeListener(ctx, ln, time.Second) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz: %v", err)
	}
	resp.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve returned %v after shutdown", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after its context ended")
	}
}

// BenchmarkCreateServers measures an ECS create over loopback HTTP with and
// without the validation middleware: what validation adds to a request.
func BenchmarkCreateServers(b *testing.B) {
	body := []byte(`{"server":{"imageRef":"67f433d8-ed0e-4321-a8a2-a71838539e09","flavorRef":"s6.small.1","name":"web","vpcid":"2a6f4aa6-d93e-45f5-a8cb-b030dbf8cd68","nics":[{"subnet_id":"ef039b60-6a14-42d1-963b-687b627fea08"}],"root_volume":{"volumetype":"SSD"},"count":2,"extendparam":{"chargingMode":"prePaid","periodType":"month","periodNum":1},"key_name":"k","metadata":{"op_svc_userid":"u"}}}`)
	for _, mode := range []struct {
		name string
		skip bool
	}{{"validation=on", false}, {"validation=off", true}} {
		srv, err := New(Config{Delays: &Delays{}, SkipValidation: mode.skip})
		if err != nil {
			b.Fatal(err)
		}
		hs := httptest.NewServer(srv.Handler())
		url := hs.URL + "/v1.1/" + DefaultProject + "/cloudservers"
		send := func(client *http.Client) {
			req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
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
		b.Run(mode.name+"/sequential", func(b *testing.B) {
			client := &http.Client{}
			for b.Loop() {
				send(client)
			}
		})
		b.Run(mode.name+"/parallel", func(b *testing.B) {
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					send(client)
				}
			})
		})
		hs.Close()
	}
}
