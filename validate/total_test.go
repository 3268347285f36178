package validate

import (
	"strings"
	"testing"
)

// A small document whose one rule uses the total effect, so that each part
// of it (factor, constant, terms with and without a match) is tested apart
// from the specs' numbers.
const totalDoc = `openapi: 3.0.3
info: {title: Orders, version: 1.0.0}
paths:
  /v1/orders:
    post:
      operationId: CreateOrder
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Order'
      responses:
        '202': {description: Accepted.}
components:
  schemas:
    Order:
      type: object
      properties:
        copies: {type: integer}
        paid: {type: boolean}
        parts:
          type: array
          items:
            type: object
            properties:
              kind: {type: string}
        box: {type: object, properties: {size: {type: integer}}}
      x-rules:
        - id: orders.order.cap
          message: an order holds at most 10 items
          if:
            paid: {enum: [true]}
          total:
            factor: copies
            constant: 1
            terms:
              - path: parts/*
              - path: box
              - path: parts/*/kind
                match: {enum: [big]}
            maximum: 10
`

func TestTotalEffect(t *testing.T) {
	e, err := FromSources([]Source{{Name: "orders", Data: []byte(totalDoc)}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, body  string
		wantPointer string // "" means no finding
		wantTotal   string
	}{
		{name: "rule does not apply", body: `{"copies": 50, "parts": [{}, {}]}`},
		{name: "no factor counts once", body: `{"paid": true, "parts": [{}, {}]}`},
		{name: "exactly the maximum", body: `{"paid": true, "copies": 2, "parts": [{"kind": "big"}, {}], "box": {}}`},
		{name: "over by the matching term", body: `{"paid": true, "copies": 2, "parts": [{"kind": "big"}, {"kind": "big"}], "box": {}}`,
			wantPointer: "/copies", wantTotal: "(this request: copies 2 × 6 = 12, more than 10)"},
		{name: "over without factor", body: `{"paid": true, "parts": [{}, {}, {}, {}, {}, {}, {}, {}, {}, {}]}`,
			wantPointer: "", wantTotal: "(this request: copies 1 × 11 = 11, more than 10)"},
		{name: "empty box and null part are absent", body: `{"paid": true, "copies": 5, "box": null, "parts": [null]}`},
		{name: "factor of the wrong type is left to the schema", body: `{"paid": true, "copies": "5", "parts": [{}, {}, {}, {}, {}, {}, {}, {}, {}, {}]}`,
			wantPointer: "/copies", wantTotal: "schema"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := e.ValidateBody("CreateOrder", []byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			var got []Finding
			for _, f := range res.Findings {
				if f.Rule == "orders.order.cap" {
					got = append(got, f)
				}
			}
			switch {
			case tc.wantTotal == "" || tc.wantTotal == "schema":
				if len(got) != 0 {
					t.Fatalf("want no cap finding, got %v", got)
				}
			case len(got) != 1:
				t.Fatalf("want one cap finding, got %v", res.Findings)
			case got[0].Pointer != tc.wantPointer || !strings.HasSuffix(got[0].Message, tc.wantTotal):
				t.Fatalf("got %s, want pointer %q and a message ending %q", got[0], tc.wantPointer, tc.wantTotal)
			}
		})
	}
}

func TestTotalEffectIsDescribed(t *testing.T) {
	e, err := FromSources([]Source{{Name: "orders", Data: []byte(totalDoc)}})
	if err != nil {
		t.Fatal(err)
	}
	rules, err := ParseRules(e.Operation("CreateOrder").RequestSchema())
	if err != nil {
		t.Fatal(err)
	}
	want := `When paid is true: copies × (1 + one for each parts/* + one for each box + one for each parts/*/kind that is "big") is at most 10, where an absent copies counts as 1.`
	if got := rules[0].Describe(); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestTotalEffectMalformed(t *testing.T) {
	tests := []struct{ name, old, new, wantErr string }{
		{"no maximum", "            maximum: 10\n", "", "total: missing maximum"},
		{"no terms", "            terms:\n              - path: parts/*\n              - path: box\n              - path: parts/*/kind\n                match: {enum: [big]}\n", "", "total: want at least one term"},
		{"wildcard factor", "factor: copies", "factor: parts/*", "factor: want a path without '*'"},
		{"negative maximum", "maximum: 10", "maximum: -1", "must not be negative"},
		{"unknown key", "constant: 1", "constant: 1\n            minimum: 1", `unknown field "minimum"`},
		{"term naming no field", "- path: box", "- path: crate", `no field "crate"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(totalDoc, tc.old) {
				t.Fatalf("document lacks %q", tc.old)
			}
			_, err := FromSources([]Source{{Name: "orders", Data: []byte(strings.Replace(totalDoc, tc.old, tc.new, 1))}})
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("want an error containing %q, got %v", tc.wantErr, err)
			}
		})
	}
}
