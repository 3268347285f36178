package validation

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestIntegerNotation(t *testing.T) {
	for _, c := range []struct {
		in, want string
	}{
		{"2", "2"},
		{"-0", "-0"},
		{"2.0", "2"},
		{"2e0", "2"},
		{"2E+0", "2"},
		{"20e-1", "2"},
		{"0.2e1", "2"},
		{"1E2", "100"},
		{"-0.0", "0"},
		{"-3.00", "-3"},
		{"1e-400", "0"},      // float64 underflows to 0: an integer, as the engine judges
		{"2.5", "2.5"},       // not an integer: left for the binder to refuse
		{"1e400", "1e400"},   // not finite
		{"9.3e18", "9.3e18"}, // beyond int64
		{"9223372036854775808", "9223372036854775808"},
		{"-9.223372036854775808e18", "-9223372036854775808"},
		{"123456789012345678901234567890", "123456789012345678901234567890"},
	} {
		t.Run(c.in, func(t *testing.T) {
			if got := integerNotation(json.Number(c.in)); got != json.Number(c.want) {
				t.Errorf("integerNotation(%s) = %v, want %s", c.in, got, c.want)
			}
		})
	}
}

// TestIntegerNotationWalksTheValue checks that numbers are rewritten in
// objects and arrays at any depth, and that nothing else changes.
func TestIntegerNotationWalksTheValue(t *testing.T) {
	in := map[string]any{
		"count": json.Number("2.0"),
		"name":  "2.0",
		"list":  []any{json.Number("1e1"), []any{json.Number("3.0")}, map[string]any{"n": json.Number("4e0"), "b": true, "z": nil}},
		"f":     json.Number("0.5"),
	}
	want := map[string]any{
		"count": json.Number("2"),
		"name":  "2.0",
		"list":  []any{json.Number("10"), []any{json.Number("3")}, map[string]any{"n": json.Number("4"), "b": true, "z": nil}},
		"f":     json.Number("0.5"),
	}
	if got := integerNotation(in); !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v\nwant %#v", got, want)
	}
	if got := integerNotation(nil); got != nil {
		t.Errorf("integerNotation(nil) = %#v", got)
	}
}
