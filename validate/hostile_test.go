package validate

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Bodies an attacker would send: many findings, and findings with long or
// hostile names. The generators are shared with the benchmarks.

// bodyHead is a valid CreateServers server object without its closing brace.
const bodyHead = `{"server": {"imageRef": "67f433d8-ed0e-4321-a8a2-a71838539e09", "flavorRef": "s6.small.1", "name": "web-01",
 "vpcid": "2a6f4aa6-d93e-45f5-a8cb-b030dbf8cd68", "nics": [{"subnet_id": "ef039b60-6a14-42d1-963b-687b627fea08"}],
 "root_volume": {"volumetype": "SSD"}`

// unknownMembersBody is a CreateServers body whose server object has n
// undeclared members after its valid ones, one per line.
func unknownMembersBody(n int) []byte {
	var b strings.Builder
	b.WriteString(bodyHead)
	for i := range n {
		fmt.Fprintf(&b, ",\n  \"x%d\": %d", i, i)
	}
	b.WriteString("}}\n")
	return []byte(b.String())
}

// invalidItemsBody is a CreateServers body with n data volumes whose
// volumetype is not one of the enum's values.
func invalidItemsBody(n int) []byte {
	var b strings.Builder
	b.WriteString(bodyHead + `, "data_volumes": [`)
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n  {\"volumetype\": \"NOPE\", \"size\": 10}")
	}
	b.WriteString("]}}\n")
	return []byte(b.String())
}

func validateBody(t testing.TB, e *Engine, body []byte) Result {
	t.Helper()
	res, err := e.ValidateBody("CreateServers", body)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestFindingsAreCapped: a request reports its first MaxFindings findings
// in document order and one findings.truncated finding that counts the
// rest; fewer findings are reported whole.
func TestFindingsAreCapped(t *testing.T) {
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	k := DefaultLimits.MaxFindings
	tests := []struct {
		name     string
		body     []byte
		findings int    // reported, the summary included
		summary  string // the summary's message, "" for none
	}{
		{"valid", unknownMembersBody(0), 0, ""},
		{"one member", unknownMembersBody(1), 1, ""},
		{"exactly the cap", unknownMembersBody(k), k, ""},
		{"one more than the cap", unknownMembersBody(k + 1), k + 1, "1 more findings from here on are not reported (a request reports its first 100); correct these and validate again"},
		{"50,000 members", unknownMembersBody(50000), k + 1, "49900 more findings from here on"},
		// Each item is a node kin-openapi would validate: the ones left out
		// are counted as one finding each, a lower bound.
		{"20,000 items", invalidItemsBody(20000), k + 1, "at least 19901 more findings from here on"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := validateBody(t, e, tc.body)
			if len(res.Findings) != tc.findings {
				t.Fatalf("%d findings, want %d", len(res.Findings), tc.findings)
			}
			if tc.findings == 0 {
				return
			}
			last := res.Findings[len(res.Findings)-1]
			if got := last.Rule == TruncatedRule; got != (tc.summary != "") || !strings.HasPrefix(last.Message, tc.summary) {
				t.Fatalf("last finding %v, want a summary %q", last, tc.summary)
			}
			if res.Valid() {
				t.Fatal("valid")
			}
			for i, f := range res.Findings[:min(len(res.Findings), k)] {
				if f.Rule == TruncatedRule || f.Line == 0 {
					t.Fatalf("finding %d: %v", i, f)
				}
				if i > 0 && compareFindings(res.Findings[i-1], f) > 0 {
					t.Fatalf("out of order: %v before %v", res.Findings[i-1], f)
				}
			}
		})
	}
}

