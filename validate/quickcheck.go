package validate

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/hwspec/compute/validate/internal/simplepattern"
)

// A quick validity check, compiled once per request schema, that answers
// one question: is this body valid against the schema? Most requests are,
// and walking kin-openapi's schema objects for every request costs more
// than reading the body. quickCheck covers the keywords the specs use in
// request schemas; a schema with any other keyword is not compiled and
// kin-openapi checks it alone.
//
// When the quick check says "invalid", locate names the nodes of the body
// that break their own schema's keywords (and the undeclared members of
// closed objects, which need no kin-openapi to be reported), and
// kin-openapi validates just those nodes and produces the findings, so messages and rule ids come from
// one place while kin-openapi does not walk the valid rest of the body
// again. An object or array node is validated against its shallow schema:
// the same object-level (or array-level) keywords, with every child allowed,
// because its children are nodes of their own. FuzzQuickCheck holds the
// verdicts, and the findings of the located nodes, to kin-openapi's on the
// whole body.

type quickSchema struct {
	src     *openapi3.Schema // the schema this was compiled from
	shallow *openapi3.Schema // for objects and arrays: src's own keywords only

	types      []string // empty: any type
	nullable   bool
	enum       []any
	properties map[string]*quickSchema
	required   []string
	closed     bool         // additionalProperties: false
	additional *quickSchema // additionalProperties: <schema>
	items      *quickSchema
	not        *quickSchema

	minLength, maxLength *int
	pattern              simplepattern.Matcher
	format               *Format
	intFormat            string // int32 or int64

	minimum, maximum, multipleOf *float64
	minItems, maxItems           *int
	minProps, maxProps           *int
}

// compileQuick compiles a schema, or fails when it uses a keyword quickCheck
// does not implement.
func compileQuick(s *openapi3.Schema, formats map[string]*Format, seen map[*openapi3.Schema]*quickSchema) (*quickSchema, error) {
	if q, ok := seen[s]; ok {
		if q == nil {
			return nil, fmt.Errorf("recursive schema")
		}
		return q, nil
	}
	seen[s] = nil
	switch {
	case len(s.OneOf) > 0 || len(s.AnyOf) > 0 || len(s.AllOf) > 0:
		return nil, fmt.Errorf("oneOf/anyOf/allOf")
	case s.UniqueItems || s.ExclusiveMin.IsTrue() || s.ExclusiveMax.IsTrue() || s.ReadOnly || s.WriteOnly || s.Discriminator != nil:
		return nil, fmt.Errorf("unsupported keyword")
	}
	q := &quickSchema{src: s, shallow: shallowSchema(s), nullable: s.Nullable, enum: s.Enum, closed: s.AdditionalProperties.Has != nil && !*s.AdditionalProperties.Has}
	if s.Type != nil {
		q.types = s.Type.Slice()
	}
	if s.MinLength > 0 {
		n := int(s.MinLength)
		q.minLength = &n
	}
	if s.MaxLength != nil {
		n := int(*s.MaxLength)
		q.maxLength = &n
	}
	if s.Pattern != "" {
		m, err := simplepattern.Compile(s.Pattern)
		if err != nil {
			return nil, err
		}
		q.pattern = m
	}
	switch f := s.Format; {
	case f == "":
	case f == "int32" || f == "int64":
		q.intFormat = f
	case formats[f] != nil:
		q.format = formats[f]
	default:
		return nil, fmt.Errorf("format %q", f)
	}
	q.minimum, q.maximum, q.multipleOf = s.Min, s.Max, s.MultipleOf
	q.minItems, q.maxItems = intPtr(s.MinItems, false), intPtr64(s.MaxItems)
	q.minProps, q.maxProps = intPtr(s.MinProps, false), intPtr64(s.MaxProps)
	q.required = s.Required
	if len(s.Properties) > 0 {
		q.properties = make(map[string]*quickSchema, len(s.Properties))
		for name, ref := range s.Properties {
			sub, err := compileQuick(ref.Value, formats, seen)
			if err != nil {
				return nil, err
			}
			q.properties[name] = sub
		}
	}
	if ap := s.AdditionalProperties.Schema; ap != nil {
		sub, err := compileQuick(ap.Value, formats, seen)
		if err != nil {
			return nil, err
		}
		q.additional = sub
	}
	if s.Items != nil {
		sub, err := compileQuick(s.Items.Value, formats, seen)
		if err != nil {
			return nil, err
		}
		q.items = sub
	}
	if s.Not != nil {
		sub, err := compileQuick(s.Not.Value, formats, seen)
		if err != nil {
			return nil, err
		}
		q.not = sub
	}
	seen[s] = q
	return q, nil
}

