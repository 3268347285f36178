package server

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hwspec/compute/aksk"
	"github.com/hwspec/compute/internal/fixture"
)

const (
	testAK = "AKEXAMPLE"
	testSK = "SKEXAMPLE"
)

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func sha256Hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// signedRequest is an AK/SK-signed request to the test server, built
// step by step so that a test can tamper with it as an attacker would.
type signedRequest struct {
	req  *http.Request
	body string
}

// newSigned signs method url body with testAK at the instant at, after
// edit (if any) has set headers to be signed.
func newSigned(t testing.TB, method, url, body string, at time.Time, edit func(*http.Request)) *signedRequest {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if edit != nil {
		edit(req)
	}
	aksk.Sign(req, []byte(body), testAK, testSK, at)
	return &signedRequest{req: req, body: body}
}

// signOver replaces the Authorization header by one over the
// SignedHeaders list given verbatim, with a correct HMAC under testSK.
func (s *signedRequest) signOver(list string) {
	mac := hmac.New(sha256.New, []byte(testSK))
	mac.Write([]byte(aksk.StringToSign(s.req, []byte(s.body), strings.Split(list, ";"))))
	s.req.Header.Set("Authorization", fmt.Sprintf("%s Access=%s, SignedHeaders=%s, Signature=%x", aksk.Algorithm, testAK, list, mac.Sum(nil)))
}

// send sends the request with its (possibly swapped) body.
func (s *signedRequest) send(t testing.TB) (int, string) {
	t.Helper()
	s.req.Body = io.NopCloser(strings.NewReader(s.body))
	s.req.ContentLength = int64(len(s.body))
	resp, err := http.DefaultClient.Do(s.req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// devServers counts projectA's DevServers.
func devServers(t testing.TB, url string) int {
	t.Helper()
	status, _, body := rawRequest(t, "GET", url+"/v1/"+projectA+"/dev-servers", map[string]string{"X-Auth-Token": tokenA}, "")
	var list struct {
		Servers []json.RawMessage `json:"servers"`
	}
	if err := json.Unmarshal([]byte(body), &list); status != http.StatusOK || err != nil {
		t.Fatalf("listing DevServers: %d %v %s", status, err, body)
	}
	return len(list.Servers)
}

// TestAKSKAttacks replays issue #11's body swap and its relatives end to
// end: each tampered request is refused with 401 and creates nothing.
func TestAKSKAttacks(t *testing.T) {
	hs, clock, srv := testServer(t, Delays{})
	ecsURL := hs.URL + "/v1.1/" + projectA + "/cloudservers"
	devURL := hs.URL + "/v1/" + projectA + "/dev-servers"
	ecs2, ecs50 := mustJSON(t, fixture.ECSCreate(2)), mustJSON(t, fixture.ECSCreate(50))
	dev, devSwapped := mustJSON(t, fixture.DevServerCreate("dev-1")), mustJSON(t, fixture.DevServerCreate("attacker"))
	setHash := func(v string) func(*http.Request) {
		return func(r *http.Request) { r.Header.Set(aksk.ContentHashHeader, v) }
	}
	tests := []struct {
		name   string
		build  func(t *testing.T) *signedRequest
		status int
	}{
		{"ECS create signed, as sent", func(t *testing.T) *signedRequest {
			return newSigned(t, "POST", ecsURL, ecs2, clock.Now(), nil)
		}, http.StatusOK},
		{"ECS create with the body swapped to count 50 and an unsigned X-Sdk-Content-Sha256", func(t *testing.T) *signedRequest {
			s := newSigned(t, "POST", ecsURL, ecs2, clock.Now(), nil)
			s.req.Header.Set(aksk.ContentHashHeader, sha256Hex(ecs2))
			s.body = ecs50
			return s
		}, http.StatusUnauthorized},
		{"ECS create with the body swapped, no X-Sdk-Content-Sha256", func(t *testing.T) *signedRequest {
			s := newSigned(t, "POST", ecsURL, ecs2, clock.Now(), nil)
			s.body = ecs50
			return s
		}, http.StatusUnauthorized},
		{"ECS create with a signed X-Sdk-Content-Sha256 that does not match the body", func(t *testing.T) *signedRequest {
			s := newSigned(t, "POST", ecsURL, ecs2, clock.Now(), setHash(sha256Hex(ecs2)))
			s.body = ecs50
			return s
		}, http.StatusUnauthorized},
		{"ECS create signed with UNSIGNED-PAYLOAD", func(t *testing.T) *signedRequest {
			return newSigned(t, "POST", ecsURL, ecs50, clock.Now(), setHash(aksk.UnsignedPayload))
		}, http.StatusUnauthorized},
		{"DevServer create with the body swapped and an unsigned X-Sdk-Content-Sha256", func(t *testing.T) *signedRequest {
			s := newSigned(t, "POST", devURL, dev, clock.Now(), nil)
			s.req.Header.Set(aksk.ContentHashHeader, sha256Hex(dev))
			s.body = devSwapped
			return s
		}, http.StatusUnauthorized},
		{"x-sdk-date missing from SignedHeaders", func(t *testing.T) *signedRequest {
			s := newSigned(t, "POST", ecsURL, ecs2, clock.Now(), nil)
			s.signOver("host")
			return s
		}, http.StatusUnauthorized},
		{"a signed header absent from the request", func(t *testing.T) *signedRequest {
			s := newSigned(t, "POST", ecsURL, ecs2, clock.Now(), nil)
			s.signOver("x-client-token;x-sdk-date")
			return s
		}, http.StatusUnauthorized},
		{"a signed header sent twice", func(t *testing.T) *signedRequest {
			s := newSigned(t, "POST", ecsURL, ecs2, clock.Now(), func(r *http.Request) { r.Header.Set("X-Client-Token", "46436810-d999-454c-bd85-e515fd258600") })
			s.req.Header.Add("X-Client-Token", "f1b1dca4-4bc1-4a5b-b9a4-6a0b0f7e5e63")
			return s
		}, http.StatusUnauthorized},
		{"path re-segmented with an encoded slash", func(t *testing.T) *signedRequest {
			s := newSigned(t, "POST", hs.URL+"/v1/"+projectA+"/dev-servers", dev, clock.Now(), nil)
			s.req.URL.RawPath = "/v1/" + projectA + "%2Fdev-servers"
			return s
		}, http.StatusUnauthorized},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			jobs, devs := srv.Jobs(projectA), devServers(t, hs.URL)
			status, body := tc.build(t).send(t)
			if status != tc.status {
				t.Fatalf("status %d, want %d: %.200s", status, tc.status, body)
			}
			if status == http.StatusOK {
				return
			}
			if got := srv.Jobs(projectA); got != jobs {
				t.Errorf("a refused request created ECS jobs: %d, then %d", jobs, got)
			}
			if got := devServers(t, hs.URL); got != devs {
				t.Errorf("a refused request created DevServers: %d, then %d", devs, got)
			}
		})
	}
}

