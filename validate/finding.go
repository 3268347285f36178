package validate

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/hwspec/compute/internal/safetext"
	"github.com/hwspec/compute/validate/internal/strictjson"
)

// Where a finding is: the request part it concerns.
const (
	InPath   = "path"
	InQuery  = "query"
	InHeader = "header"
	InBody   = "body"
)

// Finding is one problem with a request.
type Finding struct {
	// In is the part of the request: path, query, header or body.
	In string `json:"in"`
	// Pointer is the RFC 6901 JSON pointer of the offending value in the
	// body ("" is the whole body). Empty for parameters. It is exact, so a
	// tool can resolve it, and so as long as the member names of the body
	// (which Limits.MaxBodyBytes bounds); String shortens it.
	Pointer string `json:"pointer,omitempty"`
	// Name is the parameter or header name, for path, query and header.
	Name string `json:"name,omitempty"`
	// Line and Column locate the value in the input, 1-based, when known.
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
	// Rule is a stable identifier: schema.<keyword>, format.<name>, the id
	// of a spec rule (x-rules), or one of the json.*, route.* and
	// security.* ids of the request checks.
	Rule string `json:"rule"`
	// Message says what is wrong and what would be valid. It never repeats
	// the value of a secret.
	Message  string   `json:"message"`
	Severity Severity `json:"severity"`

	// For a TruncatedRule finding made before the cap: how many places
	// with findings it stands for, and whether some of them (nodes that
	// kin-openapi did not validate) may have more than one.
	omitted int
	atLeast bool
}

// Severity says whether a finding makes a request invalid.
type Severity int

const (
	_ Severity = iota // the zero value means "unset"
	// Error findings make a request invalid.
	Error
	// Warning findings report a combination the service ignores rather than
	// rejects; they do not make a request invalid.
	Warning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "unset"
}

// MarshalText writes the severity as its name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity name, "error" or "warning", so that a
// Finding marshalled to JSON (validate -format json) reads back.
func (s *Severity) UnmarshalText(text []byte) error {
	switch string(text) {
	case "error":
		*s = Error
	case "warning":
		*s = Warning
	default:
		return fmt.Errorf("unknown severity %q (want \"error\" or \"warning\")", text)
	}
	return nil
}

// String formats the finding as "body /server/name: message [rule]" ("body:
// …" for the whole body, "path: …" for the request line), on one line:
// control characters, line and paragraph separators and bidi controls are
// written as escapes (\n, \x1b, \u2028), so a member name cannot start a
// line of its own in a log or CI output; pointer segments longer than
// MaxQuotedRunes characters are cut.
func (f Finding) String() string {
	subject := f.In
	if where := f.Where(); where != "" {
		if f.In == InBody {
			where = shortPointer(where)
		}
		subject += " " + where
	}
	return safetext.Escape(subject) + ": " + safetext.Escape(f.Message) + " [" + safetext.Escape(f.Rule) + "]"
}

// Where is the place of the finding within its part of the request (In):
// the JSON pointer for the body ("" for the whole body), else the parameter
// or header name ("" for the request line). It is exact and unescaped;
// String shortens and escapes it for display.
func (f Finding) Where() string {
	if f.In == InBody {
		return f.Pointer
	}
	return f.Name
}

// shortPointer cuts the segments of a pointer that are longer than
// MaxQuotedRunes characters, for display.
func shortPointer(p string) string {
	if len(p) <= MaxQuotedRunes {
		return p
	}
	var b strings.Builder
	for p != "" {
		p = p[1:] // the '/'
		end := strings.IndexByte(p, '/')
		if end < 0 {
			end = len(p)
		}
		b.WriteByte('/')
		b.WriteString(safetext.CutRunes(p[:end], MaxQuotedRunes))
		p = p[end:]
	}
	return b.String()
}

// pointer formats JSON pointer segments per RFC 6901.
func pointer(segs []string) string {
	if len(segs) == 0 {
		return ""
	}
	var b strings.Builder
	for _, s := range segs {
		b.WriteByte('/')
		s = strings.ReplaceAll(s, "~", "~0")
		b.WriteString(strings.ReplaceAll(s, "/", "~1"))
	}
	return b.String()
}

var inOrder = map[string]int{InPath: 0, InQuery: 1, InHeader: 2, InBody: 3}

// sortFindings puts findings in a stable order: by request part; body
// findings by their place in the body, then by pointer (array indices
// compared as numbers); parameters by name; then by rule id.
func sortFindings(fs []Finding) { slices.SortStableFunc(fs, compareFindings) }

// compareFindings is the order of sortFindings.
func compareFindings(a, b Finding) int {
	if c := cmp.Compare(inOrder[a.In], inOrder[b.In]); c != 0 {
		return c
	}
	if c := strings.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Line, b.Line); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Column, b.Column); c != 0 {
		return c
	}
	if c := comparePointers(a.Pointer, b.Pointer); c != 0 {
		return c
	}
	return strings.Compare(a.Rule, b.Rule)
}