func intPtr(n uint64, keepZero bool) *int {
	if n == 0 && !keepZero {
		return nil
	}
	v := int(n)
	return &v
}

func intPtr64(n *uint64) *int {
	if n == nil {
		return nil
	}
	v := int(*n)
	return &v
}

// shallowSchema returns a schema with the object-level and array-level
// keywords of an object or array schema and a schema that allows anything
// for every child, or nil for other schemas. It allows undeclared members:
// locate reports those itself.
func shallowSchema(s *openapi3.Schema) *openapi3.Schema {
	if len(s.Properties) == 0 && s.AdditionalProperties.Has == nil && s.AdditionalProperties.Schema == nil && s.Items == nil &&
		len(s.Required) == 0 && s.MinProps == 0 && s.MaxProps == nil && s.MinItems == 0 && s.MaxItems == nil {
		return nil
	}
	sh := &openapi3.Schema{
		Type: s.Type, Nullable: s.Nullable, Required: s.Required,
		MinProps: s.MinProps, MaxProps: s.MaxProps, MinItems: s.MinItems, MaxItems: s.MaxItems,
	}
	if len(s.Properties) > 0 {
		sh.Properties = make(openapi3.Schemas, len(s.Properties))
		for name := range s.Properties {
			sh.Properties[name] = anyValue
		}
	}
	return sh
}

// anyValue is a schema every JSON value satisfies, null included.
var anyValue = &openapi3.SchemaRef{Value: &openapi3.Schema{Nullable: true}}

// valid reports whether v, a value from decodeBody, satisfies the schema.
func (q *quickSchema) valid(v any, now time.Time) bool {
	if !q.validOwn(v, now) {
		return false
	}
	switch val := v.(type) {
	case map[string]any:
		if !q.validObject(val) {
			return false
		}
		for k, child := range val {
			p, declared := q.properties[k]
			if !declared {
				if q.closed {
					return false
				}
				p = q.additional
			}
			if p != nil && !p.valid(child, now) {
				return false
			}
		}
	case []any:
		if !q.validArray(val) {
			return false
		}
		if q.items != nil {
			for _, item := range val {
				if !q.items.valid(item, now) {
					return false
				}
			}
		}
	}
	return true
}

// failure is a node of a body that breaks its schema's own keywords, with
// the schema kin-openapi is to validate it against; or, when unknown is
// set, a member that a closed object does not declare (the last segment of
// path; schema is the object's).
type failure struct {
	path    []string
	schema  *openapi3.Schema
	value   any
	unknown bool
}

// member is the name of an undeclared member.
func (f failure) member() string { return f.path[len(f.path)-1] }

// locate appends the nodes of v (at path) that break their schema's own
// keywords, and the undeclared members of closed objects. For a body the
// quick check rejects, it finds at least one.
func (q *quickSchema) locate(v any, path []string, out []failure, now time.Time) []failure {
	if !q.validOwn(v, now) {
		return append(out, failure{path: slices.Clone(path), schema: q.src, value: v})
	}
	switch val := v.(type) {
	case map[string]any:
		for k, child := range val {
			p, declared := q.properties[k]
			if !declared {
				if q.closed {
					out = append(out, failure{path: append(slices.Clone(path), k), schema: q.src, unknown: true})
					continue
				}
				p = q.additional
			}
			if p != nil {
				out = p.locate(child, append(path, k), out, now)
			}
		}
		if !q.validObject(val) {
			out = append(out, failure{path: slices.Clone(path), schema: q.shallow, value: val})
		}
	case []any:
		if !q.validArray(val) {
			out = append(out, failure{path: slices.Clone(path), schema: q.shallow, value: val})
		}
		if q.items != nil {
			for i, item := range val {
				out = q.items.locate(item, append(path, strconv.Itoa(i)), out, now)
			}
		}
	}
	return out
}

