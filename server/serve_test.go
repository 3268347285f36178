package server

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
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
	go func() { done <- srv.Serve(ctx, ln, time.Second) }()
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

// serve runs srv on a loopback port until the test ends. It returns the
// address, a function that ends the serving context, and one that waits
// for Serve's result (at most hangGuard).
func serve(t *testing.T, srv *Server, grace time.Duration) (addr string, stop context.CancelFunc, wait func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	finished := make(chan struct{})
	var result error
	go func() {
		result = srv.Serve(ctx, ln, grace)
		close(finished)
	}()
	wait = func() error {
		select {
		case <-finished:
			return result
		case <-time.After(hangGuard):
			t.Fatal("Serve did not return")
			return nil
		}
	}
	t.Cleanup(func() {
		cancel()
		<-finished
	})
	return ln.Addr().String(), cancel, wait
}

// hangGuard is how long a test waits for something that must happen: far
// longer than the small timeouts the tests configure, so it only catches
// a hang and measures nothing.
const hangGuard = 20 * time.Second

// dial opens a connection whose reads give up after hangGuard.
func dial(t *testing.T, addr string) (net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetReadDeadline(time.Now().Add(hangGuard))
	return conn, bufio.NewReader(conn)
}

// slowCreate starts a CloudDC create that announces a 1,000,000-byte body
// and sends one byte of it. It returns once the server's handler is reading the body (it
// answered the Expect: 100-continue), so the request is surely in flight.
func slowCreate(t *testing.T, conn net.Conn, br *bufio.Reader) {
	t.Helper()
	fmt.Fprintf(conn, "POST /v1/%s/instances HTTP/1.1\r\nHost: x\r\nX-Auth-Token: %s\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\nExpect: 100-continue\r\n\r\n",
		DefaultProject, DefaultToken)
	line, err := br.ReadString('\n')
	if err != nil || !strings.Contains(line, "100 Continue") {
		t.Fatalf("want 100 Continue, got %q %v", line, err)
	}
	if _, err := br.ReadString('\n'); err != nil { // the blank line after it
		t.Fatal(err)
	}
	fmt.Fprint(conn, "{")
}

// closedByServer reads what is left on conn and fails the test if the
// server did not close the connection (the read hit the hang guard).
func closedByServer(t *testing.T, what string, br *bufio.Reader) string {
	t.Helper()
	rest, err := io.ReadAll(br)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("%s: the connection is still open after %s", what, hangGuard)
	}
	return string(rest)
}

