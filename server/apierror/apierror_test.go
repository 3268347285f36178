package apierror

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// TestWrite: each service's error body, with the generated types.
func TestWrite(t *testing.T) {
	for _, tc := range []struct {
		api     string
		status  int
		details []Detail
		ctype   string
		want    string
	}{
		{ECS, 400, []Detail{{Code: "schema.maxLength", Message: "too long"}, {Code: "schema.required"}}, "application/json",
			`{"error":{"code":"C.1","details":[{"code":"schema.maxLength","message":"too long"},{"code":"schema.required"}],"message":"m"}}`},
		{ECS, 404, nil, "application/json", `{"error":{"code":"C.1","message":"m"}}`},
		{DevServer, 400, nil, "application/json", `{"error_code":"C.1","error_msg":"m"}`},
		{CloudDC, 400, nil, "application/json", `{"error_code":"C.1","error_msg":"m"}`},
		{CloudDC, 429, nil, "text/plain; charset=utf-8", `C.1 m`},
	} {
		rec := httptest.NewRecorder()
		if err := Write(rec, tc.api, tc.status, "C.1", "m", tc.details...); err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSpace(rec.Body.String()); rec.Code != tc.status || got != tc.want || rec.Header().Get("Content-Type") != tc.ctype {
			t.Errorf("%s %d: %d %q %s, want %s", tc.api, tc.status, rec.Code, rec.Header().Get("Content-Type"), got, tc.want)
		}
	}
}

// TestEveryKindHasACode: each kind has a code in each API.
func TestEveryKindHasACode(t *testing.T) {
	for _, kind := range []Kind{Invalid, Missing, Unauthorized, Forbidden, NotFound, Throttled, Fault} {
		for _, api := range []string{DevServer, CloudDC, ECS} {
			if Code(api, kind) == "" {
				t.Errorf("no %s code for %s", kind, api)
			}
		}
	}
}
