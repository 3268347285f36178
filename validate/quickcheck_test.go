package validate

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"
)

// bodyOperations are the operations with a JSON request body, in a fixed
// order the fuzz target indexes.
func bodyOperations(t testing.TB, e *Engine) []*Operation {
	var ops []*Operation
	for _, op := range e.Operations() {
		if op.body != nil {
			if op.quick == nil {
				t.Fatalf("%s: the request schema did not compile for the quick check", op.ID)
			}
			ops = append(ops, op)
		}
	}
	return ops
}

// exampleBodies returns the bodies of every example request, by operation.
func exampleBodies(t testing.TB, e *Engine) map[string][][]byte {
	out := map[string][][]byte{}
	for _, r := range SpecExamples(t) {
		if res := r.Validate(e); res.Operation != nil && len(r.Body) > 0 {
			out[res.Operation.ID] = append(out[res.Operation.ID], r.Body)
		}
	}
	return out
}

// kinValid is the reference verdict.
func kinValid(op *Operation, v any) bool {
	return op.body.VisitJSON(v, op.API.schemaOpts...) == nil
}

// kinFindings are the reference findings: kin-openapi on the whole body.
func kinFindings(op *Operation, v any) []Finding {
	err := op.body.VisitJSON(v, op.API.schemaOpts...)
	if err == nil {
		return nil
	}
	out := schemaFindings(err, InBody, "", nil, op.API)
	sortFindings(out)
	return out
}

// disagreement compares the quick check with kin-openapi on one decoded
// body: the verdicts, and the findings of the located nodes with those of
// the whole body. It returns "" when they agree.
func disagreement(op *Operation, body []byte, v any) string {
	if q, k := op.quick.valid(v, time.Time{}), kinValid(op, v); q != k {
		return fmt.Sprintf("quick check says valid=%v, kin-openapi says %v", q, k)
	}
	want := kinFindings(op, v)
	fails := op.quick.locate(v, nil, nil, time.Time{})
	var all []Finding
	if len(fails) > 0 {
		all = op.API.firstFindings(body, fails, nil, math.MaxInt, time.Time{})
		sortFindings(all)
	}
	got := slices.Clone(all)
	for i := range got {
		got[i].Line, got[i].Column = 0, 0 // kinFindings has no positions
	}
	sortFindings(got)
	same := func(a, b Finding) bool { return a.Pointer == b.Pointer && a.Rule == b.Rule && a.Message == b.Message }
	if !slices.EqualFunc(got, want, same) {
		return fmt.Sprintf("located nodes give\n%v\nthe whole body gives\n%v", got, want)
	}
	// Capped at k, the findings made include the first k of all, and the
	// summary counts the rest (exactly, or at least).
	for k := 1; k <= 3 && k < len(fails); k++ {
		capped := op.API.firstFindings(body, fails, nil, k, time.Time{})
		last := capped[len(capped)-1]
		if last.Rule != TruncatedRule {
			return fmt.Sprintf("capped at %d: no summary in %v", k, capped)
		}
		capped = capped[:len(capped)-1]
		sortFindings(capped)
		if len(capped) < k || !slices.EqualFunc(capped[:k], all[:k], func(a, b Finding) bool { return same(a, b) && a.Line == b.Line && a.Column == b.Column }) {
			return fmt.Sprintf("capped at %d: first findings\n%v\nnot those of all\n%v", k, capped, all)
		}
		if n := len(capped) + last.omitted; n > len(all) || !last.atLeast && n != len(all) {
			return fmt.Sprintf("capped at %d: %d made and %d counted (at least: %v), of %d", k, len(capped), last.omitted, last.atLeast, len(all))
		}
	}
	return ""
}

// TestQuickCheckAgreesOnExamples compares the two verdicts on every example
// body, valid and invalid, and the findings of the located nodes with those
// of the whole body.
func TestQuickCheckAgreesOnExamples(t *testing.T) {
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	bodies := exampleBodies(t, e)
	for _, op := range bodyOperations(t, e) {
		if len(bodies[op.ID]) == 0 {
			t.Fatalf("%s: no example bodies", op.ID)
		}
		for i, b := range bodies[op.ID] {
			v, err := decodeBody(b, DefaultLimits, nil)
			if err != nil {
				continue
			}
			if d := disagreement(op, b, v); d != "" {
				t.Errorf("%s example body %d: %s", op.ID, i, d)
			}
		}
	}
}

// TestConditionsAgree evaluates every rule's condition and effect schemas
// with the quick check and with kin-openapi on probe values.
func TestConditionsAgree(t *testing.T) {
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	probes := []any{nil, "", "prePaid", "postPaid", "GPSSD2", "SSD", "WHOLE", "PER", "year", "month", "spot", "immediate", "dedicated", "shared",
		"HPS", "ECS", "1", "0", "ces", "hss,ces", "hss,apm", "a/b", "Owner team", json.Number("0"), json.Number("1"), json.Number("2"),
		json.Number("3"), json.Number("5"), json.Number("6"), json.Number("59"), json.Number("100"), json.Number("101"),
		json.Number("300"), json.Number("301"), json.Number("350"), json.Number("1000"), json.Number("1001"), json.Number("1500"),
		json.Number("2.5"), true, false, map[string]any{}, []any{}}
	checked := 0
	for _, op := range e.Operations() {
		for _, site := range op.sites {
			for _, r := range site.rules {
				conds := append(append(append([]condition{}, r.ifAll...), r.unless...), r.then...)
				if r.keys != nil {
					conds = append(conds, *r.keys)
				}
				for _, c := range conds {
					if c.quick == nil {
						t.Errorf("rule %s: condition on %s did not compile for the quick check", r.ID, c.path)
						continue
					}
					for _, p := range probes {
						checked++
						if q, k := c.quick.valid(p, time.Time{}), c.schema.VisitJSON(p) == nil; q != k {
							t.Errorf("rule %s, %s on %#v: quick %v, kin %v", r.ID, c.path, p, q, k)
						}
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no conditions checked")
	}
}

// FuzzQuickCheck mutates example bodies and holds the quick check to
// kin-openapi's verdict (a body the quick check accepts must be valid for
// kin-openapi too, or findings would be lost), and the findings of the
// located nodes to those of the whole body.
func FuzzQuickCheck(f *testing.F) {
	e, err := New()
	if err != nil {
		f.Fatal(err)
	}
	ops := bodyOperations(f, e)
	bodies := exampleBodies(f, e)
	for i, op := range ops {
		for _, b := range bodies[op.ID] {
			f.Add(uint8(i), b)
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		op := ops[int(which)%len(ops)]
		v, err := decodeBody(body, DefaultLimits, nil)
		if err != nil {
			return
		}
		if d := disagreement(op, body, v); d != "" {
			t.Fatalf("%s: %s\nfor %s", op.ID, d, body)
		}
	})
}
