package aksk

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

var at = time.Date(2024, 12, 19, 8, 0, 0, 0, time.UTC)

const (
	testURL  = "https://ecs.example.com/v1.1/p/cloudservers?a=1"
	testBody = `{"server":{"name":"web","count":2}}`
	swapBody = `{"server":{"name":"web","count":50}}`
	token    = "46436810-d999-454c-bd85-e515fd258600"
)

func newRequest(t testing.TB, method, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
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

func hexSHA256(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// signAs writes an Authorization header over the SignedHeaders list given
// verbatim, as a careless or hostile signer would, with a correct HMAC
// under SKEXAMPLE, so that only the verifier's rules can refuse it.
func signAs(req *http.Request, body, signedList string) {
	if req.Header.Get(DateHeader) == "" {
		req.Header.Set(DateHeader, at.Format(DateFormat))
	}
	mac := hmac.New(sha256.New, []byte("SKEXAMPLE"))
	mac.Write([]byte(StringToSign(req, []byte(body), strings.Split(signedList, ";"))))
	req.Header.Set("Authorization", fmt.Sprintf("%s Access=AKEXAMPLE, SignedHeaders=%s, Signature=%x", Algorithm, signedList, mac.Sum(nil)))
}

func TestCanonicalRequest(t *testing.T) {
	tests := []struct {
		name, url string
		header    map[string]string
		signed    []string
		body      string
		want      string
	}{
		{name: "path, query and headers", url: "https://ecs.example.com/v1/p%20q/jobs/j?b=2&a=x y&a=1",
			signed: []string{"host", "x-sdk-date"},
			want: "GET\n/v1/p%20q/jobs/j/\na=1&a=x%20y&b=2\nhost:ecs.example.com\nx-sdk-date:20241219T080000Z\n\nhost;x-sdk-date\n" +
				"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{name: "an encoded slash stays in its segment", url: "https://ecs.example.com/v1/a%2Fb/c",
			signed: []string{"x-sdk-date"},
			want:   "GET\n/v1/a%2Fb/c/\n\nx-sdk-date:20241219T080000Z\n\nx-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{name: "an unsigned X-Sdk-Content-Sha256 is ignored", url: "https://ecs.example.com/v1/",
			header: map[string]string{ContentHashHeader: hexSHA256("other")}, signed: []string{"x-sdk-date"}, body: "body",
			want: "GET\n/v1/\n\nx-sdk-date:20241219T080000Z\n\nx-sdk-date\n" + hexSHA256("body")},
		{name: "a signed X-Sdk-Content-Sha256 is the payload hash", url: "https://ecs.example.com/v1/",
			header: map[string]string{ContentHashHeader: UnsignedPayload}, signed: []string{"x-sdk-content-sha256", "x-sdk-date"}, body: "body",
			want: "GET\n/v1/\n\nx-sdk-content-sha256:UNSIGNED-PAYLOAD\nx-sdk-date:20241219T080000Z\n\nx-sdk-content-sha256;x-sdk-date\nUNSIGNED-PAYLOAD"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := newRequest(t, "GET", tc.url)
			req.Header.Set(DateHeader, "20241219T080000Z")
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			if got := CanonicalRequest(req, []byte(tc.body), tc.signed); got != tc.want {
				t.Fatalf("canonical request:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

// verifyCase is a request built for Verify and the error it must give.
type verifyCase struct {
	name  string
	build func(t testing.TB) (*http.Request, string)
	want  error // nil: accepted
}

// signed returns a request Sign signed over testBody, after edit ran on
// it, with X-Client-Token set.
func signed(edit func(r *http.Request)) func(t testing.TB) (*http.Request, string) {
	return signedAt(at, edit)
}

// signedAt is signed at the instant when.
func signedAt(when time.Time, edit func(r *http.Request)) func(t testing.TB) (*http.Request, string) {
	return func(t testing.TB) (*http.Request, string) {
		req := newRequest(t, "POST", testURL)
		req.Header.Set("X-Client-Token", token)
		if edit != nil {
			edit(req)
		}
		Sign(req, []byte(testBody), "AKEXAMPLE", "SKEXAMPLE", when)
		return req, testBody
	}
}

// then changes a built request as an attacker would, returning the body
// to send.
func then(build func(t testing.TB) (*http.Request, string), change func(r *http.Request) string) func(t testing.TB) (*http.Request, string) {
	return func(t testing.TB) (*http.Request, string) {
		req, _ := build(t)
		return req, change(req)
	}
}

// hand returns a request signed by signAs over signedList, after edit.
func hand(signedList, body string, edit func(r *http.Request)) func(t testing.TB) (*http.Request, string) {
	return func(t testing.TB) (*http.Request, string) {
		req := newRequest(t, "POST", testURL)
		req.Header.Set("X-Client-Token", token)
		if edit != nil {
			edit(req)
		}
		signAs(req, body, signedList)
		return req, body
	}
}

// overEmptyHash returns a request signed over signedList as the official
// Python SDK signs one with X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD (its
// credentials add it for a Content-Type other than JSON) and no body: the
// header is signed, but the canonical request ends with the hex SHA-256 of
// the empty body, not with UNSIGNED-PAYLOAD (_process_hash_payload in
// huaweicloudsdkcore/signer/signer.py returns the empty hash for an empty
// body before it looks at the header). body is then sent.
func overEmptyHash(signedList, body string, edit func(r *http.Request)) func(t testing.TB) (*http.Request, string) {
	return func(t testing.TB) (*http.Request, string) {
		req := newRequest(t, "DELETE", testURL)
		req.Header.Set("Content-Type", "text/plain")
		req.Header.Set(ContentHashHeader, UnsignedPayload)
		req.Header.Set(DateHeader, at.Format(DateFormat))
		if edit != nil {
			edit(req)
		}
		canonical, ok := strings.CutSuffix(CanonicalRequest(req, nil, strings.Split(signedList, ";")), "\n"+UnsignedPayload)
		if !ok {
			t.Fatalf("the canonical request does not end with %s", UnsignedPayload)
		}
		canonical += "\n" + hexSHA256("")
		mac := hmac.New(sha256.New, []byte("SKEXAMPLE"))
		mac.Write([]byte(Algorithm + "\n" + at.Format(DateFormat) + "\n" + hexSHA256(canonical)))
		req.Header.Set("Authorization", fmt.Sprintf("%s Access=AKEXAMPLE, SignedHeaders=%s, Signature=%x", Algorithm, signedList, mac.Sum(nil)))
		return req, body
	}
}

// replayed returns a request that Verify has accepted once already.
func replayed(build func(t testing.TB) (*http.Request, string)) func(t testing.TB) (*http.Request, string) {
	return func(t testing.TB) (*http.Request, string) {
		req, body := build(t)
		if _, err := Verify(req, []byte(body), secrets, at, 15*time.Minute); err != nil {
			t.Fatalf("first use: %v", err)
		}
		return req, body
	}
}

func setHeader(name, value string) func(r *http.Request) {
	return func(r *http.Request) { r.Header.Set(name, value) }
}

var verifyCases = []verifyCase{
	{"signed by Sign", signed(nil), nil},
	{"replayed inside the skew window (accepted, as by the cloud)", replayed(signed(nil)), nil},
	{"unsigned header added", then(signed(nil), func(r *http.Request) string { r.Header.Set("X-Other", "x"); return testBody }), nil},
	{"repeated unsigned header added", then(signed(nil), func(r *http.Request) string {
		r.Header.Add("X-Other", "x")
		r.Header.Add("X-Other", "y")
		return testBody
	}), nil},
	{"signed X-Sdk-Content-Sha256 equal to the body's hash", signed(setHeader(ContentHashHeader, hexSHA256(testBody))), nil},
	{"signed X-Sdk-Content-Sha256 in upper case", signed(setHeader(ContentHashHeader, strings.ToUpper(hexSHA256(testBody)))), nil},
	{"signed UNSIGNED-PAYLOAD with an empty body", hand("x-client-token;x-sdk-content-sha256;x-sdk-date", "", setHeader(ContentHashHeader, UnsignedPayload)), nil},

	// The Python SDK's signature of UNSIGNED-PAYLOAD without a body.
	{"signed UNSIGNED-PAYLOAD with an empty body, over the empty body's hash (the Python SDK)",
		overEmptyHash("content-type;host;user-agent;x-project-id;x-sdk-content-sha256;x-sdk-date", "", func(r *http.Request) {
			r.Header.Set("User-Agent", "huaweicloud-usdk-python/3.0")
			r.Header.Set("X-Project-Id", "p")
		}), nil},
	{"signed UNSIGNED-PAYLOAD over the empty body's hash, then a body", overEmptyHash("content-type;x-sdk-content-sha256;x-sdk-date", swapBody, nil), ErrBodyHash},
	{"signed UNSIGNED-PAYLOAD over the empty body's hash, then the date changed",
		then(overEmptyHash("content-type;x-sdk-content-sha256;x-sdk-date", "", nil), func(r *http.Request) string {
			r.Header.Set(DateHeader, "20241219T080100Z")
			return ""
		}), ErrBadSignature},

	// The body-swap attack of issue #11 and its relatives.
	{"body swapped", then(signed(nil), func(*http.Request) string { return swapBody }), ErrBadSignature},
	{"body swapped with an unsigned X-Sdk-Content-Sha256 of the signed body", then(signed(nil), func(r *http.Request) string {
		r.Header.Set(ContentHashHeader, hexSHA256(testBody))
		return swapBody
	}), ErrBadSignature},
	{"signed X-Sdk-Content-Sha256 that does not match the body", then(signed(setHeader(ContentHashHeader, hexSHA256(testBody))), func(*http.Request) string { return swapBody }), ErrBodyHash},
	{"signed UNSIGNED-PAYLOAD with a body", hand("x-client-token;x-sdk-content-sha256;x-sdk-date", swapBody, setHeader(ContentHashHeader, UnsignedPayload)), ErrBodyHash},
	{"signed UNSIGNED-PAYLOAD from Sign, as the SDK signs non-JSON bodies", signed(setHeader(ContentHashHeader, UnsignedPayload)), ErrBodyHash},

	// What the signature covers.
	{"path changed", then(signed(nil), func(r *http.Request) string { r.URL.Path = "/v1.1/q/cloudservers"; return testBody }), ErrBadSignature},
	{"path re-segmented with an encoded slash", then(signed(nil), func(r *http.Request) string {
		r.URL.Path, r.URL.RawPath = "/v1.1/p/cloudservers", "/v1.1/p%2Fcloudservers"
		return testBody
	}), ErrBadSignature},
	{"query changed", then(signed(nil), func(r *http.Request) string { r.URL.RawQuery = "a=2"; return testBody }), ErrBadSignature},
	{"query with a part the parser drops", then(signed(nil), func(r *http.Request) string { r.URL.RawQuery += "&limit=%zz"; return testBody }), ErrMalformed},
	{"signed header changed", then(signed(nil), func(r *http.Request) string { r.Header.Set("X-Client-Token", "other"); return testBody }), ErrBadSignature},
	{"signed header removed", then(signed(nil), func(r *http.Request) string { r.Header.Del("X-Client-Token"); return testBody }), ErrMalformed},
	{"X-Sdk-Date sent twice", then(signed(nil), func(r *http.Request) string { r.Header.Add(DateHeader, "20241219T080500Z"); return testBody }), ErrMalformed},
	{"signed header repeated by the attacker", then(signed(nil), func(r *http.Request) string { r.Header.Add("X-Client-Token", "other"); return testBody }), ErrMalformed},

	// SignedHeaders.
	{"x-sdk-date not signed", hand("x-client-token", testBody, nil), ErrMalformed},
	{"signed header absent from the request", hand("x-client-token;x-other;x-sdk-date", testBody, nil), ErrMalformed},
	{"signed header sent twice, both signed", hand("x-client-token;x-sdk-date", testBody, func(r *http.Request) { r.Header.Add("X-Client-Token", "other") }), ErrMalformed},
	{"empty SignedHeaders entry", hand("x-client-token;;x-sdk-date", testBody, nil), ErrMalformed},
	{"trailing ;", hand("x-client-token;x-sdk-date;", testBody, nil), ErrMalformed},
	{"SignedHeaders unsorted", hand("x-sdk-date;x-client-token", testBody, nil), ErrMalformed},
	{"SignedHeaders repeated", hand("x-client-token;x-client-token;x-sdk-date", testBody, nil), ErrMalformed},
	{"SignedHeaders in upper case", hand("X-Client-Token;X-Sdk-Date", testBody, nil), ErrMalformed},
	{"SignedHeaders with a space", hand("x-client-token; x-sdk-date", testBody, nil), ErrMalformed},
	{"host signed", hand("host;x-sdk-date", testBody, nil), nil},

	// The Authorization header itself.
	{"no Authorization", then(signed(nil), func(r *http.Request) string { r.Header.Del("Authorization"); return testBody }), ErrNoSignature},
	{"another scheme", then(signed(nil), func(r *http.Request) string { r.Header.Set("Authorization", "Bearer x"); return testBody }), ErrNoSignature},
	{"two Authorization headers", then(signed(nil), func(r *http.Request) string {
		r.Header.Add("Authorization", r.Header.Get("Authorization"))
		return testBody
	}), ErrMalformed},
	{"field missing", then(signed(nil), func(r *http.Request) string {
		r.Header.Set("Authorization", Algorithm+" Access=AKEXAMPLE")
		return testBody
	}), ErrMalformed},
	{"Access repeated", then(signed(nil), func(r *http.Request) string {
		r.Header.Set("Authorization", r.Header.Get("Authorization")+", Access=AKOTHER")
		return testBody
	}), ErrMalformed},
	{"unknown field", then(signed(nil), func(r *http.Request) string {
		r.Header.Set("Authorization", r.Header.Get("Authorization")+", Nonce=1")
		return testBody
	}), ErrMalformed},
	{"signature not hex", then(signed(nil), func(r *http.Request) string {
		a := r.Header.Get("Authorization")
		r.Header.Set("Authorization", a[:len(a)-1]+"g")
		return testBody
	}), ErrMalformed},
	{"signature truncated", then(signed(nil), func(r *http.Request) string {
		a := r.Header.Get("Authorization")
		r.Header.Set("Authorization", a[:len(a)-2])
		return testBody
	}), ErrMalformed},
	{"signature in upper case", then(signed(nil), func(r *http.Request) string {
		a := r.Header.Get("Authorization")
		i := strings.LastIndex(a, "=") + 1
		r.Header.Set("Authorization", a[:i]+strings.ToUpper(a[i:]))
		return testBody
	}), nil},
	{"access key with a control character", then(signed(nil), func(r *http.Request) string {
		r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "AKEXAMPLE", "AK\x01", 1))
		return testBody
	}), ErrMalformed},
	{"huge Authorization header", then(signed(nil), func(r *http.Request) string {
		r.Header.Set("Authorization", r.Header.Get("Authorization")+strings.Repeat(" ", 1<<20))
		return testBody
	}), ErrMalformed},
	{"many SignedHeaders", then(signed(nil), func(r *http.Request) string {
		names := make([]string, 1000) // 6 KB: within MaxAuthorizationBytes
		for i := range names {
			names[i] = fmt.Sprintf("h%04d", i)
		}
		r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "SignedHeaders=", "SignedHeaders="+strings.Join(names, ";")+";", 1))
		return testBody
	}), ErrMalformed},

	// Key and clock.
	{"unknown key", then(signed(nil), func(r *http.Request) string {
		r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "AKEXAMPLE", "AKOTHER", 1))
		return testBody
	}), ErrUnknownKey},
	{"stale date", signedAt(at.Add(-15*time.Minute-time.Second), nil), ErrClockSkew},
	{"date at the edge of the skew window", signedAt(at.Add(-15*time.Minute), nil), nil},
	{"date in the future", signedAt(at.Add(15*time.Minute+time.Second), nil), ErrClockSkew},
	{"date changed", then(signed(nil), func(r *http.Request) string { r.Header.Set(DateHeader, "20241219T080100Z"); return testBody }), ErrBadSignature},
	{"date unreadable", hand("x-client-token;x-sdk-date", testBody, setHeader(DateHeader, "2024-12-19T08:00:00Z")), ErrClockSkew},
}

func TestVerify(t *testing.T) {
	for _, tc := range verifyCases {
		t.Run(tc.name, func(t *testing.T) {
			req, body := tc.build(t)
			ak, err := Verify(req, []byte(body), secrets, at, 15*time.Minute)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("Verify = %q, %v; want %v", ak, err, tc.want)
			}
			if err == nil && ak != "AKEXAMPLE" {
				t.Fatalf("Verify = %q", ak)
			}
			if err != nil && strings.Contains(err.Error(), "SKEXAMPLE") {
				t.Fatalf("the error names the secret: %v", err)
			}
		})
	}
}

