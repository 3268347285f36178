package publish

import (
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Catalogue is rules.json: every cross-field rule (x-rules) and named format
// (x-formats) of the APIs, for tools that show our rules, such as editors
// and review bots. Its ids are the rule ids of validate's findings.
type Catalogue struct {
	Rules []CatalogueEntry `json:"rules"`
}

// CatalogueEntry is one rule or named format.
type CatalogueEntry struct {
	// ID is the rule id findings carry: the x-rules id, or "format."
	// followed by the format's name.
	ID string `json:"id"`
	// Kind is "rule" or "format".
	Kind string `json:"kind"`
	API  string `json:"api"`
	// Severity is "error" or "warning".
	Severity string `json:"severity"`
	// Message is what a finding of the rule says (for a format, its
	// description, which validate shows for it).
	Message string `json:"message"`
	// Sentence states a rule in plain words, as the reference page does.
	Sentence string `json:"sentence,omitempty"`
	// Fields are the fields involved, as <Schema>/<path>; a format's are
	// the fields that use it.
	Fields []string `json:"fields"`
	// Source are the sentences of the document that state or cite the rule,
	// with the JSON pointer of the text in the bundle.
	Source []SourceSentence `json:"source,omitempty"`
	// Page is the rule's anchor on the reference, relative to rules.json.
	Page string `json:"page"`
}

// SourceSentence is a sentence of a document and where it is.
type SourceSentence struct {
	Pointer string `json:"pointer"`
	Text    string `json:"text"`
}

// catalogueOf lists an API's rules and named formats (tree is the bundle as
// decoded JSON).
func catalogueOf(api string, tree map[string]any, v apiView) []CatalogueEntry {
	descs := descriptions(tree, "")
	var out []CatalogueEntry
	for _, r := range v.Rules {
		e := CatalogueEntry{ID: r.ID, Kind: "rule", API: api, Severity: r.Severity, Message: r.Message, Sentence: r.Words, Fields: []string{}, Page: api + "/index.html#rule-" + r.ID}
		for _, w := range r.Where {
			place := strings.ReplaceAll(w.Name, ".", "/")
			if len(r.Fields) == 0 {
				e.Fields = append(e.Fields, place)
			}
			for _, f := range r.Fields {
				e.Fields = append(e.Fields, place+"/"+f)
			}
		}
		e.Source = citing(descs, r.ID)
		out = append(out, e)
	}
	for _, f := range v.Formats {
		e := CatalogueEntry{ID: "format." + f.Name, Kind: "format", API: api, Severity: "error", Message: f.Description, Fields: []string{}, Page: api + "/index.html#format-" + f.Name}
		e.Source = []SourceSentence{{Pointer: "/x-formats/" + f.Name + "/description", Text: f.Description}}
		for _, s := range v.Schemas {
			for _, fv := range s.Fields {
				if fv.Format == f.Name {
					e.Fields = append(e.Fields, s.Name+"/"+fv.Name)
				}
			}
		}
		out = append(out, e)
	}
	return out
}

// descriptions returns every description in a document by JSON pointer.
func descriptions(v any, at string) map[string]string {
	out := map[string]string{}
	switch v := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(v)) {
			p := at + "/" + strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
			if d, ok := v[k].(string); ok && k == "description" {
				out[p] = d
				continue
			}
			maps.Copy(out, descriptions(v[k], p))
		}
	case []any:
		for i, c := range v {
			maps.Copy(out, descriptions(c, at+"/"+strconv.Itoa(i)))
		}
	}
	return out
}

// sentenceEnd ends a sentence: a full stop, question or exclamation mark
// followed by white space.
var sentenceEnd = regexp.MustCompile(`[.!?]\s+`)

// citing returns the sentences of the descriptions that name a rule id, in
// pointer order.
func citing(descs map[string]string, id string) []SourceSentence {
	var out []SourceSentence
	for _, p := range slices.Sorted(maps.Keys(descs)) {
		d := strings.Join(strings.Fields(descs[p]), " ")
		if !strings.Contains(d, id) {
			continue
		}
		start := 0
		for _, m := range sentenceEnd.FindAllStringIndex(d, -1) {
			if strings.HasSuffix(d[:m[0]], "e.g") || strings.HasSuffix(d[:m[0]], "i.e") {
				continue
			}
			s := d[start : m[0]+1]
			if strings.Contains(s, id) {
				out = append(out, SourceSentence{Pointer: p, Text: s})
			}
			start = m[1]
		}
		if s := d[start:]; strings.Contains(s, id) {
			out = append(out, SourceSentence{Pointer: p, Text: s})
		}
	}
	return out
}
