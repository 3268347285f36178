package validate_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hwspec/compute/validate"
)

// TestBodySize: the engine makes the one body.size finding for a body over
// its limit, from the body it was given whole or from the size a front-end
// that read only part of it passes (Request.BodySize,
// ValidateBodySize): "has N bytes" when the size is known, "has more
// than" the limit when it is not. A body over the limit is not decoded, so
// it has no other body finding, whatever the operation; a BodySize within
// the limit is no cut, and the body is validated as given.
func TestBodySize(t *testing.T) {
	const limit = 256
	e, err := validate.New(validate.WithLimits(validate.Limits{MaxBodyBytes: limit}))
	if err != nil {
		t.Fatal(err)
	}
	create := `{"server":{"name":"` + strings.Repeat("x", 300) + `"}}` // 322 bytes
	createHead := []byte(create[:limit+1])
	const (
		known   = "the body has 322 bytes, more than the limit of 256"
		large   = "the body has 5000000 bytes, more than the limit of 256"
		unknown = "the body has more than 256 bytes, the limit"
	)
	sixRequired := strings.Fields(strings.Repeat("schema.required ", 6))
	json := http.Header{"X-Auth-Token": {"t"}, "Content-Type": {"application/json"}}
	for _, tc := range []struct {
		name     string
		method   string
		path     string
		header   http.Header
		body     []byte
		size     int64
		want     string   // the body.size message, "" for none
		wantRule []string // every rule, in order
	}{
		{name: "whole body over the limit", body: []byte(create), want: known, wantRule: []string{"body.size"}},
		{name: "first bytes and the size", body: createHead, size: 322, want: known, wantRule: []string{"body.size"}},
		{name: "no bytes and the size", size: 5_000_000, want: large, wantRule: []string{"body.size"}},
		{name: "first bytes, size unknown", body: createHead, size: validate.BodySizeUnknown, want: unknown, wantRule: []string{"body.size"}},
		{name: "any negative size is unknown", body: createHead, size: -7, want: unknown, wantRule: []string{"body.size"}},
		{name: "a size below len(Body) is len(Body)", body: []byte(create), size: 10, want: known, wantRule: []string{"body.size"}},
		{name: "a size within the limit is no cut", body: []byte(`{"server":{}}`), size: 200, wantRule: sixRequired},
		{name: "within the limit", body: []byte(`{"server":{}}`), wantRule: sixRequired},
		{name: "white space over the limit is a body over the limit", body: []byte(strings.Repeat(" ", limit+1)), want: "the body has 257 bytes, more than the limit of 256", wantRule: []string{"body.size"}},
		{name: "over the limit for an operation that takes no body", method: "GET", path: "/v1/0123456789abcdef0123456789abcdef/jobs/j1", body: createHead, size: validate.BodySizeUnknown, want: unknown, wantRule: []string{"body.size"}},
		{name: "Content-Type is still checked", header: http.Header{"X-Auth-Token": {"t"}, "Content-Type": {"text/plain"}}, size: validate.BodySizeUnknown, want: unknown, wantRule: []string{"body.content-type", "body.size"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			method, path, header := "POST", "/v1.1/0123456789abcdef0123456789abcdef/cloudservers", json
			if tc.method != "" {
				method, path = tc.method, tc.path
			}
			if tc.header != nil {
				header = tc.header
			}
			res := e.Validate(validate.Request{Method: method, Target: path, Header: header, Body: tc.body, BodySize: tc.size})
			checkBodySize(t, res, tc.want, tc.wantRule)
			if method != "POST" || tc.header != nil {
				return
			}
			// The bare-body path says the same of the same body.
			res, err := e.ValidateBodySize("CreateServers", tc.body, tc.size)
			if err != nil {
				t.Fatal(err)
			}
			checkBodySize(t, res, tc.want, tc.wantRule)
			if tc.size == 0 {
				res, err := e.ValidateBody("CreateServers", tc.body)
				if err != nil {
					t.Fatal(err)
				}
				checkBodySize(t, res, tc.want, tc.wantRule)
			}
		})
	}
}

func checkBodySize(t *testing.T, res validate.Result, want string, wantRules []string) {
	t.Helper()
	var rules []string
	got := ""
	for _, f := range res.Findings {
		rules = append(rules, f.Rule)
		if f.Rule == validate.BodySizeRule {
			got = f.Message
			if f.In != validate.InBody || f.Severity != validate.Error {
				t.Errorf("body.size finding %+v: want In body, an error", f)
			}
		}
	}
	if got != want || strings.Join(rules, " ") != strings.Join(wantRules, " ") {
		t.Errorf("body.size message %q, rules %v; want %q, %v", got, rules, want, wantRules)
	}
}
