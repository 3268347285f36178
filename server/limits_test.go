package server

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hwspec/compute/aksk"
	"github.com/hwspec/compute/internal/fixture"
	"github.com/hwspec/compute/validate"
)

// TestBodyLimitsFollowTheEngine: the server reads bodies up to the limit of
// its engine (Config.Engine, else a default one), for token and AK/SK
// requests alike, and answers a larger body 413, never 401: an oversized
// signed body is refused for its size, not for a signature the server
// could not check. Both 413s carry the engine's body.size message, with
// the body's size from its Content-Length.
func TestBodyLimitsFollowTheEngine(t *testing.T) {
	small, err := validate.New(validate.WithLimits(validate.Limits{MaxBodyBytes: 256, MaxDepth: 64}))
	if err != nil {
		t.Fatal(err)
	}
	large, err := validate.New(validate.WithLimits(validate.Limits{MaxBodyBytes: 4 << 20, MaxDepth: 64}))
	if err != nil {
		t.Fatal(err)
	}
	create := mustJSON(t, fixture.ECSCreate(1))
	pad := func(n int) string { return create + strings.Repeat(" ", n-len(create)) } // valid JSON of n bytes
	for _, tc := range []struct {
		name   string
		engine *validate.Engine
		aksk   bool
		size   int
		status int
	}{
		{"default engine, token, 1 MiB", nil, false, 1 << 20, http.StatusOK},
		{"default engine, token, over 1 MiB", nil, false, 1<<20 + 1, http.StatusRequestEntityTooLarge},
		{"default engine, AK/SK, 1 MiB", nil, true, 1 << 20, http.StatusOK},
		{"default engine, AK/SK, over 1 MiB", nil, true, 1<<20 + 1, http.StatusRequestEntityTooLarge},
		{"4 MiB engine, token, 2 MiB", large, false, 2 << 20, http.StatusOK},
		{"4 MiB engine, AK/SK, 2 MiB", large, true, 2 << 20, http.StatusOK},
		{"256 B engine, token, 257 B", small, false, 257, http.StatusRequestEntityTooLarge},
		{"256 B engine, AK/SK, 257 B", small, true, 257, http.StatusRequestEntityTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if len(create) > tc.size {
				t.Fatalf("the fixture has %d bytes, more than %d", len(create), tc.size)
			}
			clock := NewManualClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
			srv, err := New(Config{Delays: &Delays{}, Engine: tc.engine, Now: clock.Now,
				Tokens: map[string]string{tokenA: projectA},
				Keys:   map[string]Key{testAK: {Secret: testSK, Project: projectA}}})
			if err != nil {
				t.Fatal(err)
			}
			hs := httptest.NewServer(srv.Handler())
			defer hs.Close()
			s := newSigned(t, "POST", hs.URL+"/v1.1/"+projectA+"/cloudservers", pad(tc.size), clock.Now(), nil)
			if !tc.aksk {
				s.req.Header.Del("Authorization")
				s.req.Header.Set("X-Auth-Token", tokenA)
			} else if !strings.HasPrefix(s.req.Header.Get("Authorization"), aksk.Algorithm) {
				t.Fatal("not signed")
			}
			status, body := s.send(t)
			if status != tc.status {
				t.Fatalf("status %d, want %d: %.200s", status, tc.status, body)
			}
			if status == http.StatusRequestEntityTooLarge {
				limit := validate.DefaultLimits.MaxBodyBytes
				if tc.engine != nil {
					limit = tc.engine.Limits().MaxBodyBytes
				}
				want := fmt.Sprintf("body: the body has %d bytes, more than the limit of %d [body.size]", tc.size, limit)
				if !strings.Contains(body, want) {
					t.Fatalf("the answer lacks %q: %.300s", want, body)
				}
			}
		})
	}
}