// comparePointers compares two pointers segment by segment: array indices
// (digits without a leading zero) as numbers and before other names, other
// names as strings. It is a total order, as sorting needs, and allocates
// nothing.
func comparePointers(a, b string) int {
	for a != "" && b != "" {
		as, arest := cutSegment(a)
		bs, brest := cutSegment(b)
		if as != bs {
			ai, aok := strictjson.ArrayIndex(as)
			bi, bok := strictjson.ArrayIndex(bs)
			switch {
			case aok && bok:
				return cmp.Compare(ai, bi)
			case aok:
				return -1
			case bok:
				return 1
			}
			return strings.Compare(as, bs)
		}
		a, b = arest, brest
	}
	return cmp.Compare(len(a), len(b))
}

// cutSegment splits the first segment off a non-empty pointer.
func cutSegment(p string) (seg, rest string) {
	p = p[1:]
	if i := strings.IndexByte(p, '/'); i >= 0 {
		return p[:i], p[i:]
	}
	return p, ""
}

// schemaFindings turns kin-openapi's schema errors into findings, with a
// message of ours for each keyword. base is the pointer of the validated
// value within the body (nil for the body itself or a parameter).
func schemaFindings(err error, in, name string, base []string, api *API) []Finding {
	var out []Finding
	var visit func(error)
	visit = func(err error) {
		var me openapi3.MultiError
		if errors.As(err, &me) {
			for _, e := range me {
				visit(e)
			}
			return
		}
		var se *openapi3.SchemaError
		if !errors.As(err, &se) {
			out = append(out, Finding{In: in, Name: name, Pointer: pointerIf(in, base), Rule: "schema", Message: err.Error(), Severity: Error})
			return
		}
		segs := append(slices.Clone(base), se.JSONPointer()...)
		rule, msg := describeSchemaError(se, api.Formats)
		if se.SchemaField == "properties" {
			if key, ok := unsupportedProperty(se.Reason); ok {
				segs = append(segs, key)
				rule, msg = unknownField(key, api.propertyNames(se.Schema))
			}
		}
		out = append(out, Finding{In: in, Name: name, Pointer: pointerIf(in, segs), Rule: rule, Message: msg, Severity: Error})
	}
	visit(err)
	return out
}

func pointerIf(in string, segs []string) string {
	if in != InBody {
		return ""
	}
	return pointer(segs)
}

// unsupportedProperty extracts the key from kin-openapi's reason for an
// undeclared property, `property "x" is unsupported`.
func unsupportedProperty(reason string) (string, bool) {
	rest, ok := strings.CutPrefix(reason, "property ")
	if !ok {
		return "", false
	}
	quoted, ok := strings.CutSuffix(rest, " is unsupported")
	if !ok {
		return "", false
	}
	key, err := strconv.Unquote(quoted)
	return key, err == nil
}

// describeSchemaError returns the rule id and our message for one keyword
// violation. Messages say what would be valid and never quote the value.
func describeSchemaError(se *openapi3.SchemaError, formats map[string]*Format) (string, string) {
	s := se.Schema
	rule := "schema." + se.SchemaField
	switch se.SchemaField {
	case "required":
		segs := se.JSONPointer()
		return rule, fmt.Sprintf("required field %q is missing", segs[len(segs)-1])
	case "properties":
		return SchemaAdditionalPropertiesRule, se.Reason
	case "type":
		return rule, "must be " + typeName(s)
	case "enum":
		// kin-openapi checks enum before type, so a JSON boolean where the
		// strings "true"/"false" are wanted is reported as an enum miss;
		// say what is really wrong, as JSON Schema validators do.
		if !typePermits(s, se.Value) {
			return "schema.type", "must be " + typeName(s) + ", one of " + enumList(s.Enum)
		}
		return rule, "must be one of " + enumList(s.Enum)
	case "pattern":
		return rule, fmt.Sprintf("must match the pattern %s", s.Pattern)
	case "minLength":
		return rule, fmt.Sprintf("must have at least %d %s", s.MinLength, plural(int(s.MinLength), "character", "characters"))
	case "maxLength":
		return rule, fmt.Sprintf("must have at most %d %s", *s.MaxLength, plural(int(*s.MaxLength), "character", "characters"))
	case "minimum":
		return rule, fmt.Sprintf("must be at least %s", number(*s.Min))
	case "maximum":
		return rule, fmt.Sprintf("must be at most %s", number(*s.Max))
	case "multipleOf":
		return rule, fmt.Sprintf("must be a multiple of %s", number(*s.MultipleOf))
	case "minItems":
		return rule, fmt.Sprintf("must have at least %d %s", s.MinItems, plural(int(s.MinItems), "item", "items"))
	case "maxItems":
		return rule, fmt.Sprintf("must have at most %d %s", *s.MaxItems, plural(int(*s.MaxItems), "item", "items"))
	case "maxProperties":
		return rule, fmt.Sprintf("must have at most %d %s", *s.MaxProps, plural(int(*s.MaxProps), "member", "members"))
	case "minProperties":
		return rule, fmt.Sprintf("must have at least %d %s", s.MinProps, plural(int(s.MinProps), "member", "members"))
	case "not":
		if s.Not != nil && s.Not.Value != nil && len(s.Not.Value.Enum) > 0 {
			return rule, "must not be " + enumList(s.Not.Value.Enum)
		}
		return rule, "matches a form that is not allowed"
	case "nullable":
		return rule, "must not be null"
	case "format":
		f := formats[s.Format]
		if f == nil {
			return "format." + s.Format, fmt.Sprintf("must be a valid %s", s.Format)
		}
		// kin-openapi wraps the format's own error in a prefix that repeats
		// the format's name; the rule id already names it.
		msg := se.Reason
		if se.Origin != nil {
			msg = se.Origin.Error()
			if inner := errors.Unwrap(se.Origin); inner != nil {
				msg = inner.Error()
			}
		}
		return "format." + s.Format, msg
	}
	return rule, se.Reason
}

