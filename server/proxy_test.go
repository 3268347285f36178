package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hwspec/compute/aksk"
)

// validECSCreate and invalidECSCreate are ECS create bodies; the invalid
// one has a name with a space.
const (
	validECSCreate   = `{"server":{"imageRef":"67f433d8-ed0e-4321-a8a2-a71838539e09","flavorRef":"s6.small.1","name":"web","vpcid":"2a6f4aa6-d93e-45f5-a8cb-b030dbf8cd68","nics":[{"subnet_id":"ef039b60-6a14-42d1-963b-687b627fea08"}],"root_volume":{"volumetype":"SSD"},"count":1}}`
	invalidECSCreate = `{"server":{"imageRef":"67f433d8-ed0e-4321-a8a2-a71838539e09","flavorRef":"s6.small.1","name":"web 1","vpcid":"2a6f4aa6-d93e-45f5-a8cb-b030dbf8cd68","nics":[{"subnet_id":"ef039b60-6a14-42d1-963b-687b627fea08"}],"root_volume":{"volumetype":"SSD"},"count":1}}`
)

// upstream is a handler behind the proxy that records what reaches it.
type upstream struct {
	next http.Handler
	mu   sync.Mutex
	seen []seenRequest
}

type seenRequest struct {
	method, path, host string
	header             http.Header
	body               string
}

func (u *upstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	u.mu.Lock()
	u.seen = append(u.seen, seenRequest{r.Method, r.URL.RequestURI(), r.Host, r.Header.Clone(), string(body)})
	u.mu.Unlock()
	r.Body = io.NopCloser(bytes.NewReader(body))
	u.next.ServeHTTP(w, r)
}

func (u *upstream) requests() []seenRequest {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]seenRequest(nil), u.seen...)
}

// localUpstream is a second local server (simulation mode) behind a
// recording handler.
func localUpstream(t *testing.T) (*upstream, *httptest.Server) {
	t.Helper()
	srv, err := New(Config{
		Delays: &Delays{},
		Tokens: map[string]string{tokenA: projectA},
		Keys:   map[string]Key{"AKEXAMPLE": {Secret: "SKEXAMPLE", Project: projectA}},
	})
	if err != nil {
		t.Fatal(err)
	}
	up := &upstream{next: srv.Handler()}
	hs := httptest.NewServer(up)
	t.Cleanup(hs.Close)
	return up, hs
}

// proxyTo starts a proxy in front of upstreamURL; its JSON log goes to the
// returned buffer.
func proxyTo(t *testing.T, upstreamURL string, p Proxy) (*httptest.Server, *syncBuffer) {
	t.Helper()
	hs, logs, _ := proxyServer(t, upstreamURL, p)
	return hs, logs
}

