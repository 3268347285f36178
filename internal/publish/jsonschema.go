package publish

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// Draft2020 is the $schema of the published JSON Schemas.
const Draft2020 = "https://json-schema.org/draft/2020-12/schema"

// requestSchemas returns, by operationId, a self-contained JSON Schema
// (draft 2020-12) of every JSON request body of one bundled document (tree
// is the bundle decoded as JSON), for editors and JSON Schema validators.
//
// The OpenAPI 3.0 dialect is translated: components become $defs, nullable
// becomes a "null" type, example becomes examples, and the x- extensions are
// left out. A named format (x-formats) keeps its name as the format, which
// editors ignore, its description is added to the field's, and where a
// pattern can state its syntax (base64 text, a time layout) the pattern is
// added; what no pattern can say (password classes, decoded size, a time
// window, IP syntax) and the cross-field rules are left to validate, as each
// schema's description says.
func requestSchemas(api string, tree map[string]any, base string) (map[string][]byte, error) {
	components, _ := dig(tree, "components", "schemas").(map[string]any)
	formats, _ := tree["x-formats"].(map[string]any)
	version, _ := dig(tree, "info", "version").(string)
	paths, _ := tree["paths"].(map[string]any)
	out := map[string][]byte{}
	for _, path := range slices.Sorted(maps.Keys(paths)) {
		item, _ := paths[path].(map[string]any)
		for _, method := range slices.Sorted(maps.Keys(item)) {
			op, _ := item[method].(map[string]any)
			body, ok := dig(op, "requestBody", "content", "application/json", "schema").(map[string]any)
			if !ok {
				continue
			}
			id, _ := op["operationId"].(string)
			c := converter{components: components, formats: formats, defs: map[string]any{}}
			root := c.schema(body)
			for len(c.todo) > 0 {
				name := c.todo[0]
				c.todo = c.todo[1:]
				def, ok := components[name]
				if !ok {
					return nil, fmt.Errorf("%s: $ref to unknown schema %s", id, name)
				}
				c.defs[name] = c.schema(def)
			}
			summary, _ := op["summary"].(string)
			doc := map[string]any{
				"$schema": Draft2020,
				"$id":     base + "schemas/" + id + ".request.json",
				"title":   id + " request body",
				"description": fmt.Sprintf("The JSON body of %s (%s %s): %s. Generated from the %s API document, version %s (%s%s/index.html#op-%s). "+
					"JSON Schema cannot state this API's cross-field rules and the whole of its named formats: "+
					"`validate` checks them (go run github.com/hwspec/compute/cmd/validate), as do the local server and the client.",
					id, strings.ToUpper(method), path, summary, api, version, base, api, id),
			}
			for k, v := range root.(map[string]any) {
				doc[k] = v
			}
			if len(c.defs) > 0 {
				doc["$defs"] = c.defs
			}
			raw, err := json.MarshalIndent(doc, "", "  ")
			if err != nil {
				return nil, err
			}
			out[id] = append(raw, '\n')
		}
	}
	return out, nil
}

func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// converter translates OpenAPI 3.0 schema objects into JSON Schema 2020-12,
// collecting the components they reference.
type converter struct {
	components, formats map[string]any
	defs                map[string]any
	todo                []string
	seen                []string
}

// The keywords whose values are schemas, or maps or lists of schemas.
var (
	schemaKeywords    = []string{"items", "additionalProperties", "not"}
	schemaMapKeywords = []string{"properties"}
	schemaListKeyword = []string{"allOf", "anyOf", "oneOf"}
	// OpenAPI-only keywords with no JSON Schema meaning.
	dropKeywords = []string{"nullable", "example", "discriminator", "xml", "externalDocs"}
)

