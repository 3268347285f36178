package validate_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/hwspec/compute/validate"
)

// drain is the cheapest next RoundTripper: it reads the body and answers.
type drain struct{}

func (drain) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		req.Body.Close()
	}
	return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody}, nil
}

// BenchmarkTransport measures what NewTransport adds to a RoundTrip: impl
// direct calls the next RoundTripper alone, impl transport goes through the
// validating one first. Case ecs-prepaid-keypair is a valid create (read,
// validate, re-create the body); iam is a request to another service
// (routed and passed on untouched).
func BenchmarkTransport(b *testing.B) {
	e, err := validate.New()
	if err != nil {
		b.Fatal(err)
	}
	create := loadBenchRequest(b, benchCases[0])
	for _, c := range []struct {
		name, method, url string
		header            http.Header
		body              []byte
	}{
		{"ecs-prepaid-keypair", create.Method, "https://ecs.example.com" + create.Target, create.Header, create.Body},
		{"iam", "POST", "https://iam.example.com/v3/auth/tokens", http.Header{"Content-Type": {"application/json"}}, []byte(`{"auth":{"identity":{"methods":["password"]}}}`)},
	} {
		for _, impl := range []struct {
			name string
			rt   http.RoundTripper
		}{{"direct", drain{}}, {"transport", validate.NewTransport(e, drain{})}} {
			b.Run("case="+c.name+"/impl="+impl.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(c.body)))
				for b.Loop() {
					req, err := http.NewRequest(c.method, c.url, bytes.NewReader(c.body))
					if err != nil {
						b.Fatal(err)
					}
					req.Header = c.header
					resp, err := impl.rt.RoundTrip(req)
					if err != nil {
						b.Fatal(err)
					}
					resp.Body.Close()
				}
			})
		}
	}
}

// BenchmarkValidateResponse measures ValidateResponse on a documented
// answer (the DevServer create's example, the largest response example)
// against, in the same run, impl baseline: encoding/json Unmarshal of the
// body into map[string]any.
func BenchmarkValidateResponse(b *testing.B) {
	e, err := validate.New()
	if err != nil {
		b.Fatal(err)
	}
	op := e.Operation("CreateDevServer")
	mt := op.API.Doc.Paths.Find(op.Path).GetOperation(op.Method).Responses.Status(200).Value.Content.Get("application/json")
	var body []byte
	for _, ex := range mt.Examples {
		if body, err = json.Marshal(ex.Value.Value); err != nil {
			b.Fatal(err)
		}
	}
	resp := validate.Response{Status: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: body}
	if r, err := e.ValidateResponse(op.ID, resp); err != nil || len(r.Findings) > 0 {
		b.Fatalf("the example does not conform: %v %v", err, r.Findings)
	}
	b.Run("impl=baseline", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var v map[string]any
			if err := json.Unmarshal(body, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=engine", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if _, err := e.ValidateResponse(op.ID, resp); err != nil {
				b.Fatal(err)
			}
		}
	})
}