// typePermits reports whether a decoded JSON value has a type the schema
// allows (a schema without a type allows every value).
func typePermits(s *openapi3.Schema, v any) bool {
	if s.Type == nil || len(*s.Type) == 0 {
		return true
	}
	has := func(t string) bool { return slices.Contains(*s.Type, t) }
	switch v := v.(type) {
	case string:
		return has(openapi3.TypeString)
	case bool:
		return has(openapi3.TypeBoolean)
	case json.Number:
		_, err := v.Int64()
		return has(openapi3.TypeNumber) || (err == nil && has(openapi3.TypeInteger))
	case float64:
		return has(openapi3.TypeNumber) || (v == math.Trunc(v) && has(openapi3.TypeInteger))
	case map[string]any:
		return has(openapi3.TypeObject)
	case []any:
		return has(openapi3.TypeArray)
	case nil:
		return s.Nullable
	}
	return true
}

func typeName(s *openapi3.Schema) string {
	if s.Type == nil || len(*s.Type) == 0 {
		return "a valid value"
	}
	t := (*s.Type)[0]
	switch t {
	case "integer", "array", "object":
		return "an " + t
	}
	return "a " + t
}

func enumList(values []any) string {
	parts := make([]string, len(values))
	for i, v := range values {
		switch v := v.(type) {
		case string:
			parts[i] = strconv.Quote(v)
		default:
			parts[i] = fmt.Sprint(v)
		}
	}
	return strings.Join(parts, ", ")
}

func number(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// unknownField names an undeclared member and, when one is close, the
// declared member that was probably meant. A member that differs from a
// declared one only in letter case is its own rule, json.case-variant-key:
// decoders that match names case-insensitively (encoding/json, Echo's Bind)
// would read it as the declared field, so it stays an error even where
// unknown members are tolerated.
func unknownField(key string, names []string) (rule, msg string) {
	if rule, n := unknownRule(key, names); n != "" {
		return rule, fmt.Sprintf("member %s differs from the declared %q only in letter case; a case-insensitive decoder would read it as %q", quoteName(key), n, n)
	}
	msg = "unknown field " + quoteName(key)
	if best := closestName(key, names); best != "" {
		return SchemaAdditionalPropertiesRule, msg + fmt.Sprintf("; did you mean %q?", best)
	}
	return SchemaAdditionalPropertiesRule, msg + " (allowed: " + strings.Join(names, ", ") + ")"
}

// unknownRule returns the rule id of an undeclared member (see
// unknownField) and, for a case variant, the declared name.
func unknownRule(key string, names []string) (rule, declared string) {
	for _, n := range names {
		if strings.EqualFold(n, key) {
			return JSONCaseVariantKeyRule, n
		}
	}
	return SchemaAdditionalPropertiesRule, ""
}

// closestName returns the candidate that differs from key only in letter
// case, or else the one within an edit distance of 2, or "".
func closestName(key string, candidates []string) string {
	for _, c := range candidates {
		if strings.EqualFold(c, key) {
			return c
		}
	}
	lower := strings.ToLower(key)
	best, bestDist := "", 3
	prev, cur := make([]int, 0, 64), make([]int, 0, 64)
	for _, c := range candidates {
		if diff := len(c) - len(key); diff > 2 || diff < -2 {
			continue // the distance is at least the length difference
		}
		if d := editDistance(lower, strings.ToLower(c), prev, cur); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of two ASCII-ish names, computed
// in the two row buffers given.
func editDistance(a, b string, prev, cur []int) int {
	prev, cur = prev[:0], cur[:0]
	for j := 0; j <= len(b); j++ {
		prev = append(prev, j)
		cur = append(cur, 0)
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
