package validate_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hwspec/compute/validate"
)

// TestRepeatedParameters: a query parameter, header parameter or credential
// header that takes one value is an error when it appears more than once
// (param.repeated), whatever the values; once is fine; undeclared names are
// not looked at, nor is X-Sdk-Date when the request uses a token. The
// message names the parameter and never a value.
func TestRepeatedParameters(t *testing.T) {
	e, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	const (
		list   = "/v1/0123456789abcdef0123456789abcdef/dev-servers"
		create = "/v1.1/0123456789abcdef0123456789abcdef/cloudservers"
		body   = `{"server": {"imageRef": "67f433d8-ed0e-4321-a8a2-a71838539e09", "flavorRef": "s6.small.1", "name": "web-01",
  "vpcid": "2a6f4aa6-d93e-45f5-a8cb-b030dbf8cd68", "nics": [{"subnet_id": "ef039b60-6a14-42d1-963b-687b627fea08"}],
  "root_volume": {"volumetype": "SSD"}}}`
		secret = "MIIsecret-token-value"
		tok1   = "46436810-d999-454c-bd85-e515fd258600"
		tok2   = "9b2c1a3e-2f4d-4c6b-8a7e-5d3c2b1a0f9e"
		sig    = "SDK-HMAC-SHA256 Access=AKEXAMPLE, SignedHeaders=host;x-sdk-date, Signature=0f1e2d3c4b5a6978"
	)
	token := http.Header{"X-Auth-Token": {secret}}
	withJSON := func(h http.Header) http.Header {
		h = h.Clone()
		h.Set("Content-Type", "application/json")
		return h
	}
	for _, c := range []struct {
		name, method, target string
		header               http.Header
		body                 string
		want                 []string // "in name" of every param.repeated finding
		valid                bool
	}{
		{"limit once", "GET", list + "?limit=1", token, "", nil, true},
		{"limit twice", "GET", list + "?limit=1&limit=5000", token, "", []string{"query limit"}, false},
		{"limit twice, same value", "GET", list + "?limit=5&limit=5", token, "", []string{"query limit"}, false},
		{"limit twice, second empty", "GET", list + "?limit=5&limit=", token, "", []string{"query limit"}, false},
		{"two parameters twice", "GET", list + "?sort_dir=ASC&offset=1&sort_dir=DESC&offset=2", token, "", []string{"query offset", "query sort_dir"}, false},
		{"undeclared query parameter twice", "GET", list + "?foo=1&foo=2", token, "", nil, true},
		{"name differs in case", "GET", list + "?Limit=1&limit=2", token, "", nil, true},
		{"X-Client-Token once", "POST", create, withJSON(http.Header{"X-Auth-Token": {secret}, "X-Client-Token": {tok1}}), body, nil, true},
		{"X-Client-Token twice", "POST", create, withJSON(http.Header{"X-Auth-Token": {secret}, "X-Client-Token": {tok1, tok2}}), body, []string{"header X-Client-Token"}, false},
		{"X-Auth-Token twice", "GET", list, http.Header{"X-Auth-Token": {secret, secret + "2"}}, "", []string{"header X-Auth-Token"}, false},
		{"Authorization twice", "GET", list, http.Header{"Authorization": {"SDK-HMAC-SHA256 " + secret, "x"}, "X-Sdk-Date": {"20251204T080000Z"}}, "", []string{"header Authorization"}, false},
		{"X-Sdk-Date twice with a signature", "GET", list, http.Header{"Authorization": {sig}, "X-Sdk-Date": {"20251204T080000Z", "20251204T080000Z"}}, "", []string{"header X-Sdk-Date"}, false},
		{"X-Sdk-Date twice with a token", "GET", list, http.Header{"X-Auth-Token": {secret}, "X-Sdk-Date": {"20251204T080000Z", "20251204T080000Z"}}, "", nil, true},
		{"a token and a signature", "GET", list, http.Header{"X-Auth-Token": {secret}, "Authorization": {"SDK-HMAC-SHA256 " + secret}}, "", nil, true},
		{"undeclared header twice", "GET", list, http.Header{"X-Auth-Token": {secret}, "X-Request-Id": {"a", "b"}}, "", nil, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := e.Validate(validate.Request{Method: c.method, Target: c.target, Header: c.header, Body: []byte(c.body)})
			var got []string
			for _, f := range res.Findings {
				if strings.Contains(f.String(), secret) || strings.Contains(f.String(), tok2) {
					t.Errorf("finding repeats a value: %s", f)
				}
				if f.Rule != "param.repeated" {
					continue
				}
				got = append(got, f.In+" "+f.Name)
				if f.Severity != validate.Error || !strings.Contains(f.Message, f.Name) || !strings.Contains(f.Message, "exactly once") {
					t.Errorf("finding %+v: want an error that names the parameter and says it takes one value", f)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, c.want) {
				t.Errorf("param.repeated at %q, want %q (findings %v)", got, c.want, res.Findings)
			}
			if res.Valid() != c.valid {
				t.Errorf("valid = %v, want %v (findings %v)", res.Valid(), c.valid, res.Findings)
			}
		})
	}
}
