package validate

// Rule ids of the engine's own checks, for front-ends that act on a
// finding's rule (an HTTP status, a credential the client adds itself, a
// policy on unknown members). Spec rules have the ids of their x-rules,
// named formats format.<name>, and the other JSON Schema keywords
// schema.<keyword>; TruncatedRule ends a capped list.
const (
	// RouteUnknownRule: no operation matches the method and path.
	RouteUnknownRule = "route.unknown"
	// RouteMethodRule: the path exists, but not with this method.
	RouteMethodRule = "route.method"
	// RouteTargetRule: the request target is not a URL path.
	RouteTargetRule = "route.target"
	// SecurityMissingRule: neither a token nor an AK/SK signature.
	SecurityMissingRule = "security.missing"
	// SecurityFormRule: a credential header lacks its scheme's form.
	SecurityFormRule = "security.form"
	// ParamRepeatedRule: a single-valued parameter or header sent twice.
	ParamRepeatedRule = "param.repeated"
	// BodySizeRule: the body is larger than Limits.MaxBodyBytes.
	BodySizeRule = "body.size"
	// BodyUnexpectedRule: a body on an operation that takes none.
	BodyUnexpectedRule = "body.unexpected"
	// BodyContentTypeRule: a JSON body sent with another Content-Type.
	BodyContentTypeRule = "body.content-type"
	// JSONSyntaxRule: the body is not valid JSON.
	JSONSyntaxRule = "json.syntax"
	// JSONDuplicateKeyRule: a member name appears twice in one object.
	JSONDuplicateKeyRule = "json.duplicate-key"
	// JSONCaseVariantKeyRule: a member name differs from a declared one
	// only in letter case (an error even where unknown members are not).
	JSONCaseVariantKeyRule = "json.case-variant-key"
	// JSONUTF8Rule: a string is not valid UTF-8.
	JSONUTF8Rule = "json.utf8"
	// JSONDepthRule: nesting deeper than Limits.MaxDepth.
	JSONDepthRule = "json.depth"
	// SchemaRequiredRule: a required field, parameter or body is missing.
	SchemaRequiredRule = "schema.required"
	// SchemaAdditionalPropertiesRule: a member the schema does not declare
	// (its severity follows WithUnknownFields).
	SchemaAdditionalPropertiesRule = "schema.additionalProperties"
	// ResponseStatusRule: a response's status is not one the operation
	// documents (ValidateResponse; its other ids are "response." followed
	// by one of the ids above).
	ResponseStatusRule = "response.status"
	// ResponseRedirectRule: a 3xx status the operation does not document,
	// reported as a warning rather than drift (ValidateResponse).
	ResponseRedirectRule = "response.redirect"
)
