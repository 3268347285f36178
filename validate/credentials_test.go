package validate

import (
	"net/http"
	"strings"
	"testing"
)

// TestCredentialForm checks the AK/SK form on the embedded specs: presence
// alone no longer satisfies the aksk scheme, and no message repeats a
// credential.
func TestCredentialForm(t *testing.T) {
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	const sig = "SDK-HMAC-SHA256 Access=AKEXAMPLE, SignedHeaders=host;x-sdk-date, Signature=0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
	tests := []struct {
		name    string
		headers map[string]string
		want    []string // "<header> <rule>", in order
	}{
		{"signed", map[string]string{"Authorization": sig, "X-Sdk-Date": "20251204T080000Z"}, nil},
		{"token", map[string]string{"X-Auth-Token": "MIIexample"}, nil},
		{"token beside a bearer header", map[string]string{"X-Auth-Token": "MIIexample", "Authorization": "Bearer secret-value"}, nil},
		{"bearer", map[string]string{"Authorization": "Bearer secret-value"}, []string{"Authorization security.form", "X-Sdk-Date security.form"}},
		{"no date", map[string]string{"Authorization": sig}, []string{"X-Sdk-Date security.form"}},
		{"date in another layout", map[string]string{"Authorization": sig, "X-Sdk-Date": "2025-12-04T08:00:00Z"}, []string{"X-Sdk-Date security.form"}},
		{"signature without fields", map[string]string{"Authorization": "SDK-HMAC-SHA256 secret-value", "X-Sdk-Date": "20251204T080000Z"}, []string{"Authorization security.form"}},
		{"nothing", nil, []string{"X-Auth-Token security.missing"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := Request{Method: http.MethodGet, Target: "/v1/0123456789abcdef0123456789abcdef/dev-servers/62383738-e52a-450a-9f84-f9e705402be8", Header: http.Header{}}
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			res := e.Validate(req)
			var got []string
			for _, f := range res.Findings {
				got = append(got, f.Name+" "+f.Rule)
				if strings.Contains(f.Message, "secret-value") || strings.Contains(f.Message, "0f1e2d3c") {
					t.Errorf("message repeats a credential: %s", f.Message)
				}
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}
