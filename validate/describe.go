package validate

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// ParseRules reads the x-rules extension of a schema (nil when it has none),
// for tools that present the rules, such as the published reference.
func ParseRules(s *openapi3.Schema) ([]*Rule, error) {
	return parseRules(s.Extensions["x-rules"])
}

// Describe states the rule in plain words, e.g. "When extendparam/chargingMode
// is "prePaid" and key_name is given: metadata/op_svc_userid is required."
// A condition on the very field an effect is about is folded into the
// effect, so that no sentence is circular: "When availability_zone is given:
// batch_create_in_multi_az must not be true.", "When size is between 301 and
// 1000: it is a multiple of 50."
func (r *Rule) Describe() string {
	when := slices.Clone(r.ifAll)
	// fold removes the condition on p from when and returns its words ("" when
	// there is none).
	fold := func(p fieldPath) string {
		for i, c := range when {
			if slices.Equal(c.path, p) {
				when = slices.Delete(when, i, i+1)
				return schemaWords(c.schema)
			}
		}
		return ""
	}
	var effects []string
	if r.exactlyOneOf != nil {
		effects = append(effects, "exactly one of "+pathList(r.exactlyOneOf)+" is given")
	}
	if r.atMostOneOf != nil {
		effects = append(effects, "at most one of "+pathList(r.atMostOneOf)+" is given")
	}
	// A required field that the rule also constrains is said once:
	// "__system__encrypted is required and is "1"".
	required := map[string]string{}
	var plainRequired []fieldPath
	for _, p := range r.requires {
		i := slices.IndexFunc(r.then, func(c condition) bool { return slices.Equal(c.path, p) })
		if i < 0 {
			plainRequired = append(plainRequired, p)
			continue
		}
		required[p.String()] = schemaWords(r.then[i].schema)
	}
	if plainRequired != nil {
		effects = append(effects, pathList(plainRequired)+" "+plural(len(plainRequired), "is", "are")+" required")
	}
	if r.forbids != nil {
		var plain []fieldPath
		for _, p := range r.forbids {
			switch w := fold(p); {
			case w == "":
				plain = append(plain, p)
			case strings.HasPrefix(w, "is ") && !strings.Contains(w, " and "):
				effects = append(effects, p.String()+" must not be "+strings.TrimPrefix(w, "is "))
			default:
				effects = append(effects, p.String()+" must not be given if it "+w)
			}
		}
		if plain != nil {
			effects = append(effects, pathList(plain)+" must not be given")
		}
	}
	for _, c := range r.then {
		if w, ok := required[c.path.String()]; ok {
			effects = append(effects, c.path.String()+" is required and "+w)
			continue
		}
		if len(r.ifAll) == 1 && len(r.then) == 1 && slices.Equal(r.ifAll[0].path, c.path) {
			when = nil
			effects = append(effects, "when "+c.path.String()+" "+conditionWords(r.ifAll[0].schema)+", it "+schemaWords(c.schema))
			continue
		}
		effects = append(effects, c.path.String()+", where given, "+schemaWords(c.schema))
	}
	if r.equal != nil {
		effects = append(effects, r.equal[0].String()+" and "+r.equal[1].String()+", where both are given, are equal")
	}
	if r.uniqueBy != nil {
		effects = append(effects, "no two items of "+r.uniqueBy.path.String()+" have the same "+r.uniqueBy.key)
	}
	if r.keys != nil {
		effects = append(effects, "every key "+schemaWords(r.keys.schema))
	}
	if t := r.total; t != nil {
		effects = append(effects, totalWords(t))
	}
	s := strings.Join(effects, "; ")
	var words []string
	for _, c := range when {
		words = append(words, c.path.String()+" "+conditionWords(c.schema))
	}
	if len(words) > 0 {
		s = "when " + strings.Join(words, " and ") + ": " + s
	}
	if len(r.unless) > 0 {
		var unless []string
		for _, c := range r.unless {
			unless = append(unless, c.path.String()+" "+conditionWords(c.schema))
		}
		s += ", unless " + strings.Join(unless, " or ")
	}
	// Capitalise our own first word, never a field name: "Iops must not be
	// given" would name no field.
	for _, w := range []string{"when ", "exactly ", "at most ", "no two ", "every "} {
		if strings.HasPrefix(s, w) {
			s = strings.ToUpper(s[:1]) + s[1:]
			break
		}
	}
	return s + "."
}

