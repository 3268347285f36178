package strictjson

import (
	"strconv"
	"strings"
	"testing"

	"github.com/hwspec/compute/internal/fixture"
)

// TestPlacesMatchesSeek places every value of every example body of the
// specs (and a missing member of each object) in one call, and holds each
// place to the one a reference gives: the per-pointer seek from the start
// of the body that Places replaced. The member name's place is the
// reference's key when the value is an object's member, and zero when it
// is not.
func TestPlacesMatchesSeek(t *testing.T) {
	for _, x := range fixture.Examples(t) {
		v, err := Decode(x.Body, Options{MaxDepth: 64})
		if err != nil || v == nil {
			continue
		}
		var pointers []string
		var walk func(v any, segs []string)
		walk = func(v any, segs []string) {
			p := pointer(segs)
			pointers = append(pointers, p)
			switch v := v.(type) {
			case map[string]any:
				pointers = append(pointers, p+"/no~1such")
				for k, c := range v {
					walk(c, append(segs[:len(segs):len(segs)], k))
				}
			case []any:
				for i, c := range v {
					walk(c, append(segs[:len(segs):len(segs)], strconv.Itoa(i)))
				}
			}
		}
		walk(v, nil)
		places := make([]Place, len(pointers))
		calls := 0
		Places(x.Body, pointers, func(i int, p Place) {
			if i != calls {
				t.Fatalf("place called for %d after %d calls", i, calls)
			}
			calls++
			places[i] = p
		})
		if calls != len(pointers) {
			t.Fatalf("place called %d times for %d pointers", calls, len(pointers))
		}
		for i, p := range pointers {
			segs := referenceSegments(p)
			value, key, depth := referenceSeek(x.Body, segs)
			line, col := LineColumn(x.Body, value)
			keyLine, keyCol := 0, 0
			if depth == len(segs) && key >= 0 {
				keyLine, keyCol = LineColumn(x.Body, key)
			}
			if got, want := places[i], (Place{Line: line, Column: col, KeyLine: keyLine, KeyColumn: keyCol}); got != want {
				t.Errorf("%s line %d: %s at %+v, want %+v", x.File, x.Line, p, got, want)
			}
		}
	}
}

func referenceSegments(p string) []string {
	if p == "" {
		return nil
	}
	segs := strings.Split(p[1:], "/")
	for i, s := range segs {
		segs[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
	}
	return segs
}

// referenceSeek finds, in a body that Decode accepted, the value at the pointer
// segments segs. It returns the offset of the deepest value it reached, the
// offset of that value's member name (-1 for array items and the root), and
// how many segments it followed. It builds no values: it is run once per
// finding, only for bodies that have findings.
func referenceSeek(data []byte, segs []string) (value, key, depth int) {
	d := &decoder{data: data}
	d.space()
	value, key = d.pos, -1
	for depth < len(segs) {
		if d.pos >= len(d.data) {
			return
		}
		seg := segs[depth]
		switch d.data[d.pos] {
		case '{':
			d.pos++
			found := false
			for !found {
				d.space()
				if d.pos >= len(d.data) || d.data[d.pos] != '"' {
					return
				}
				at := d.pos
				match, ok := d.refKeyEquals(seg)
				if !ok {
					return
				}
				d.space()
				d.pos++ // ':'
				d.space()
				if match {
					found, value, key = true, d.pos, at
					break
				}
				if !d.refSkipItem() {
					return
				}
			}
		case '[':
			d.pos++
			want, err := strconv.Atoi(seg)
			if err != nil || want < 0 {
				return
			}
			for i := 0; i < want; i++ {
				d.space()
				if !d.refSkipItem() {
					return
				}
			}
			d.space()
			value, key = d.pos, -1
		default:
			return
		}
		depth++
	}
	return
}

// refKeyEquals reads the member name at d.pos and reports whether it is name,
// comparing bytes when the name has no escapes.
func (d *decoder) refKeyEquals(name string) (match, ok bool) {
	start := d.pos + 1
	for i := start; i < len(d.data); i++ {
		switch d.data[i] {
		case '\\':
			k, err := d.string()
			if err != nil {
				return false, false
			}
			return k.(string) == name, true
		case '"':
			d.pos = i + 1
			return string(d.data[start:i]) == name, true
		}
	}
	return false, false
}

// refSkipItem moves past one value and the comma after it; false when there
// is no next item.
func (d *decoder) refSkipItem() bool {
	if !d.skip() {
		return false
	}
	d.space()
	if d.pos >= len(d.data) || d.data[d.pos] != ',' {
		return false
	}
	d.pos++
	return true
}