// TestSignedHeaders checks which headers Sign signs: those the official
// SDKs sign.
func TestSignedHeaders(t *testing.T) {
	req := newRequest(t, "POST", testURL)
	req.Header.Set("X-Client-Token", token)
	req.Header.Set("X_Under", "x")
	Sign(req, []byte(testBody), "AKEXAMPLE", "SKEXAMPLE", at)
	if auth := req.Header.Get("Authorization"); !strings.HasPrefix(auth, "SDK-HMAC-SHA256 Access=AKEXAMPLE, SignedHeaders=x-client-token;x-sdk-date, Signature=") {
		t.Fatalf("Authorization = %q", auth)
	}
}

func TestEscape(t *testing.T) {
	if got := escape("a-b_c.d~e f/g+h%é"); got != "a-b_c.d~e%20f%2Fg%2Bh%25%C3%A9" {
		t.Fatalf("escape = %q", got)
	}
}

// FuzzVerify feeds Verify hostile Authorization headers, dates and
// bodies: it must not panic, and whatever it accepts binds the body.
func FuzzVerify(f *testing.F) {
	for _, tc := range verifyCases {
		req, body := tc.build(f)
		f.Add(req.Header.Get("Authorization"), req.Header.Get(DateHeader), req.Header.Get(ContentHashHeader), body)
	}
	f.Fuzz(func(t *testing.T, auth, date, contentHash, body string) {
		req := newRequest(t, "POST", testURL)
		req.Header.Set("X-Client-Token", token)
		req.Header.Set("Authorization", auth)
		req.Header.Set(DateHeader, date)
		if contentHash != "" {
			req.Header.Set(ContentHashHeader, contentHash)
		}
		if _, err := Verify(req, []byte(body), secrets, at, 15*time.Minute); err == nil && body != testBody && body != "" {
			t.Fatalf("accepted a body nobody signed: %q", body)
		}
	})
}

// BenchmarkVerify measures rejecting a known and an unknown access key,
// which should cost the same, and a huge Authorization header.
func BenchmarkVerify(b *testing.B) {
	for _, name := range []string{"signed by Sign", "unknown key", "body swapped", "huge Authorization header", "many SignedHeaders"} {
		var tc verifyCase
		for _, c := range verifyCases {
			if c.name == name {
				tc = c
			}
		}
		req, body := tc.build(b)
		b.Run(strings.ReplaceAll(name, " ", "_"), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Verify(req, []byte(body), secrets, at, 15*time.Minute)
			}
		})
	}
}