func (c *converter) schema(v any) any {
	s, ok := v.(map[string]any)
	if !ok {
		return v // additionalProperties: false
	}
	out := map[string]any{}
	for k, val := range s {
		switch {
		case k == "$ref":
			ref, _ := val.(string)
			name, ok := strings.CutPrefix(ref, "#/components/schemas/")
			if !ok {
				out[k] = val
				continue
			}
			if !slices.Contains(c.seen, name) {
				c.seen = append(c.seen, name)
				c.todo = append(c.todo, name)
			}
			out[k] = "#/$defs/" + name
		case strings.HasPrefix(k, "x-") || slices.Contains(dropKeywords, k):
		case slices.Contains(schemaKeywords, k):
			out[k] = c.schema(val)
		case slices.Contains(schemaMapKeywords, k):
			m, _ := val.(map[string]any)
			props := map[string]any{}
			for name, p := range m {
				props[name] = c.schema(p)
			}
			out[k] = props
		case slices.Contains(schemaListKeyword, k):
			list, _ := val.([]any)
			var items []any
			for _, p := range list {
				items = append(items, c.schema(p))
			}
			out[k] = items
		default:
			out[k] = val
		}
	}
	if ex, ok := s["example"]; ok {
		out["examples"] = []any{ex}
	}
	if s["nullable"] == true {
		if t, ok := out["type"].(string); ok {
			out["type"] = []any{t, "null"}
		}
		if enum, ok := out["enum"].([]any); ok && !slices.Contains(enum, nil) {
			out["enum"] = append(slices.Clone(enum), nil)
		}
	}
	if name, ok := s["format"].(string); ok {
		if f, ok := c.formats[name].(map[string]any); ok {
			c.namedFormat(out, name, f)
		}
	}
	return out
}

// namedFormat adds a named format's description and, where one can state
// its syntax, its pattern (beside a pattern the schema already has).
func (c *converter) namedFormat(out map[string]any, name string, f map[string]any) {
	desc, _ := f["description"].(string)
	words := fmt.Sprintf("Format %s: %s", name, strings.TrimSpace(desc))
	if d, ok := out["description"].(string); ok && d != "" {
		words = strings.TrimSpace(d) + "\n\n" + words
	}
	out["description"] = words
	p := formatPattern(f)
	if p == "" {
		return
	}
	if _, ok := out["pattern"]; ok {
		all, _ := out["allOf"].([]any)
		out["allOf"] = append(all, map[string]any{"pattern": p})
		return
	}
	out["pattern"] = p
}

// base64Pattern is standard padded base64 (RFC 4648 section 4) with line
// breaks allowed anywhere, as the base64 kind accepts. It does not say that
// the bits after the last character are zero, nor the decoded size.
const base64Pattern = `^(?:[\r\n]*[A-Za-z0-9+/][\r\n]*[A-Za-z0-9+/][\r\n]*[A-Za-z0-9+/][\r\n]*[A-Za-z0-9+/])*` +
	`(?:[\r\n]*[A-Za-z0-9+/][\r\n]*[A-Za-z0-9+/][\r\n]*(?:=[\r\n]*=|[A-Za-z0-9+/][\r\n]*=))?[\r\n]*$`

// layoutTokens are the parts of a Go time layout a pattern states: each
// becomes that many digits.
var layoutTokens = regexp.MustCompile(`2006|01|02|15|04|05`)

// formatPattern returns the pattern of a named format's syntax, or "" when
// a pattern cannot state it.
func formatPattern(f map[string]any) string {
	switch f["kind"] {
	case "base64":
		return base64Pattern
	case "utc-time":
		layout, _ := f["layout"].(string)
		var b strings.Builder
		b.WriteString("^")
		last := 0
		for _, m := range layoutTokens.FindAllStringIndex(layout, -1) {
			lit := layout[last:m[0]]
			if strings.ContainsAny(lit, "0123456789JjMmPp") {
				return "" // a layout element the pattern does not know
			}
			b.WriteString(regexp.QuoteMeta(lit))
			fmt.Fprintf(&b, "[0-9]{%d}", m[1]-m[0])
			last = m[1]
		}
		if strings.ContainsAny(layout[last:], "0123456789JjMmPp") {
			return ""
		}
		b.WriteString(regexp.QuoteMeta(layout[last:]) + "$")
		return b.String()
	}
	return ""
}
