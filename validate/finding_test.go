package validate

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

func TestPointerEscaping(t *testing.T) {
	tests := []struct {
		segs []string
		want string
	}{
		{nil, ""},
		{[]string{"server", "os:scheduler_hints", "group"}, "/server/os:scheduler_hints/group"},
		{[]string{"metadata", "a/b"}, "/metadata/a~1b"},
		{[]string{"metadata", "a~b"}, "/metadata/a~0b"},
		{[]string{"metadata", ""}, "/metadata/"},
	}
	for _, tc := range tests {
		if got := pointer(tc.segs); got != tc.want {
			t.Errorf("pointer(%q) = %q, want %q", tc.segs, got, tc.want)
		}
	}
}

func TestSortFindings(t *testing.T) {
	fs := []Finding{
		{In: InBody, Pointer: "/server/nics/10/subnet_id", Rule: "schema.pattern"},
		{In: InBody, Pointer: "/server/nics/2/subnet_id", Rule: "schema.pattern"},
		{In: InHeader, Name: "X-Client-Token", Rule: "schema.pattern"},
		{In: InBody, Pointer: "/server/name", Rule: "z.rule"},
		{In: InBody, Pointer: "/server/name", Rule: "a.rule"},
		{In: InPath, Name: "project_id", Rule: "schema.pattern"},
	}
	sortFindings(fs)
	var got []string
	for _, f := range fs {
		got = append(got, f.In+" "+f.Name+f.Pointer+" "+f.Rule)
	}
	want := []string{
		"path project_id schema.pattern",
		"header X-Client-Token schema.pattern",
		"body /server/name a.rule",
		"body /server/name z.rule",
		"body /server/nics/2/subnet_id schema.pattern",
		"body /server/nics/10/subnet_id schema.pattern",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("order:\n%q\nwant:\n%q", got, want)
	}
}

