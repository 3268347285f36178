package validate

// The engine's side of package strictjson: decoding a body, the finding of
// a body that cannot be decoded, and the places of body findings.

import (
	"errors"

	"github.com/hwspec/compute/validate/internal/strictjson"
)

// decodeBody decodes a body with the strict decoder (package strictjson):
// duplicate member names, invalid UTF-8 and nesting deeper than
// lim.MaxDepth are errors. names, when not nil, interns member names.
func decodeBody(data []byte, lim Limits, names map[string]string) (any, error) {
	return strictjson.Decode(data, strictjson.Options{MaxDepth: lim.MaxDepth, Names: names, Quote: quoteName})
}

// decodeRules are the rule ids of the decoder's errors.
var decodeRules = map[strictjson.Kind]string{
	strictjson.Syntax:       JSONSyntaxRule,
	strictjson.UTF8:         JSONUTF8Rule,
	strictjson.DuplicateKey: JSONDuplicateKeyRule,
	strictjson.Depth:        JSONDepthRule,
}

// decodeFinding is the one finding of a body that decodeBody rejected
// with err: its rule, pointer, line and column.
func decodeFinding(body []byte, err error) Finding {
	var de *strictjson.Error
	if !errors.As(err, &de) {
		de = &strictjson.Error{Kind: strictjson.Syntax, Msg: err.Error()}
	}
	line, col := strictjson.LineColumn(body, de.Offset)
	return Finding{In: InBody, Pointer: pointer(de.Path), Line: line, Column: col, Rule: decodeRules[de.Kind], Message: de.Msg, Severity: Error}
}

// placeFindings sets the line and column of the body findings that have
// none (see strictjson.Places): the member name for an unknown or
// case-variant member, the value otherwise, and for a value that is not
// there (a missing field) the deepest value on its pointer that is, such
// as the object that should hold it. body is one that decodeBody accepted.
func placeFindings(body []byte, fs []Finding) {
	unplaced := func(f *Finding) bool { return f.In == InBody && f.Line == 0 }
	pointers := make([]string, len(fs)) // "" (the root, no cost) for the rest
	for i := range fs {
		if unplaced(&fs[i]) {
			pointers[i] = fs[i].Pointer
		}
	}
	strictjson.Places(body, pointers, func(i int, p strictjson.Place) {
		f := &fs[i]
		switch {
		case !unplaced(f):
		case p.KeyLine > 0 && (f.Rule == SchemaAdditionalPropertiesRule || f.Rule == JSONCaseVariantKeyRule):
			f.Line, f.Column = p.KeyLine, p.KeyColumn
		default:
			f.Line, f.Column = p.Line, p.Column
		}
	})
}