// proxyServer is proxyTo that returns the proxy's Server too, for the tests
// that wait for its drift checks (srv.proxy.settle()).
func proxyServer(t *testing.T, upstreamURL string, p Proxy) (*httptest.Server, *syncBuffer, *Server) {
	t.Helper()
	u, err := url.Parse(upstreamURL)
	if err != nil {
		t.Fatal(err)
	}
	p.Upstream = u
	logs := &syncBuffer{}
	srv, err := New(Config{Proxy: &p, Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return hs, logs, srv
}

// logLines returns the log lines whose msg is msg, decoded.
func logLines(t *testing.T, logs *syncBuffer, msg string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		if m["msg"] == msg {
			out = append(out, m)
		}
	}
	return out
}

// TestProxyForwardsValidRefusesInvalid: a valid create reaches the
// upstream unchanged and its answer comes back; an invalid one is answered
// in the service's format and never reaches the upstream.
func TestProxyForwardsValidRefusesInvalid(t *testing.T) {
	up, ups := localUpstream(t)
	px, logs := proxyTo(t, ups.URL, Proxy{})
	path := "/v1.1/" + projectA + "/cloudservers"
	header := map[string]string{"Content-Type": "application/json", "X-Auth-Token": tokenA, "X-Custom": "kept"}

	status, h, body := rawRequest(t, "POST", px.URL+path, header, validECSCreate)
	if status != http.StatusOK || !strings.Contains(body, `"job_id"`) {
		t.Fatalf("valid create: %d %s", status, body)
	}
	if got := h.Values("X-Request-Id"); len(got) != 1 {
		t.Errorf("X-Request-Id %q: want the upstream's only", got)
	}
	seen := up.requests()
	if len(seen) != 1 {
		t.Fatalf("upstream saw %d requests, want 1", len(seen))
	}
	r := seen[0]
	if r.method != "POST" || r.path != path || r.body != validECSCreate || r.header.Get("X-Auth-Token") != tokenA || r.header.Get("X-Custom") != "kept" {
		t.Errorf("forwarded request changed: %+v", r)
	}
	if want := strings.TrimPrefix(ups.URL, "http://"); r.host != want {
		t.Errorf("Host %q, want the upstream's %q", r.host, want)
	}

	for _, tc := range []struct {
		name, method, path, body string
		header                   map[string]string
		status                   int
		want                     string
	}{
		{"invalid body", "POST", path, invalidECSCreate, header, 400, `"code":"Ecs.0005"`},
		{"no credentials", "POST", path, validECSCreate, map[string]string{"Content-Type": "application/json"}, 401, `"code":"APIGW.0301"`},
		{"unknown path", "GET", "/v1/" + projectA + "/volumes", "", header, 404, `"error_code":"ModelArts.6309"`},
		{"oversized body", "POST", path, `{"server":{"name":"` + strings.Repeat("a", 2<<20) + `"}}`, header, 413, `"code":"Ecs.0005"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := rawRequest(t, tc.method, px.URL+tc.path, tc.header, tc.body)
			if status != tc.status || !strings.Contains(body, tc.want) {
				t.Errorf("%d %s, want %d with %s", status, body, tc.status, tc.want)
			}
		})
	}
	if n := len(up.requests()); n != 1 {
		t.Errorf("upstream saw %d requests, want only the valid one", n)
	}
	refused := logLines(t, logs, "invalid request refused")
	if len(refused) == 0 || refused[0]["operation"] != "CreateServers" || !strings.Contains(logs.String(), `"schema.pattern"`) {
		t.Errorf("refusal not logged with its operation and rules: %s", logs.String())
	}
	if strings.Contains(logs.String(), tokenA) {
		t.Error("the log holds the token")
	}
}

// TestProxyAKSKPassesThrough: a request signed without a Host header (as
// the official Go SDK signs) verifies at the upstream through the proxy.
func TestProxyAKSKPassesThrough(t *testing.T) {
	up, ups := localUpstream(t)
	px, _ := proxyTo(t, ups.URL, Proxy{})
	req, err := http.NewRequest("POST", px.URL+"/v1.1/"+projectA+"/cloudservers", strings.NewReader(validECSCreate))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	aksk.Sign(req, []byte(validECSCreate), "AKEXAMPLE", "SKEXAMPLE", time.Now())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || len(up.requests()) != 1 {
		t.Fatalf("signed create through the proxy: %d %s", resp.StatusCode, body)
	}
	if got := up.requests()[0].header.Get("Authorization"); got != req.Header.Get("Authorization") {
		t.Errorf("Authorization changed on the way")
	}
}

// TestProxyUpstreamFailures: an upstream that is down is 502, one that
// does not answer within the timeout 504, both in the service's format.
func TestProxyUpstreamFailures(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(slow.Close)
	t.Cleanup(func() { close(release) })
	header := map[string]string{"Content-Type": "application/json", "X-Auth-Token": tokenA}
	for _, tc := range []struct {
		name     string
		upstream string
		timeout  time.Duration
		status   int
		want     string
	}{
		{"down", closed.URL, 0, http.StatusBadGateway, `{"error":{"code":"Ecs.9999","message":"the upstream service could not be reached`},
		{"slow", slow.URL, 50 * time.Millisecond, http.StatusGatewayTimeout, `{"error":{"code":"Ecs.9999","message":"the upstream service did not answer within 50ms"}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			px, logs := proxyTo(t, tc.upstream, Proxy{Timeout: tc.timeout})
			status, h, body := rawRequest(t, "POST", px.URL+"/v1.1/"+projectA+"/cloudservers", header, validECSCreate)
			if status != tc.status || !strings.Contains(body, tc.want) || h.Get("X-Request-Id") == "" {
				t.Errorf("%d %s (X-Request-Id %q), want %d with %s", status, body, h.Get("X-Request-Id"), tc.status, tc.want)
			}
			if len(logLines(t, logs, "upstream failed")) != 1 {
				t.Errorf("the failure is not logged: %s", logs.String())
			}
		})
	}
}

// TestNewRefusesBadProxy: an unusable upstream or timeout is a
// ConfigError.
func TestNewRefusesBadProxy(t *testing.T) {
	u := func(s string) *url.URL {
		v, err := url.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"no upstream", Config{Proxy: &Proxy{}}, "upstream none"},
		{"ftp", Config{Proxy: &Proxy{Upstream: u("ftp://example.com")}}, "want an http or https URL"},
		{"no host", Config{Proxy: &Proxy{Upstream: u("http:///x")}}, "want an http or https URL"},
		{"user", Config{Proxy: &Proxy{Upstream: u("https://me:pw@example.com")}}, "https://me:xxxxx@example.com"},
		{"negative timeout", Config{Proxy: &Proxy{Upstream: u("https://example.com"), Timeout: -1}}, "must not be negative"},
		{"timeout over write timeout", Config{Proxy: &Proxy{Upstream: u("https://example.com"), Timeout: 30 * time.Second}}, "shorter than the write timeout"},
		{"faults", Config{Proxy: &Proxy{Upstream: u("https://example.com")}, Faults: []Fault{{Operation: "CreateServers", Status: 500}}}, "injects no faults"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.cfg)
			var ce *ConfigError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want a ConfigError with %q", err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), "pw") {
				t.Errorf("the error shows the password: %v", err)
			}
		})
	}
}

// TestProxyReportOnly: an invalid request is forwarded (the upstream sees
// it unchanged and answers it) and logged as a JSON line with its
// operation and rules, never with the token.
func TestProxyReportOnly(t *testing.T) {
	up, ups := localUpstream(t)
	px, logs := proxyTo(t, ups.URL, Proxy{ReportOnly: true})
	header := map[string]string{"Content-Type": "application/json", "X-Auth-Token": tokenA}
	status, _, body := rawRequest(t, "POST", px.URL+"/v1.1/"+projectA+"/cloudservers", header, invalidECSCreate)
	// The upstream (a local server) refuses it itself.
	if status != http.StatusBadRequest || !strings.Contains(body, `"code":"Ecs.0005"`) {
		t.Fatalf("%d %s", status, body)
	}
	seen := up.requests()
	if len(seen) != 1 || seen[0].body != invalidECSCreate {
		t.Fatalf("upstream saw %+v, want the invalid request unchanged", seen)
	}
	lines := logLines(t, logs, "invalid request forwarded (report-only)")
	if len(lines) != 1 {
		t.Fatalf("want one report-only line: %s", logs.String())
	}
	l := lines[0]
	if l["operation"] != "CreateServers" || !strings.Contains(fmt.Sprint(l["rules"]), "schema.pattern") || !strings.Contains(fmt.Sprint(l["findings"]), "/server/name") {
		t.Errorf("line %v lacks the operation, rule or pointer", l)
	}
	if len(logLines(t, logs, "invalid request refused")) != 0 || strings.Contains(logs.String(), tokenA) {
		t.Errorf("refused, or the token logged: %s", logs.String())
	}
}

// TestProxyResponseDrift: an upstream answer that breaks the response
// schema, or has a status the operation does not document, reaches the
// client unchanged and is logged as spec drift; a conforming answer (with a
// member the spec does not declare) is not, nor an undocumented 304 or
// redirect (the engine's response.redirect warning).
func TestProxyResponseDrift(t *testing.T) {
	type upstreamAnswer struct {
		status int
		body   string
	}
	answer := make(chan upstreamAnswer, 1)
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := <-answer
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(a.status)
		_, _ = io.WriteString(w, a.body)
	}))
	t.Cleanup(fake.Close)
	px, logs, srv := proxyServer(t, fake.URL, Proxy{})
	header := map[string]string{"Content-Type": "application/json", "X-Auth-Token": tokenA}
	for _, tc := range []struct {
		name   string
		status int
		answer string
		drift  string // a rule the drift line names; "" for none
	}{
		{"conforming, extra member", http.StatusOK, `{"job_id":"70a599e0-31e7-49b7-b260-868f441e862b","serverIds":["d69b3955-b0c0-401c-993f-66787d76dbee"],"new_member":1}`, ""},
		{"wrong type", http.StatusOK, `{"job_id":5}`, "response.schema.type"},
		{"not JSON", http.StatusOK, `{"job_id":`, "response.json.syntax"},
		{"undocumented status", http.StatusTeapot, `{}`, "response.status"},
		{"undocumented 304", http.StatusNotModified, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(logLines(t, logs, "spec drift"))
			answer <- upstreamAnswer{tc.status, tc.answer}
			status, _, body := rawRequest(t, "POST", px.URL+"/v1.1/"+projectA+"/cloudservers", header, validECSCreate)
			if status != tc.status || body != tc.answer {
				t.Errorf("client got %d %q, want the upstream's answer unchanged", status, body)
			}
			srv.proxy.settle()
			lines := logLines(t, logs, "spec drift")[before:]
			if tc.drift == "" {
				if len(lines) != 0 {
					t.Errorf("drift logged for a conforming answer: %v", lines)
				}
				return
			}
			if len(lines) != 1 {
				t.Fatalf("want one drift line: %s", logs.String())
			}
			l := lines[0]
			if l["operation"] != "CreateServers" || l["status"] != float64(tc.status) || !strings.Contains(fmt.Sprint(l["rules"]), tc.drift) {
				t.Errorf("drift line %v, want operation, status and %s", l, tc.drift)
			}
		})
	}
}

// TestProxyDriftGzip: a gzip-encoded answer is checked decoded, and passed
// on still encoded.
func TestProxyDriftGzip(t *testing.T) {
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	_, _ = io.WriteString(zw, `{"job_id":5}`)
	_ = zw.Close()
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(zipped.Bytes())
	}))
	t.Cleanup(fake.Close)
	px, logs, srv := proxyServer(t, fake.URL, Proxy{})
	req, _ := http.NewRequest("POST", px.URL+"/v1.1/"+projectA+"/cloudservers", strings.NewReader(validECSCreate))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Auth-Token", tokenA)
	req.Header.Set("Accept-Encoding", "gzip") // so that the client does not decode
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if !bytes.Equal(got, zipped.Bytes()) {
		t.Errorf("the client got %q, want the gzip bytes unchanged", got)
	}
	srv.proxy.settle()
	lines := logLines(t, logs, "spec drift")
	if len(lines) != 1 || !strings.Contains(fmt.Sprint(lines[0]["rules"]), "response.schema.type") {
		t.Errorf("want one drift line with response.schema.type: %s", logs.String())
	}
}

// signingProxy is a proxy in front of a local upstream that accepts only
// the key AKUP:SKUP; the proxy signs with it and accepts its own clients'
// tokenB and AKCLIENT:SKCLIENT, both for projectA.
func signingProxy(t *testing.T) (*upstream, *httptest.Server) {
	t.Helper()
	srv, err := New(Config{Delays: &Delays{}, Tokens: map[string]string{"upstream-only": projectB}, Keys: map[string]Key{"AKUP": {Secret: "SKUP", Project: projectA}}})
	if err != nil {
		t.Fatal(err)
	}
	up := &upstream{next: srv.Handler()}
	ups := httptest.NewServer(up)
	t.Cleanup(ups.Close)
	u, _ := url.Parse(ups.URL)
	px, err := New(Config{
		Tokens: map[string]string{tokenB: projectA},
		Keys:   map[string]Key{"AKCLIENT": {Secret: "SKCLIENT", Project: projectA}},
		Proxy:  &Proxy{Upstream: u, AccessKey: "AKUP", SecretKey: "SKUP"},
	})
	if err != nil {
		t.Fatal(err)
	}
	pxs := httptest.NewServer(px.Handler())
	t.Cleanup(pxs.Close)
	return up, pxs
}

// signedCreate sends a valid ECS create to base, signed with ak/sk; with
// signHost, the signature covers the Host header (as the Node.js SDK's
// does).
func signedCreate(t *testing.T, base, ak, sk string, signHost bool) (int, string) {
	t.Helper()
	req, err := http.NewRequest("POST", base+"/v1.1/"+projectA+"/cloudservers", strings.NewReader(validECSCreate))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if signHost {
		req.Header.Set("Host", req.URL.Host) // Sign signs a Host it finds in the header
	}
	aksk.Sign(req, []byte(validECSCreate), ak, sk, time.Now())
	if signHost && !strings.Contains(req.Header.Get("Authorization"), "SignedHeaders=host;") {
		t.Fatalf("host not signed: %s", req.Header.Get("Authorization"))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestProxyHostSignedWithoutUpstreamKey: a signature over the proxy's
// Host, passed through unchanged, does not verify at the upstream: the
// case -upstream-key exists for.
func TestProxyHostSignedWithoutUpstreamKey(t *testing.T) {
	_, ups := localUpstream(t)
	px, _ := proxyTo(t, ups.URL, Proxy{})
	if status, body := signedCreate(t, px.URL, "AKEXAMPLE", "SKEXAMPLE", true); status != http.StatusUnauthorized {
		t.Errorf("%d %s, want 401 from the upstream", status, body)
	}
	if status, body := signedCreate(t, px.URL, "AKEXAMPLE", "SKEXAMPLE", false); status != http.StatusOK {
		t.Errorf("without host: %d %s, want 200", status, body)
	}
}

// TestProxyResigns: with an upstream key, the proxy authenticates its
// client (token, AK/SK with or without host), then forwards the request
// signed with its own key and without the client's credentials.
func TestProxyResigns(t *testing.T) {
	for _, tc := range []struct {
		name string
		send func(t *testing.T, base string) (int, string)
	}{
		{"token", func(t *testing.T, base string) (int, string) {
			status, _, body := rawRequest(t, "POST", base+"/v1.1/"+projectA+"/cloudservers", map[string]string{"Content-Type": "application/json", "X-Auth-Token": tokenB}, validECSCreate)
			return status, body
		}},
		{"AK/SK, no host (Go SDK)", func(t *testing.T, base string) (int, string) {
			return signedCreate(t, base, "AKCLIENT", "SKCLIENT", false)
		}},
		{"AK/SK over host (Node.js SDK)", func(t *testing.T, base string) (int, string) {
			return signedCreate(t, base, "AKCLIENT", "SKCLIENT", true)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			up, px := signingProxy(t)
			if status, body := tc.send(t, px.URL); status != http.StatusOK || !strings.Contains(body, `"job_id"`) {
				t.Fatalf("%d %s", status, body)
			}
			seen := up.requests()
			if len(seen) != 1 {
				t.Fatalf("upstream saw %d requests", len(seen))
			}
			h := seen[0].header
			if !strings.Contains(h.Get("Authorization"), "Access=AKUP,") || h.Get("X-Auth-Token") != "" || seen[0].body != validECSCreate {
				t.Errorf("forwarded with Authorization %q, X-Auth-Token %q, body %q", h.Get("Authorization"), h.Get("X-Auth-Token"), seen[0].body)
			}
		})
	}
}

// TestProxyIsNoOpenRelay: with an upstream key, a request the proxy cannot
// authenticate, or one for a project its credentials are not for, is
// refused and reaches no upstream; a proxy with a key and no client
// credentials is refused at New.
func TestProxyIsNoOpenRelay(t *testing.T) {
	up, px := signingProxy(t)
	path := "/v1.1/" + projectA + "/cloudservers"
	for _, tc := range []struct {
		name   string
		path   string
		header map[string]string
		status int
	}{
		{"no credentials", path, map[string]string{"Content-Type": "application/json"}, 401},
		{"unknown token", path, map[string]string{"Content-Type": "application/json", "X-Auth-Token": "nope"}, 401},
		{"the default token", path, map[string]string{"Content-Type": "application/json", "X-Auth-Token": DefaultToken}, 401},
		{"the upstream's own token", path, map[string]string{"Content-Type": "application/json", "X-Auth-Token": "upstream-only"}, 401},
		{"another project", "/v1.1/" + projectB + "/cloudservers", map[string]string{"Content-Type": "application/json", "X-Auth-Token": tokenB}, 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if status, _, body := rawRequest(t, "POST", px.URL+tc.path, tc.header, validECSCreate); status != tc.status {
				t.Errorf("%d %s, want %d", status, body, tc.status)
			}
		})
	}
	if status, body := signedCreate(t, px.URL, "AKUP", "SKWRONG", false); status != http.StatusUnauthorized {
		t.Errorf("bad signature: %d %s", status, body)
	}
	if n := len(up.requests()); n != 0 {
		t.Errorf("the upstream saw %d requests, want none", n)
	}
	u, _ := url.Parse("https://example.com")
	for _, cfg := range []Config{
		{Proxy: &Proxy{Upstream: u, AccessKey: "AK", SecretKey: "SK"}},
		{Proxy: &Proxy{Upstream: u, AccessKey: "AK"}},
	} {
		var ce *ConfigError
		if _, err := New(cfg); !errors.As(err, &ce) {
			t.Errorf("%+v: got %v, want a ConfigError", *cfg.Proxy, err)
		}
	}
	// Keys only: the default token must not be accepted.
	keysOnly, err := New(Config{Keys: map[string]Key{"AKCLIENT": {Secret: "SKCLIENT", Project: projectA}}, Proxy: &Proxy{Upstream: u, AccessKey: "AK", SecretKey: "SK"}})
	if err != nil {
		t.Fatal(err)
	}
	ks := httptest.NewServer(keysOnly.Handler())
	defer ks.Close()
	if status, _, _ := rawRequest(t, "POST", ks.URL+path, map[string]string{"Content-Type": "application/json", "X-Auth-Token": DefaultToken}, validECSCreate); status != http.StatusUnauthorized {
		t.Errorf("keys-only proxy accepted the default token: %d", status)
	}
}

// TestProxyMetrics: /metrics counts, per operation, the requests
// validated, refused (invalid, unauthenticated, unknown path) and
// forwarded, and the answers that drifted, in the Prometheus text format.
func TestProxyMetrics(t *testing.T) {
	answer := `{"job_id":5}` // drift
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, answer)
	}))
	t.Cleanup(fake.Close)
	px, _, srv := proxyServer(t, fake.URL, Proxy{})
	path := "/v1.1/" + projectA + "/cloudservers"
	header := map[string]string{"Content-Type": "application/json", "X-Auth-Token": tokenA}
	rawRequest(t, "POST", px.URL+path, header, validECSCreate)
	rawRequest(t, "POST", px.URL+path, header, validECSCreate)
	rawRequest(t, "POST", px.URL+path, header, invalidECSCreate)
	rawRequest(t, "POST", px.URL+path, map[string]string{"Content-Type": "application/json"}, validECSCreate)
	rawRequest(t, "GET", px.URL+"/v3/auth/tokens", header, "")
	srv.proxy.settle()
	status, h, body := rawRequest(t, "GET", px.URL+"/metrics", nil, "")
	if status != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") {
		t.Fatalf("/metrics: %d %s", status, h.Get("Content-Type"))
	}
	for _, want := range []string{
		`hwspec_proxy_validated_total{operation="CreateServers"} 4`,
		`hwspec_proxy_validated_total{operation=""} 1`,
		`hwspec_proxy_forwarded_total{operation="CreateServers"} 2`,
		`hwspec_proxy_refused_total{operation="CreateServers"} 2`,
		`hwspec_proxy_refused_total{operation=""} 1`,
		`hwspec_proxy_drifted_total{operation="CreateServers"} 2`,
		`# HELP hwspec_proxy_drifted_total`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(body)
	}
}

// blockingLog is a JSON log handler whose "spec drift" records first call
// onDrift: the tests below hold a drift check with it.
type blockingLog struct {
	slog.Handler
	onDrift func()
}

func (h blockingLog) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == "spec drift" {
		h.onDrift()
	}
	return h.Handler.Handle(ctx, r)
}

func (h blockingLog) WithAttrs(as []slog.Attr) slog.Handler {
	return blockingLog{h.Handler.WithAttrs(as), h.onDrift}
}

func (h blockingLog) WithGroup(name string) slog.Handler {
	return blockingLog{h.Handler.WithGroup(name), h.onDrift}
}

// driftingProxy is a proxy in front of an upstream whose every answer is
// drift, logging through onDrift.
func driftingProxy(t *testing.T, onDrift func()) (*httptest.Server, *syncBuffer, *Server) {
	t.Helper()
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"job_id":5}`)
	}))
	t.Cleanup(fake.Close)
	u, _ := url.Parse(fake.URL)
	logs := &syncBuffer{}
	srv, err := New(Config{Proxy: &Proxy{Upstream: u}, Logger: slog.New(blockingLog{slog.NewJSONHandler(logs, nil), onDrift})})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return hs, logs, srv
}

// TestProxyChecksAfterAnswering: the drift check does not hold the answer
// back; the client has it whole while the check is still running. (Before,
// the check ran between the upstream's answer and the client's, so a held
// check held the answer: onDrift's bound ran out and the test failed.)
func TestProxyChecksAfterAnswering(t *testing.T) {
	answered := make(chan struct{})
	var heldAnswer bool
	px, logs, srv := driftingProxy(t, func() {
		select {
		case <-answered:
		case <-time.After(5 * time.Second): // only a broken proxy waits this long
			heldAnswer = true
		}
	})
	header := map[string]string{"Content-Type": "application/json", "X-Auth-Token": tokenA}
	status, _, body := rawRequest(t, "POST", px.URL+"/v1.1/"+projectA+"/cloudservers", header, validECSCreate)
	close(answered)
	srv.proxy.settle()
	if status != http.StatusOK || body != `{"job_id":5}` {
		t.Errorf("client got %d %q", status, body)
	}
	if heldAnswer {
		t.Error("the drift check ran before the client had the answer")
	}
	if n := len(logLines(t, logs, "spec drift")); n != 1 {
		t.Errorf("%d drift lines, want 1: %s", n, logs.String())
	}
}

// TestProxyChecksInlineWhenBusy: when as many checks as the bound allows
// run in the background, the next one runs on its request's goroutine, so
// that no goroutine is started beyond the bound and the check is not
// skipped: its line is logged before the client has the answer.
func TestProxyChecksInlineWhenBusy(t *testing.T) {
	px, logs, srv := driftingProxy(t, func() {})
	for range cap(srv.proxy.checking) { // the background checks are all taken
		srv.proxy.checking <- struct{}{}
	}
	header := map[string]string{"Content-Type": "application/json", "X-Auth-Token": tokenA}
	status, _, _ := rawRequest(t, "POST", px.URL+"/v1.1/"+projectA+"/cloudservers", header, validECSCreate)
	if n := len(logLines(t, logs, "spec drift")); status != http.StatusOK || n != 1 {
		t.Errorf("status %d, %d drift lines before the answer, want 200 and 1: %s", status, n, logs.String())
	}
	for range cap(srv.proxy.checking) {
		<-srv.proxy.checking
	}
}

// TestAnswerBodyKeeps: the body the drift check gets is the bytes passed
// on, whatever their length and the reads' sizes: all of a body of at most
// limit bytes, limit+1 of a longer one (so that it is found too large),
// and the client reads every byte either way.
func TestAnswerBodyKeeps(t *testing.T) {
	const limit = 100
	for _, tc := range []struct {
		name         string
		size         int
		knownLength  bool
		readSize     int
		wantKept     int
		wantTooLarge bool
	}{
		{"known length, one read", 60, true, 4096, 60, false},
		{"known length, small reads", 60, true, 7, 60, false},
		{"unknown length, small reads", 60, false, 7, 60, false},
		{"unknown length, exactly the limit", limit, false, 9, limit, false},
		{"unknown length, over the limit", 3 * limit, false, 16, limit + 1, true},
		{"empty", 0, true, 10, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := bytes.Repeat([]byte("0123456789"), tc.size/10+1)[:tc.size]
			a := &answer{limit: limit}
			if tc.knownLength {
				a.head = make([]byte, 0, tc.size) // as keepAnswer does
			}
			body := &answerBody{io.NopCloser(bytes.NewReader(src)), a}
			var passed bytes.Buffer
			buf := make([]byte, tc.readSize)
			for {
				n, err := body.Read(buf)
				passed.Write(buf[:n])
				if err != nil {
					break
				}
			}
			if !bytes.Equal(passed.Bytes(), src) {
				t.Errorf("passed on %d bytes, want the %d of the body", passed.Len(), len(src))
			}
			if got := a.body(); !bytes.Equal(got, src[:tc.wantKept]) || a.size != tc.wantKept {
				t.Errorf("kept %d bytes (size %d), want the body's first %d", len(got), a.size, tc.wantKept)
			}
			if tooLarge := a.size > a.limit; tooLarge != tc.wantTooLarge || !errors.Is(a.end, io.EOF) {
				t.Errorf("too large %v, end %v; want %v, EOF", tooLarge, a.end, tc.wantTooLarge)
			}
		})
	}
}

// TestProxyDriftChunked: an answer of unknown length (chunked, in pieces)
// is checked whole.
func TestProxyDriftChunked(t *testing.T) {
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		for _, piece := range []string{`{"job_id"`, `:`, `5}`} {
			_, _ = io.WriteString(w, piece)
			w.(http.Flusher).Flush()
		}
	}))
	t.Cleanup(fake.Close)
	px, logs, srv := proxyServer(t, fake.URL, Proxy{})
	header := map[string]string{"Content-Type": "application/json", "X-Auth-Token": tokenA}
	status, _, body := rawRequest(t, "POST", px.URL+"/v1.1/"+projectA+"/cloudservers", header, validECSCreate)
	srv.proxy.settle()
	if status != http.StatusOK || body != `{"job_id":5}` {
		t.Errorf("client got %d %q", status, body)
	}
	lines := logLines(t, logs, "spec drift")
	if len(lines) != 1 || !strings.Contains(fmt.Sprint(lines[0]["rules"]), "response.schema.type") {
		t.Errorf("want one drift line with response.schema.type: %s", logs.String())
	}
}

// TestProxyReportOnlyOversized: report-only forwards invalid requests, but
// never a body over the limit, which the proxy has read only in part: it
// is answered 413 and the upstream sees nothing.
func TestProxyReportOnlyOversized(t *testing.T) {
	up, ups := localUpstream(t)
	px, _ := proxyTo(t, ups.URL, Proxy{ReportOnly: true})
	header := map[string]string{"Content-Type": "application/json", "X-Auth-Token": tokenA}
	big := `{"server":{"name":"` + strings.Repeat("a", 2<<20) + `"}}`
	status, _, body := rawRequest(t, "POST", px.URL+"/v1.1/"+projectA+"/cloudservers", header, big)
	if status != http.StatusRequestEntityTooLarge || !strings.Contains(body, "body.size") {
		t.Fatalf("%d %.300s, want 413 body.size", status, body)
	}
	if seen := up.requests(); len(seen) != 0 {
		t.Fatalf("upstream saw %d requests, want none", len(seen))
	}
}
