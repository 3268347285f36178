package validate_test

import (
	"testing"

	"github.com/hwspec/compute/validate"
)

// A document without a components section is valid OpenAPI; FromSources
// used to dereference its missing security schemes and panic.
func TestFromSourcesWithoutComponents(t *testing.T) {
	const doc = `openapi: 3.0.3
info: {title: minimal, version: "1"}
paths:
  /v1/things:
    post:
      operationId: CreateThing
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string, maxLength: 4}
      responses:
        "200":
          description: created
          content:
            application/json:
              schema:
                type: object
                required: [id]
                properties:
                  id: {type: string}
`
	e, err := validate.FromSources([]validate.Source{{Name: "minimal", Data: []byte(doc)}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		body  string
		valid bool
	}{
		{`{"name":"ab"}`, true},
		{`{"name":"abcdef"}`, false},
		{`{}`, false},
	} {
		res := e.Validate(validate.Request{Method: "POST", Target: "/v1/things", Body: []byte(tc.body),
			Header: map[string][]string{"Content-Type": {"application/json"}}})
		if res.Valid() != tc.valid {
			t.Errorf("%s: valid = %v, want %v; findings %v", tc.body, res.Valid(), tc.valid, res.Findings)
		}
	}
}