// TestAuthFailuresLookAlike sends every kind of failed authentication to
// each service and requires one answer per service, whatever the reason,
// with the reason in the log and no secret or signature there.
func TestAuthFailuresLookAlike(t *testing.T) {
	var logs bytes.Buffer
	clock := NewManualClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	srv, err := New(Config{
		Delays: &Delays{},
		Tokens: map[string]string{tokenA: projectA},
		Keys:   map[string]Key{testAK: {Secret: testSK, Project: projectA}},
		Now:    clock.Now,
		Logger: slog.New(slog.NewJSONHandler(&logs, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	ecs := mustJSON(t, fixture.ECSCreate(1))
	targets := []struct{ method, path, body string }{
		{"POST", "/v1.1/" + projectA + "/cloudservers", ecs},
		{"GET", "/v1/" + projectA + "/dev-servers", ""},
		{"DELETE", "/v1/" + projectA + "/instances/0198170e-4ca7-7ee4-89a7-fa631843920b", ""},
	}
	var signatures []string
	failures := []struct {
		name, reason string // reason: what the log must say
		tamper       func(s *signedRequest)
	}{
		{"unknown access key", "unknown access key", func(s *signedRequest) {
			s.req.Header.Set("Authorization", strings.Replace(s.req.Header.Get("Authorization"), testAK, "AKUNKNOWN", 1))
		}},
		{"stale date", "X-Sdk-Date", func(s *signedRequest) {
			*s = *newSigned(t, s.req.Method, s.req.URL.String(), s.body, clock.Now().Add(-16*time.Minute), nil)
		}},
		{"date missing", "lacks x-sdk-date", func(s *signedRequest) {
			s.req.Header.Del(aksk.DateHeader)
			s.signOver("host")
		}},
		{"bad signature", "signature does not match", func(s *signedRequest) {
			a := s.req.Header.Get("Authorization")
			s.req.Header.Set("Authorization", a[:len(a)-4]+"0000")
		}},
		{"malformed header", "malformed", func(s *signedRequest) {
			s.req.Header.Set("Authorization", aksk.Algorithm+" Access="+testAK)
		}},
		{"huge Authorization header", "longer than", func(s *signedRequest) {
			s.req.Header.Set("Authorization", strings.Replace(s.req.Header.Get("Authorization"), "Access=", strings.Repeat(" ", 100<<10)+"Access=", 1))
		}},
		{"two Authorization headers", "2 Authorization headers", func(s *signedRequest) {
			s.req.Header.Add("Authorization", s.req.Header.Get("Authorization"))
		}},
		{"unknown token", "unknown X-Auth-Token", func(s *signedRequest) {
			s.req.Header.Del("Authorization")
			s.req.Header.Set("X-Auth-Token", "secret-token-nope")
		}},
		{"no credentials", "no X-Auth-Token", func(s *signedRequest) { s.req.Header.Del("Authorization") }},
	}
	for _, target := range targets {
		t.Run(target.method+" "+target.path, func(t *testing.T) {
			var first string
			for _, f := range failures {
				logs.Reset()
				s := newSigned(t, target.method, hs.URL+target.path, target.body, clock.Now(), nil)
				f.tamper(s)
				if _, sig, ok := strings.Cut(s.req.Header.Get("Authorization"), "Signature="); ok {
					signatures = append(signatures, sig)
				}
				status, body := s.send(t)
				if status != http.StatusUnauthorized {
					t.Fatalf("%s: status %d: %s", f.name, status, body)
				}
				if first == "" {
					first = body
				} else if body != first {
					t.Errorf("%s answers\n%s\nunlike the others:\n%s", f.name, body, first)
				}
				if !strings.Contains(logs.String(), f.reason) {
					t.Errorf("%s: the log lacks %q: %s", f.name, f.reason, logs.String())
				}
				for _, secret := range append([]string{testSK, "secret-token-nope"}, signatures...) {
					if len(secret) > 4 && strings.Contains(logs.String(), secret) {
						t.Errorf("%s: the log contains %q", f.name, secret)
					}
				}
			}
		})
	}
}

// TestAKSKAccepted covers what the server accepts on purpose: header
// names in any case (HTTP names are case-insensitive; the signature binds
// the lower-case names), and a replay inside the 15-minute window, as the
// cloud does.
func TestAKSKAccepted(t *testing.T) {
	hs, clock, srv := testServer(t, Delays{})
	body := mustJSON(t, fixture.ECSCreate(1))
	url := hs.URL + "/v1.1/" + projectA + "/cloudservers"
	tests := []struct {
		name  string
		sends func(t *testing.T) []*signedRequest
		jobs  int // ECS jobs the sends create
	}{
		{"header names in lower and upper case on the wire", func(t *testing.T) []*signedRequest {
			s := newSigned(t, "POST", url, body, clock.Now(), nil)
			h := http.Header{}
			for k, v := range s.req.Header {
				name := strings.ToLower(k)
				if k == "Authorization" {
					name = strings.ToUpper(k)
				}
				h[name] = v // kept as written: Go sends map keys verbatim
			}
			s.req.Header = h
			return []*signedRequest{s}
		}, 1},
		{"a replay 14 minutes later", func(t *testing.T) []*signedRequest {
			s := newSigned(t, "POST", url, body, clock.Now().Add(-14*time.Minute), nil)
			r := *s
			r.req = s.req.Clone(s.req.Context())
			return []*signedRequest{s, &r}
		}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := srv.Jobs(projectA)
			for i, s := range tc.sends(t) {
				if status, b := s.send(t); status != http.StatusOK {
					t.Fatalf("send %d: %d %s", i+1, status, b)
				}
			}
			if got := srv.Jobs(projectA) - before; got != tc.jobs {
				t.Fatalf("%d jobs created, want %d", got, tc.jobs)
			}
		})
	}
}