// TestTrickledBodyIsCutOff: a body that stops coming is cut off by the
// read timeout; before, the connection stayed open for as long as the
// client kept it.
func TestTrickledBodyIsCutOff(t *testing.T) {
	srv, err := New(Config{Delays: &Delays{}, HTTP: HTTPLimits{ReadTimeout: 200 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	addr, _, _ := serve(t, srv, time.Second)
	conn, br := dial(t, addr)
	slowCreate(t, conn, br)
	stop := make(chan struct{})
	defer close(stop)
	go func() { // one more byte now and then, until the server gives up
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if _, err := conn.Write([]byte(" ")); err != nil {
					return
				}
			}
		}
	}()
	if rest := closedByServer(t, "a trickled body", br); rest != "" && !strings.HasPrefix(rest, "HTTP/1.1 400") {
		t.Errorf("answer to a cut-off body: %q", rest)
	}
}

// TestIdleConnectionsAreClosed: a keep-alive connection with no next
// request is closed by the idle timeout.
func TestIdleConnectionsAreClosed(t *testing.T) {
	srv, err := New(Config{Delays: &Delays{}, HTTP: HTTPLimits{IdleTimeout: 200 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	addr, _, _ := serve(t, srv, time.Second)
	conn, br := dial(t, addr)
	fmt.Fprint(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != http.StatusOK || resp.Close {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	io.Copy(io.Discard, resp.Body)
	if rest := closedByServer(t, "an idle keep-alive connection", br); rest != "" {
		t.Errorf("unexpected bytes: %q", rest)
	}
}

// TestHeaderLimit: headers beyond MaxHeaderBytes (plus net/http's 4 KiB
// of slack) are answered 431; before, up to 1 MiB was read.
func TestHeaderLimit(t *testing.T) {
	srv, err := New(Config{Delays: &Delays{}, HTTP: HTTPLimits{MaxHeaderBytes: 1024}})
	if err != nil {
		t.Fatal(err)
	}
	addr, _, _ := serve(t, srv, time.Second)
	for _, tc := range []struct {
		size int
		want int
	}{{100, http.StatusOK}, {16 << 10, http.StatusRequestHeaderFieldsTooLarge}} {
		req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/healthz", nil)
		req.Header.Set("X-Padding", strings.Repeat("a", tc.size))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("%d-byte header: status %d, want %d", tc.size, resp.StatusCode, tc.want)
		}
	}
}

// TestFaultDelayOutlastsWriteTimeout: an injected delay longer than the
// write timeout still delivers its answer, because the delay is added to
// the request's deadlines. (The fault answers by itself after the delay, so
// little work remains after it; still, the answer must be written within
// the write timeout after the delay, so that timeout is seconds long: a
// loaded machine has stalled this process for 1.5 s.)
func TestFaultDelayOutlastsWriteTimeout(t *testing.T) {
	srv, err := New(Config{Delays: &Delays{},
		HTTP:   HTTPLimits{ReadTimeout: 3 * time.Second, WriteTimeout: 3 * time.Second},
		Faults: []Fault{{Operation: "ShowJob", Status: http.StatusServiceUnavailable, Delay: 4 * time.Second}}})
	if err != nil {
		t.Fatal(err)
	}
	addr, _, _ := serve(t, srv, time.Second)
	status, _, body := rawRequest(t, "GET", "http://"+addr+"/v1/"+DefaultProject+"/jobs/abc",
		map[string]string{"X-Auth-Token": DefaultToken}, "")
	if status != http.StatusServiceUnavailable || !strings.Contains(body, "injected fault") {
		t.Fatalf("delayed fault: %d %s", status, body)
	}
}

// TestShutdownCutsOffASlowClient: when the context ends with a request
// still in flight, Serve waits the grace period, closes the
// connection and returns nil. Before, it returned the context's deadline
// error (and the command exited 1).
func TestShutdownCutsOffASlowClient(t *testing.T) {
	var logs syncBuffer
	srv, err := New(Config{Delays: &Delays{}, HTTP: HTTPLimits{ReadTimeout: time.Hour},
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	addr, stop, wait := serve(t, srv, 100*time.Millisecond)
	conn, br := dial(t, addr)
	slowCreate(t, conn, br)
	stop()
	if err := wait(); err != nil {
		t.Fatalf("Serve returned %v after cutting off a slow client", err)
	}
	closedByServer(t, "a request in flight at the end of the grace period", br)
	if !strings.Contains(logs.String(), "grace period over") {
		t.Errorf("no warning in the log: %s", logs.String())
	}
}

// TestNewRefusesLimits: negative limits are a *ConfigError.
func TestNewRefusesLimits(t *testing.T) {
	for _, cfg := range []Config{
		{HTTP: HTTPLimits{ReadTimeout: -1}},
		{HTTP: HTTPLimits{ReadHeaderTimeout: -1}},
		{HTTP: HTTPLimits{WriteTimeout: -time.Second}},
		{HTTP: HTTPLimits{IdleTimeout: -1}},
		{HTTP: HTTPLimits{MaxHeaderBytes: -1}},
		{Retention: -time.Minute},
		{Delays: &Delays{Create: -1}},
	} {
		_, err := New(cfg)
		var ce *ConfigError
		if !errors.As(err, &ce) {
			t.Errorf("%+v: err %v, want a *ConfigError", cfg, err)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for a logger and a test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
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