// totalWords states a total effect, e.g. "count × (2 + one for each
// data_volumes/* + one for each publicip/eip/bandwidth/sharetype that is
// "PER") is at most 400, where an absent count counts as 1".
func totalWords(t *total) string {
	var terms []string
	if t.constant != 0 {
		terms = append(terms, number(t.constant))
	}
	for _, c := range t.terms {
		w := "one for each " + c.path.String()
		if c.schema != nil {
			if cw := schemaWords(c.schema); cw != "" {
				w += " that " + cw
			}
		}
		terms = append(terms, w)
	}
	sum := strings.Join(terms, " + ")
	if t.factor == nil {
		return sum + " is at most " + number(t.maximum)
	}
	return fmt.Sprintf("%s × (%s) is at most %s, where an absent %s counts as 1", t.factor, sum, number(t.maximum), t.factor)
}

func pathList(ps []fieldPath) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.String()
	}
	switch len(names) {
	case 1:
		return names[0]
	case 2:
		return names[0] + " and " + names[1]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// conditionWords says what a condition schema asks of a present field.
func conditionWords(s *openapi3.Schema) string {
	if w := schemaWords(s); w != "" {
		return w
	}
	return "is given"
}

// schemaWords states the keywords of a small schema fragment.
func schemaWords(s *openapi3.Schema) string {
	var parts []string
	if len(s.Enum) == 1 {
		parts = append(parts, "is "+jsonWord(s.Enum[0]))
	} else if len(s.Enum) > 1 {
		words := make([]string, len(s.Enum))
		for i, v := range s.Enum {
			words[i] = jsonWord(v)
		}
		parts = append(parts, "is one of "+strings.Join(words, ", "))
	}
	if s.Min != nil && s.Max != nil {
		parts = append(parts, fmt.Sprintf("is between %s and %s", number(*s.Min), number(*s.Max)))
	} else if s.Min != nil {
		parts = append(parts, "is at least "+number(*s.Min))
	} else if s.Max != nil {
		parts = append(parts, "is at most "+number(*s.Max))
	}
	if s.MultipleOf != nil {
		parts = append(parts, "is a multiple of "+number(*s.MultipleOf))
	}
	switch {
	case s.MinLength > 0 && s.MaxLength != nil:
		parts = append(parts, fmt.Sprintf("has %d to %d characters", s.MinLength, *s.MaxLength))
	case s.MinLength > 0:
		parts = append(parts, fmt.Sprintf("has at least %d %s", s.MinLength, plural(int(s.MinLength), "character", "characters")))
	case s.MaxLength != nil:
		parts = append(parts, fmt.Sprintf("has at most %d %s", *s.MaxLength, plural(int(*s.MaxLength), "character", "characters")))
	}
	if s.Pattern != "" {
		parts = append(parts, "matches "+s.Pattern)
	}
	if s.MinItems > 0 {
		parts = append(parts, fmt.Sprintf("has at least %d items", s.MinItems))
	}
	if s.MaxItems != nil {
		parts = append(parts, fmt.Sprintf("has at most %d items", *s.MaxItems))
	}
	return strings.Join(parts, " and ")
}

func jsonWord(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// TotalPaths returns the paths of a rule's total effect: the factor ("" when
// it has none) and each term's path; ok is false when the rule has no total
// effect. Linters use it to check the paths' types against the schema.
func (r *Rule) TotalPaths() (factor string, terms []string, ok bool) {
	if r.total == nil {
		return "", nil, false
	}
	if r.total.factor != nil {
		factor = r.total.factor.String()
	}
	for _, c := range r.total.terms {
		terms = append(terms, c.path.String())
	}
	return factor, terms, true
}

// Fields returns the paths the rule involves, relative to the schema it is
// declared on, each once, in the order the rule names them: its conditions,
// then its effects. A keys effect involves the object's keys, which have no
// path.
func (r *Rule) Fields() []string {
	var out []string
	add := func(ps ...fieldPath) {
		for _, p := range ps {
			if s := p.String(); s != "" && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	for _, cs := range [][]condition{r.ifAll, r.unless, r.then} {
		for _, c := range cs {
			add(c.path)
		}
	}
	add(r.exactlyOneOf...)
	add(r.atMostOneOf...)
	add(r.requires...)
	add(r.forbids...)
	add(r.equal...)
	if r.uniqueBy != nil {
		add(r.uniqueBy.path)
	}
	if t := r.total; t != nil {
		add(t.factor)
		for _, c := range t.terms {
			add(c.path)
		}
	}
	return out
}
