package oasversion_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/hwspec/compute/spec"
)

const target = "/v1.1/0123456789abcdef0123456789abcdef/cloudservers"

// valid and invalid are ECS create bodies; invalid has an unknown member
// and a value outside an enum.
var (
	valid = []byte(`{"server": {"imageRef": "67f433d8-ed0e-4321-a8a2-a71838539e09", "flavorRef": "s6.small.1", "name": "web",
		"vpcid": "2a6f4aa6-d93e-45f5-a8cb-b030dbf8cd68", "count": 2,
		"nics": [{"subnet_id": "ef039b60-6a14-42d1-963b-687b627fea08"}, {"subnet_id": "0d8b8a36-4ee7-4ed8-8b3f-0b4c2a4c2f1e"}],
		"root_volume": {"volumetype": "SSD", "size": 40},
		"data_volumes": [{"volumetype": "SAS", "size": 100}, {"volumetype": "SSD", "size": 200}],
		"metadata": {"owner": "ops"}}}`)
	invalid = []byte(`{"server": {"imageRef": "67f433d8-ed0e-4321-a8a2-a71838539e09", "flavorRef": "s6.small.1", "name": "web",
		"vpcid": "2a6f4aa6-d93e-45f5-a8cb-b030dbf8cd68", "nics": [{"subnet_id": "ef039b60-6a14-42d1-963b-687b627fea08"}],
		"root_volume": {"volumetype": "NVMe"}, "key_nmae": "kp"}}`)
)

// validator is kin-openapi's request validation of the ECS spec declared
// as the given OpenAPI version, routed once.
func validator(tb testing.TB, version string) func(body []byte) error {
	tb.Helper()
	src, err := spec.Document("ecs")
	if err != nil {
		tb.Fatal(err)
	}
	src = bytes.Replace(src, []byte("openapi: 3.0.3\n"), []byte("openapi: "+version+"\n"), 1)
	doc, err := openapi3.NewLoader().LoadFromData(src)
	if err != nil {
		tb.Fatal(err)
	}
	if doc.OpenAPI != version {
		tb.Fatalf("document is %s, want %s", doc.OpenAPI, version)
	}
	doc.Servers = nil // route on the path only, as the engine does
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		tb.Fatal(err)
	}
	req, _ := http.NewRequest("POST", "http://localhost"+target, nil)
	route, params, err := router.FindRoute(req)
	if err != nil {
		tb.Fatal(err)
	}
	return func(body []byte) error {
		req, _ := http.NewRequest("POST", "http://localhost"+target, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Auth-Token", "t")
		return openapi3filter.ValidateRequest(context.Background(), &openapi3filter.RequestValidationInput{
			Request: req, Route: route, PathParams: params,
			Options: &openapi3filter.Options{MultiError: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
		})
	}
}

// TestSameVerdict: both versions accept the valid body and reject the
// invalid one for the same reasons, so the benchmark compares equal work.
func TestSameVerdict(t *testing.T) {
	for _, version := range []string{"3.0.3", "3.1.0"} {
		check := validator(t, version)
		if err := check(valid); err != nil {
			t.Errorf("%s rejects the valid body: %v", version, err)
		}
		err := check(invalid)
		if err == nil || !strings.Contains(err.Error(), "key_nmae") || !strings.Contains(err.Error(), "NVMe") {
			t.Errorf("%s on the invalid body: %v, want both defects", version, err)
		}
	}
}

// BenchmarkValidateRequest is kin-openapi's openapi3filter.ValidateRequest on
// the valid body, with the spec declared as 3.0.3 and as 3.1.0.
func BenchmarkValidateRequest(b *testing.B) {
	for _, version := range []string{"3.0.3", "3.1.0"} {
		b.Run("openapi="+version, func(b *testing.B) {
			check := validator(b, version)
			b.SetBytes(int64(len(valid)))
			for b.Loop() {
				if err := check(valid); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
