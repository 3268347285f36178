package validate

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// TestFindingJSONRoundTrip: a Finding marshalled to JSON, as validate
// -format json writes it, reads back into an equal Finding.
func TestFindingJSONRoundTrip(t *testing.T) {
	for _, f := range []Finding{
		{In: InBody, Pointer: "/server/name", Line: 3, Column: 14, Rule: "schema.maxLength", Message: "too long", Severity: Error},
		{In: InHeader, Name: "X-Client-Token", Rule: "format.uuid", Message: "m", Severity: Warning},
	} {
		data, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		var back Finding
		if err := json.Unmarshal(data, &back); err != nil {
			t.Fatalf("%s: %v", data, err)
		}
		if !reflect.DeepEqual(back, f) {
			t.Fatalf("%s read back as %+v", data, back)
		}
	}
	var s Severity
	if err := json.Unmarshal([]byte(`"fatal"`), &s); err == nil || !strings.Contains(err.Error(), `unknown severity "fatal"`) {
		t.Fatalf("err = %v", err)
	}
}

func TestWhere(t *testing.T) {
	for _, tc := range []struct {
		f    Finding
		want string
	}{
		{Finding{In: InBody, Pointer: "/server/name", Name: "ignored"}, "/server/name"},
		{Finding{In: InBody}, ""},
		{Finding{In: InHeader, Name: "X-Client-Token"}, "X-Client-Token"},
		{Finding{In: InQuery, Name: "limit"}, "limit"},
		{Finding{In: InPath}, ""},
	} {
		if got := tc.f.Where(); got != tc.want {
			t.Errorf("%+v: Where() = %q, want %q", tc.f, got, tc.want)
		}
	}
}
