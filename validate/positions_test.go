package validate

import (
	"strconv"
	"strings"
	"testing"
)

// TestPlaceFindingsMatchesSeek places a finding at every value of every
// example body (and at a missing member of each object) in one call, and
// holds each position to the one a reference gives: the per-finding seek
// from the start of the body that placeFindings replaced.
func TestPlaceFindingsMatchesSeek(t *testing.T) {
	for _, x := range SpecExamples(t) {
		v, err := decodeBody(x.Body, DefaultLimits, nil)
		if err != nil || v == nil {
			continue
		}
		var fs []Finding
		var walk func(v any, segs []string)
		walk = func(v any, segs []string) {
			p := pointer(segs)
			fs = append(fs, Finding{In: InBody, Pointer: p, Rule: "schema.type"},
				Finding{In: InBody, Pointer: p, Rule: "schema.additionalProperties"})
			switch v := v.(type) {
			case map[string]any:
				fs = append(fs, Finding{In: InBody, Pointer: p + "/no~1such", Rule: "schema.required"})
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
		placeFindings(x.Body, fs)
		for _, f := range fs {
			segs := referenceSegments(f.Pointer)
			value, key, depth := referenceSeek(x.Body, segs)
			off := value
			if depth == len(segs) && key >= 0 && f.Rule == "schema.additionalProperties" {
				off = key
			}
			if line, col := lineColumn(x.Body, int64(off)); f.Line != line || f.Column != col {
				t.Errorf("%s %q: %s %s at %d:%d, want %d:%d", x.File, x.Title, f.Pointer, f.Rule, f.Line, f.Column, line, col)
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

// referenceSeek finds, in a body that decodeBody accepted, the value at the pointer
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
