package validation

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// integerNotation rewrites, in place, every number of a decoded JSON value
// that is an integer but not written as one (2.0, 2e0, 20e-1) into decimal
// integer notation, and returns the value.
//
// JSON Schema, and with it the engine, judges a number by its value: 2.0 is
// the integer 2 and valid where an integer is expected. Go's decoders judge
// by notation and refuse to put 2.0 into an int field, so without this step
// the server would answer 400 to a request the engine called valid. A
// number is an integer here exactly when the engine's check says so: its
// float64 value has no fractional part. Values outside int64 are left as
// they are (the engine has already rejected them for any integer field of
// the specs, which are all int32), and so is every other number, so that a
// float field binds the same value it would have bound anyway.
func integerNotation(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, member := range x {
			if n, ok := member.(json.Number); ok {
				x[k] = integerNumber(n)
			} else {
				integerNotation(member)
			}
		}
	case []any:
		for i, item := range x {
			if n, ok := item.(json.Number); ok {
				x[i] = integerNumber(n)
			} else {
				integerNotation(item)
			}
		}
	case json.Number:
		return integerNumber(x)
	}
	return v
}

// integerNumber returns n in decimal integer notation when its value is an
// integer that fits in int64, and n unchanged otherwise.
func integerNumber(n json.Number) json.Number {
	if isIntegerNotation(string(n)) {
		return n
	}
	f, err := n.Float64()
	if err != nil || f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		return n // not finite, not an integer, or beyond int64 (float64(MaxInt64) is 2^63)
	}
	return json.Number(strconv.FormatInt(int64(f), 10))
}

// isIntegerNotation reports whether s is an optional minus sign and digits.
func isIntegerNotation(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
