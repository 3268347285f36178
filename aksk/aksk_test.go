package aksk

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

var at = time.Date(2024, 12, 19, 8, 0, 0, 0, time.UTC)

func newRequest(t *testing.T, method, url, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return req
}

func secrets(ak string) (string, bool) {
	if ak == "AKEXAMPLE" {
		return "SKEXAMPLE", true
	}
	return "", false
}

func TestCanonicalRequest(t *testing.T) {
	req := newRequest(t, "GET", "https://ecs.example.com/v1/p%20q/jobs/j?b=2&a=x y&a=1", "")
	req.Header.Set(DateHeader, "20241219T080000Z")
	got := CanonicalRequest(req, nil, []string{"host", "x-sdk-date"})
	want := "GET\n" +
		"/v1/p%20q/jobs/j/\n" +
		"a=1&a=x%20y&b=2\n" +
		"host:ecs.example.com\n" +
		"x-sdk-date:20241219T080000Z\n" +
		"\n" +
		"host;x-sdk-date\n" +
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	if got != want {
		t.Fatalf("canonical request:\n%s\nwant:\n%s", got, want)
	}
}

func TestSignVerify(t *testing.T) {
	body := `{"server":{"name":"web"}}`
	req := newRequest(t, "POST", "https://ecs.example.com/v1.1/p/cloudservers", body)
	req.Header.Set("X-Client-Token", "46436810-d999-454c-bd85-e515fd258600")
	Sign(req, []byte(body), "AKEXAMPLE", "SKEXAMPLE", at)
	auth := req.Header.Get("Authorization")
	if !strings.HasPrefix(auth, "SDK-HMAC-SHA256 Access=AKEXAMPLE, SignedHeaders=x-client-token;x-sdk-date, Signature=") {
		t.Fatalf("Authorization = %q", auth)
	}
	if ak, err := Verify(req, []byte(body), secrets, at.Add(time.Minute), 15*time.Minute); err != nil || ak != "AKEXAMPLE" {
		t.Fatalf("Verify = %q, %v", ak, err)
	}
	tests := []struct {
		name   string
		change func(r *http.Request) []byte
		want   error
	}{
		{"body changed", func(r *http.Request) []byte { return []byte(`{"server":{"name":"web2"}}`) }, ErrBadSignature},
		{"path changed", func(r *http.Request) []byte { r.URL.Path = "/v1.1/q/cloudservers"; return []byte(body) }, ErrBadSignature},
		{"signed header changed", func(r *http.Request) []byte { r.Header.Set("X-Client-Token", "other"); return []byte(body) }, ErrBadSignature},
		{"unsigned header added", func(r *http.Request) []byte { r.Header.Set("X-Other", "x"); return []byte(body) }, nil},
		{"unknown key", func(r *http.Request) []byte {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "AKEXAMPLE", "AKOTHER", 1))
			return []byte(body)
		}, ErrUnknownKey},
		{"stale date", func(r *http.Request) []byte { r.Header.Set(DateHeader, "20241218T080000Z"); return []byte(body) }, ErrClockSkew},
		{"no signature", func(r *http.Request) []byte { r.Header.Del("Authorization"); return []byte(body) }, ErrNoSignature},
		{"malformed", func(r *http.Request) []byte {
			r.Header.Set("Authorization", Algorithm+" Access=AKEXAMPLE")
			return []byte(body)
		}, ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := req.Clone(req.Context())
			r.Body = http.NoBody
			b := tc.change(r)
			_, err := Verify(r, b, secrets, at, 15*time.Minute)
			if err != tc.want {
				t.Fatalf("Verify = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestEscape(t *testing.T) {
	if got := escape("a-b_c.d~e f/g+h%é"); got != "a-b_c.d~e%20f%2Fg%2Bh%25%C3%A9" {
		t.Fatalf("escape = %q", got)
	}
}
