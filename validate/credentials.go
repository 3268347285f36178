package validate

import (
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
)

// The x-credential-form extension of a security scheme: the shape its
// header must have, and the companion headers it needs, so that a request
// is checked for the scheme's form (never for a credential's validity).

// credentialForm is a compiled x-credential-form.
type credentialForm struct {
	pattern *regexp.Regexp
	headers []companionHeader // sorted by name
}

type companionHeader struct {
	name    string // canonical
	pattern *regexp.Regexp
}

// credentialFormSource is the JSON shape of x-credential-form.
type credentialFormSource struct {
	Pattern string            `json:"pattern"`
	Headers map[string]string `json:"headers"`
}

// compileCredentialForms reads x-credential-form of every security scheme.
func compileCredentialForms(api *API) (map[string]*credentialForm, error) {
	forms := map[string]*credentialForm{}
	for _, name := range slices.Sorted(maps.Keys(api.Doc.Components.SecuritySchemes)) {
		ref := api.Doc.Components.SecuritySchemes[name]
		raw, ok := ref.Value.Extensions["x-credential-form"]
		if !ok {
			continue
		}
		if api.securitySchemeHeader(name) == "" {
			return nil, fmt.Errorf("security scheme %s: x-credential-form needs an apiKey scheme in a header", name)
		}
		var src credentialFormSource
		if err := strictRemarshal(raw, &src); err != nil {
			return nil, fmt.Errorf("security scheme %s: x-credential-form: %w", name, err)
		}
		f := &credentialForm{}
		var err error
		if f.pattern, err = regexp.Compile(src.Pattern); err != nil || src.Pattern == "" {
			return nil, fmt.Errorf("security scheme %s: x-credential-form: want a pattern (%v)", name, err)
		}
		for _, h := range slices.Sorted(maps.Keys(src.Headers)) {
			re, err := regexp.Compile(src.Headers[h])
			if err != nil {
				return nil, fmt.Errorf("security scheme %s: x-credential-form: header %s: %w", name, h, err)
			}
			f.headers = append(f.headers, companionHeader{name: http.CanonicalHeaderKey(h), pattern: re})
		}
		forms[name] = f
	}
	return forms, nil
}

// check returns a finding for each part of the form the request breaks.
// Messages never repeat the values: they are credentials.
func (f *credentialForm) check(scheme, header string, h http.Header) []Finding {
	var out []Finding
	if !f.pattern.MatchString(h.Get(header)) {
		out = append(out, Finding{In: InHeader, Name: header, Rule: SecurityFormRule, Severity: Error,
			Message: fmt.Sprintf("%s does not have the form of the %s scheme (pattern %s)", header, scheme, f.pattern)})
	}
	for _, c := range f.headers {
		if v := h.Get(c.name); !c.pattern.MatchString(v) {
			what := "is missing"
			if v != "" {
				what = "does not match " + c.pattern.String()
			}
			out = append(out, Finding{In: InHeader, Name: c.name, Rule: SecurityFormRule, Severity: Error,
				Message: fmt.Sprintf("the %s scheme needs %s, which %s", scheme, c.name, what)})
		}
	}
	return out
}
