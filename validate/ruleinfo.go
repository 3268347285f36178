package validate

import "strings"

// genericRules describes the rule ids that do not come from a spec: JSON
// Schema keywords and the request checks. README.md lists them too.
var genericRules = map[string]string{
	SchemaRequiredRule:             "a required field, parameter or body is missing",
	SchemaAdditionalPropertiesRule: "a member the schema does not declare (request objects are closed)",
	"schema.type":                  "a value of the wrong JSON type",
	"schema.enum":                  "a value outside the allowed list (case-sensitive)",
	"schema.pattern":               "a string that does not match the field's pattern",
	"schema.minLength":             "a string shorter than allowed",
	"schema.maxLength":             "a string longer than allowed",
	"schema.minimum":               "a number below the allowed range",
	"schema.maximum":               "a number above the allowed range",
	"schema.multipleOf":            "a number off the allowed step",
	"schema.minItems":              "an array with too few items",
	"schema.maxItems":              "an array with too many items",
	"schema.maxProperties":         "an object with too many members",
	"schema.minProperties":         "an object with too few members",
	"schema.not":                   "a value the schema explicitly forbids",
	"schema.nullable":              "null where a value is required",
	JSONSyntaxRule:                 "the body is not valid JSON",
	JSONDuplicateKeyRule:           "a member name appears twice in one object",
	JSONCaseVariantKeyRule:         "a member name differs from a declared one only in letter case",
	JSONUTF8Rule:                   "a string is not valid UTF-8",
	JSONDepthRule:                  "objects and arrays are nested too deeply",
	BodySizeRule:                   "the body is larger than the limit",
	BodyUnexpectedRule:             "a body on an operation that takes none",
	BodyContentTypeRule:            "a JSON body sent with another Content-Type",
	TruncatedRule:                  "more findings than a request reports: the rest are counted, not listed",
	RouteUnknownRule:               "no operation matches the method and path",
	RouteMethodRule:                "the path exists but not with this method",
	RouteTargetRule:                "the request target is not a URL path",
	SecurityMissingRule:            "neither a token nor an AK/SK signature is present",
	SecurityFormRule:               "a credential header lacks its scheme's form (AK/SK: an SDK-HMAC-SHA256 Authorization and X-Sdk-Date)",
	ParamRepeatedRule:              "a query parameter or header that takes one value appears more than once",
}

// RuleInfo describes a rule id in a sentence: a spec rule's message, a named
// format's description, or the description of a generic check.
func (e *Engine) RuleInfo(id string) string {
	if d, ok := genericRules[id]; ok {
		return d
	}
	if name, ok := strings.CutPrefix(id, "format."); ok {
		for _, api := range e.apis {
			if f := api.Formats[name]; f != nil {
				return f.Description
			}
		}
	}
	for _, op := range e.ops {
		for _, site := range op.sites {
			for _, r := range site.rules {
				if r.ID == id {
					return r.Message
				}
			}
		}
	}
	return id
}