func TestClosestName(t *testing.T) {
	names := []string{"adminPass", "key_name", "flavorRef", "imageRef", "user_data"}
	tests := map[string]string{
		"adminpass": "adminPass", // case only
		"ADMINPASS": "adminPass",
		"keyname":   "key_name", // one edit
		"flavorref": "flavorRef",
		"userdata":  "user_data",
		"zone":      "", // nothing close
	}
	for in, want := range tests {
		if got := closestName(in, names); got != want {
			t.Errorf("closestName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPresence(t *testing.T) {
	body := map[string]any{
		"a": "", "b": nil, "c": "x",
		"list": []any{map[string]any{"k": "1"}, map[string]any{"k": ""}, map[string]any{}},
	}
	for path, want := range map[string]int{"a": 0, "b": 0, "c": 1, "missing": 0, "list/*/k": 1, "list": 1} {
		p, err := parseFieldPath(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(resolve(body, nil, p)); got != want {
			t.Errorf("resolve(%s) found %d, want %d", path, got, want)
		}
	}
}

func TestDescribeRules(t *testing.T) {
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"ecs.server.prepaid-key-pair-userid":  `When extendparam/chargingMode is "prePaid" and key_name is given: metadata/op_svc_userid is required.`,
		"ecs.disk.iops-forbidden":             `iops must not be given, unless volumetype is one of "GPSSD2", "ESSD2".`,
		"ecs.bandwidth.size-step-50":          `When size is between 301 and 1000, it is a multiple of 50.`,
		"ecs.server.multi-az-without-az":      `When availability_zone is given: batch_create_in_multi_az must not be true.`,
		"devserver.server.hps-cluster-unused": `hps_cluster_id must not be given, unless server_type is "HPS".`,
		"ecs.server.eip-release-postpaid":     `When extendparam/chargingMode is "prePaid": publicip/delete_on_termination must not be true, unless publicip/eip/bandwidth/sharetype is "WHOLE" or publicip/eip/extendparam/chargingMode is "postPaid" or publicip/id is given.`,
		"ecs.metadata.key-format":             `Every key has 1 to 255 characters and matches ^[A-Za-z0-9 _:.-]*$.`,
		"devserver.server.login-method":       `Exactly one of admin_pass and key_pair_name is given.`,
		"ecs.server.server-tags-unique":       `No two items of server_tags have the same key.`,
	}
	seen := map[string]bool{}
	for _, op := range e.Operations() {
		for _, site := range op.sites {
			for _, r := range site.rules {
				if w, ok := want[r.ID]; ok && !seen[r.ID] {
					seen[r.ID] = true
					if got := r.Describe(); got != w {
						t.Errorf("%s:\n got  %s\n want %s", r.ID, got, w)
					}
				}
			}
		}
	}
	if len(seen) != len(want) {
		t.Errorf("described %d of %d rules", len(seen), len(want))
	}
}

func TestTypePermits(t *testing.T) {
	str := &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeString}}
	integer := &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeInteger}}
	number := &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeNumber}}
	nullable := &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeString}, Nullable: true}
	tests := []struct {
		name   string
		schema *openapi3.Schema
		value  any
		want   bool
	}{
		{"string for string", str, "true", true},
		{"boolean for string", str, true, false},
		{"number for string", str, json.Number("1"), false},
		{"whole number for integer", integer, json.Number("3"), true},
		{"fraction for integer", integer, json.Number("3.5"), false},
		{"whole float64 for integer", integer, 3.0, true},
		{"fraction float64 for integer", integer, 3.5, false},
		{"fraction for number", number, json.Number("3.5"), true},
		{"object for string", str, map[string]any{}, false},
		{"array for string", str, []any{}, false},
		{"null for string", str, nil, false},
		{"null for nullable string", nullable, nil, true},
		{"anything without a type", &openapi3.Schema{}, true, true},
	}
	for _, tc := range tests {
		if got := typePermits(tc.schema, tc.value); got != tc.want {
			t.Errorf("%s: typePermits = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestComparePointersIsATotalOrder: comparing digit names as numbers and
// other names as strings made cycles (9 < 10 < 1a < 9), so the order of
// findings depended on the order they were made in (found by
// FuzzQuickCheck). Every permutation must sort the same.
func TestComparePointersIsATotalOrder(t *testing.T) {
	for _, ps := range [][]string{
		{"/9", "/10", "/1a"},
		{"/0011000020", "/00110000A", "/190001"},
		{"/a/2", "/a/10", "/a/b", "/a", "/a/01", "/a/1/x"},
	} {
		var first []string
		for range 50 {
			perm := slices.Clone(ps)
			rand.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
			slices.SortStableFunc(perm, comparePointers)
			if first == nil {
				first = perm
			} else if !slices.Equal(perm, first) {
				t.Fatalf("%q sorts to %q and to %q", ps, first, perm)
			}
		}
	}
}

func TestRuleFields(t *testing.T) {
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"ecs.server.prepaid-key-pair-userid": {"extendparam/chargingMode", "key_name", "metadata/op_svc_userid"},
		"ecs.server.multi-az-without-az":     {"availability_zone", "batch_create_in_multi_az"},
		"ecs.server.prepaid-resource-cap":    {"extendparam/chargingMode", "count", "data_volumes/*", "publicip/eip", "publicip/eip/bandwidth/sharetype"},
		"ecs.server.server-tags-unique":      {"server_tags"},
		"ecs.metadata.key-format":            nil,
	}
	seen := map[string]bool{}
	for _, op := range e.Operations() {
		for _, site := range op.sites {
			for _, r := range site.rules {
				if w, ok := want[r.ID]; ok && !seen[r.ID] {
					seen[r.ID] = true
					if got := r.Fields(); !slices.Equal(got, w) {
						t.Errorf("%s: Fields() = %q, want %q", r.ID, got, w)
					}
				}
			}
		}
	}
	if len(seen) != len(want) {
		t.Errorf("checked %d of %d rules", len(seen), len(want))
	}
}

// TestStringSubject: a finding about the whole body or the request line
// names just the part, never an empty name ("path :") or a placeholder.
func TestStringSubject(t *testing.T) {
	tests := []struct {
		f    Finding
		want string
	}{
		{Finding{In: InBody, Pointer: "/server/name", Message: "m", Rule: "r"}, "body /server/name: m [r]"},
		{Finding{In: InBody, Message: "m", Rule: "r"}, "body: m [r]"},
		{Finding{In: InPath, Message: "m", Rule: RouteUnknownRule}, "path: m [route.unknown]"},
		{Finding{In: InPath, Name: "project_id", Message: "m", Rule: "r"}, "path project_id: m [r]"},
		{Finding{In: InHeader, Name: "X-Client-Token", Message: "m", Rule: "r"}, "header X-Client-Token: m [r]"},
	}
	for _, tc := range tests {
		if got := tc.f.String(); got != tc.want {
			t.Errorf("String() = %q, want %q", got, tc.want)
		}
	}
}