// validOwn checks the keywords that concern the value itself: nullable,
// enum, not, type, and the string and number keywords.
func (q *quickSchema) validOwn(v any, now time.Time) bool {
	if v == nil {
		return q.nullable // as kin-openapi reads OpenAPI 3.0: null needs nullable, even without a type
	}
	if len(q.enum) > 0 && !inEnum(q.enum, v) {
		return false
	}
	if q.not != nil && q.not.valid(v, now) {
		return false
	}
	switch val := v.(type) {
	case map[string]any:
		return q.allows("object")
	case []any:
		return q.allows("array")
	case string:
		return q.allows("string") && q.validString(val, now)
	case json.Number:
		return q.validNumber(val)
	case bool:
		return q.allows("boolean")
	}
	return false
}

func (q *quickSchema) allows(t string) bool {
	return len(q.types) == 0 || slices.Contains(q.types, t)
}

// validObject checks the object-level keywords other than closedness
// (which the member loops check): member counts and required members.
func (q *quickSchema) validObject(obj map[string]any) bool {
	if q.minProps != nil && len(obj) < *q.minProps || q.maxProps != nil && len(obj) > *q.maxProps {
		return false
	}
	for _, k := range q.required {
		if _, ok := obj[k]; !ok {
			return false
		}
	}
	return true
}

// validArray checks the array-level keywords: item counts.
func (q *quickSchema) validArray(arr []any) bool {
	return !(q.minItems != nil && len(arr) < *q.minItems || q.maxItems != nil && len(arr) > *q.maxItems)
}

func (q *quickSchema) validString(s string, now time.Time) bool {
	if q.minLength != nil || q.maxLength != nil {
		n := utf8.RuneCountInString(s)
		if q.minLength != nil && n < *q.minLength || q.maxLength != nil && n > *q.maxLength {
			return false
		}
	}
	if q.pattern != nil && !q.pattern.MatchString(s) {
		return false
	}
	return q.format == nil || q.format.validAt(s, now) == nil
}

func (q *quickSchema) validNumber(n json.Number) bool {
	f, err := n.Float64()
	if err != nil || math.IsInf(f, 0) {
		return false
	}
	isInt := big.NewFloat(f).IsInt()
	switch {
	case q.allows("number"):
	case q.allows("integer"):
		if !isInt {
			return false
		}
	default:
		return false
	}
	switch q.intFormat {
	case "int32":
		if isInt && (f < math.MinInt32 || f > math.MaxInt32) {
			return false
		}
	case "int64":
		if isInt && (f < math.MinInt64 || f > math.MaxInt64) {
			return false
		}
	}
	if q.minimum != nil && f < *q.minimum || q.maximum != nil && f > *q.maximum {
		return false
	}
	if q.multipleOf != nil && *q.multipleOf != 0 {
		r := f / *q.multipleOf
		if math.Abs(r-math.Round(r)) > 1e-9 {
			return false
		}
	}
	return true
}

// inEnum compares a decoded value with enum members as JSON values: numbers
// by value, everything else by equality.
func inEnum(enum []any, v any) bool {
	num, isNum := v.(json.Number)
	var f float64
	if isNum {
		var err error
		if f, err = num.Float64(); err != nil {
			return false
		}
	}
	for _, e := range enum {
		switch ev := e.(type) {
		case float64:
			if isNum && ev == f {
				return true
			}
		case string, bool:
			if ev == v {
				return true
			}
		case nil:
			if v == nil {
				return true
			}
		}
	}
	return false
}
