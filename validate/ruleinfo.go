package validate

import "strings"

// genericRules describes the rule ids that do not come from a spec: JSON
// Schema keywords (every keyword kin-openapi reports; "schema" alone for
// an error that names none) and the request checks. README.md lists them
// too.
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
	"schema.oneOf":                 "a value that matches none, or more than one, of the forms the schema allows",
	"schema.anyOf":                 "a value that matches none of the forms the schema allows",
	"schema.allOf":                 "a value that does not match every form the schema combines",
	"schema.uniqueItems":           "an array with the same item twice",
	"schema.exclusiveMinimum":      "a number at or below the lower bound it must exceed",
	"schema.exclusiveMaximum":      "a number at or above the upper bound it must stay under",
	"schema.discriminator":         "an object whose discriminator names no form the schema allows",
	"schema.boolean":               "a value where the schema allows none",
	"schema":                       "a value the schema rejects",
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

// responseRules describes the response.* ids whose meaning in a response
// is not the generic one; the others are "in a response: " followed by the
// generic description.
var responseRules = map[string]string{
	ResponseStatusRule:                "a response status the operation does not document",
	ResponseRedirectRule:              "an undocumented redirect or 304 response: answered before the operation was reached, so not drift",
	"response." + SchemaRequiredRule:  "a required member, header or body is missing from a response",
	"response." + BodyContentTypeRule: "a documented JSON response body sent with another Content-Type",
	"response." + BodySizeRule:        "a response body larger than the limit: it is not checked",
	"response." + TruncatedRule:       "more findings than a response reports: the rest are counted, not listed",
	"response." + ParamRepeatedRule:   "a response header that takes one value appears more than once",
}

// notInResponses are generic ids that ValidateResponse never reports in a
// response: responses are open, and route, credential and request-body
// checks are about requests.
var notInResponses = map[string]bool{
	SchemaAdditionalPropertiesRule: true, BodyUnexpectedRule: true,
	RouteUnknownRule: true, RouteMethodRule: true, RouteTargetRule: true,
	SecurityMissingRule: true, SecurityFormRule: true,
}

// RuleInfo describes a rule id in a sentence: a spec rule's message, a named
// format's description, or the description of a generic check, of a
// request or (ids that start with "response.") of a response. An id it
// does not know comes back as it is.
func (e *Engine) RuleInfo(id string) string {
	if d, ok := genericRules[id]; ok {
		return d
	}
	if d, ok := responseRules[id]; ok {
		return d
	}
	if rest, ok := strings.CutPrefix(id, "response."); ok {
		if _, generic := genericRules[rest]; generic && !notInResponses[rest] || strings.HasPrefix(rest, "format.") {
			if d := e.RuleInfo(rest); d != rest {
				return "in a response: " + d
			}
		}
		return id
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