// TestFirstFindingsInDocumentOrder: the findings kept are the first ones
// of the body, whatever kind of place they come from, and the summary is
// where the first one left out is.
func TestFirstFindingsInDocumentOrder(t *testing.T) {
	e, err := New(WithLimits(Limits{MaxFindings: 5}))
	if err != nil {
		t.Fatal(err)
	}
	// Items with a bad volumetype (nodes for kin-openapi), undeclared
	// members, and a rule finding (count 0 breaks schema.minimum), mixed.
	body := []byte(bodyHead + `, "zz1": 1, "data_volumes": [{"volumetype": "NOPE", "size": 10}, {"volumetype": "SSD", "size": 10, "bad": 1},
  {"volumetype": "NOPE", "size": 10}], "aa": 2, "count": 0, "zz2": 3, "zz3": 4}}`)
	want := []string{
		"body /server/zz1: unknown field \"zz1\" (allowed: adminPass, auto_terminate_time, availability_zone, batch_create_in_multi_az, count, cpu_options, data_volumes, description, extendparam, flavorRef, imageRef, isAutoRename, key_name, metadata, name, nics, os:scheduler_hints, publicip, root_volume, security_groups, server_tags, tags, user_data, vpcid) [schema.additionalProperties]",
		"body /server/data_volumes/0/volumetype: must be one of \"SATA\", \"SAS\", \"SSD\", \"GPSSD\", \"ESSD\", \"GPSSD2\", \"ESSD2\" [schema.enum]",
		"body /server/data_volumes/1/bad: unknown field \"bad\" (allowed: cluster_id, cluster_type, data_image_id, delete_on_termination, extendparam, hw:passthrough, iops, metadata, multiattach, shareable, size, throughput, volumetype) [schema.additionalProperties]",
		"body /server/data_volumes/2/volumetype: must be one of \"SATA\", \"SAS\", \"SSD\", \"GPSSD\", \"ESSD\", \"GPSSD2\", \"ESSD2\" [schema.enum]",
		"body /server/aa: unknown field \"aa\" (allowed: adminPass, auto_terminate_time, availability_zone, batch_create_in_multi_az, count, cpu_options, data_volumes, description, extendparam, flavorRef, imageRef, isAutoRename, key_name, metadata, name, nics, os:scheduler_hints, publicip, root_volume, security_groups, server_tags, tags, user_data, vpcid) [schema.additionalProperties]",
		"body /server/count: at least 3 more findings from here on are not reported (a request reports its first 5); correct these and validate again [findings.truncated]",
	}
	for range 5 { // map order differs from run to run; the result must not
		var got []string
		for _, f := range validateBody(t, e, body).Findings {
			got = append(got, f.String())
		}
		if !slices.Equal(got, want) {
			t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

// TestTruncatedSeverity: the summary has the highest severity among the
// findings it stands for, so the verdict of a capped result is that of
// the whole.
func TestTruncatedSeverity(t *testing.T) {
	lenient, err := New(WithUnknownFields(Warning))
	if err != nil {
		t.Fatal(err)
	}
	strict, err := New()
	if err != nil {
		t.Fatal(err)
	}
	many := unknownMembersBody(300)
	// An error after 300 tolerated members: far beyond the cap.
	errorLast := []byte(strings.Replace(string(many), "}}\n", `, "count": 0}}`, 1))
	tests := []struct {
		name  string
		e     *Engine
		body  []byte
		sev   Severity
		valid bool
	}{
		{"unknown members are errors", strict, many, Error, false},
		{"unknown members tolerated", lenient, many, Warning, true},
		{"an error left out", lenient, errorLast, Error, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := validateBody(t, tc.e, tc.body)
			last := res.Findings[len(res.Findings)-1]
			if last.Rule != TruncatedRule || last.Severity != tc.sev || res.Valid() != tc.valid {
				t.Fatalf("summary %v (%v), valid %v", last, last.Severity, res.Valid())
			}
			for _, f := range res.Findings[:len(res.Findings)-1] {
				if f.Severity != Warning && tc.e == lenient {
					t.Fatalf("kept an error %v: the first findings are warnings", f)
				}
			}
		})
	}
}

// TestFindingSizeIsBounded: a member name of 500 KB gives a short message
// and a short String; the pointer stays exact.
func TestFindingSizeIsBounded(t *testing.T) {
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("é", 250000) // 500 KB
	tests := []struct{ name, body, rule string }{
		{"unknown member", bodyHead + `, "` + long + `": 1}}`, "schema.additionalProperties"},
		{"case variant", bodyHead + `, "Name` + long + `": 1}}`, "schema.additionalProperties"},
		{"duplicate member", bodyHead + `, "` + long + `": 1, "` + long + `": 2}}`, "json.duplicate-key"},
		{"metadata key", bodyHead + `, "metadata": {"` + long + `": "v"}}}`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := validateBody(t, e, []byte(tc.body))
			if len(res.Findings) == 0 {
				t.Fatal("no finding")
			}
			for _, f := range res.Findings {
				if tc.rule != "" && f.Rule != tc.rule {
					t.Errorf("rule %s, want %s", f.Rule, tc.rule)
				}
				if len(f.Message) > MaxMessageBytes || !utf8.ValidString(f.Message) {
					t.Errorf("message of %d bytes", len(f.Message))
				}
				if s := f.String(); len(s) > 2*MaxMessageBytes || !utf8.ValidString(s) {
					t.Errorf("String of %d bytes", len(s))
				}
				if f.Rule != "json.duplicate-key" && !strings.Contains(f.Pointer, long) {
					t.Errorf("pointer %.80q… is not exact", f.Pointer)
				}
			}
		})
	}
}

// TestStringEscapesControls: a member name cannot write a line of its own
// into a log or a CI run through Finding.String.
func TestStringEscapesControls(t *testing.T) {
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	res := validateBody(t, e, []byte(bodyHead+`, "x\n::error file=README.md,line=1::INJECTED": 1}}`))
	got := res.Findings[0].String()
	want := `body /server/x\n::error file=README.md,line=1::INJECTED: unknown field "x\n::error file=README.md,line=1::INJECTED" (allowed: `
	if !strings.HasPrefix(got, want) || strings.ContainsAny(got, "\n\r") {
		t.Fatalf("got  %q\nwant %q…", got, want)
	}
	tests := map[string]string{
		"plain é 中 / ~":      "plain é 中 / ~",
		"a\r\nb\tc":          `a\r\nb\tc`,
		"esc\x1b[31mred":     `esc\x1b[31mred`,
		"del\x7f nul\x00":    `del\x7f nul\x00`,
		"c1\u0085next":       `c1\u0085next`,
		"ls\u2028ps\u2029":   `ls\u2028ps\u2029`,
		"bidi\u202eevil":     `bidi\u202eevil`,
		"isolate\u2066x":     `isolate\u2066x`,
		"bad\xffutf8":        `bad\xffutf8`,
		`back\slash "quote"`: `back\slash "quote"`,
	}
	for in, want := range tests {
		f := Finding{In: InQuery, Name: in, Message: in, Rule: "r"}
		if got := f.String(); got != "query "+want+": "+want+" [r]" {
			t.Errorf("%q: %s", in, got)
		}
	}
}

// TestFindingsWorkIsLinear counts allocations, not time: ten times the
// bad items must cost at most about ten times the allocations. Placing
// each finding by seeking from the start of the body cost a quadratic
// number (each item skipped allocates its strings).
func TestFindingsWorkIsLinear(t *testing.T) {
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	allocs := func(n int) float64 {
		body := invalidItemsBody(n)
		return testing.AllocsPerRun(3, func() { validateBody(t, e, body) })
	}
	small, large := allocs(500), allocs(5000)
	if large > 12*small {
		t.Fatalf("%.0f allocations for 500 items, %.0f for 5000: not linear", small, large)
	}
}

// HostileBody is a CreateServers body with n findings of a kind: "members"
// (undeclared members of the server object) or "items" (data volumes with
// a bad volumetype). (Test-only, for the benchmarks.)
func HostileBody(kind string, n int) []byte {
	if kind == "items" {
		return invalidItemsBody(n)
	}
	return unknownMembersBody(n)
}

// TestCapBreaksTiesLikeTheWholeList: findings at the same place are
// ordered by pointer and rule id; when the cap falls among them, the ones
// kept are those the whole list would put first, though the place they
// come from was reached later.
func TestCapBreaksTiesLikeTheWholeList(t *testing.T) {
	e, err := New(WithLimits(Limits{MaxFindings: 1}))
	if err != nil {
		t.Fatal(err)
	}
	op := e.Operation("CreateServers")
	body := []byte(bodyHead + `, "count": 0, "zz": 1}}`)
	v, err := decodeBody(body, DefaultLimits, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A rule finding at the same place as the schema finding for count,
	// with a rule id that sorts first.
	rules := []Finding{{In: InBody, Pointer: "/server/count", Rule: "a.rule", Message: "m", Severity: Warning}}
	got := e.finish(op.API.firstFindings(body, op.quick.locate(v, nil, nil, time.Time{}), rules, 1, time.Time{}), "request")
	if len(got) != 2 || got[0].Rule != "a.rule" || got[1].Rule != TruncatedRule || got[1].Severity != Error ||
		!strings.HasPrefix(got[1].Message, "2 more findings") {
		t.Fatalf("got %v", got)
	}
}
