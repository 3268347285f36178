package validate_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hwspec/compute/validate"
)

// FuzzValidate feeds the engine mutated example requests. It must never
// panic; every finding needs a rule and a message, and body findings of a
// decodable body a position; a password-like value never shows up in a
// message.
func FuzzValidate(f *testing.F) {
	e, err := validate.New()
	if err != nil {
		f.Fatal(err)
	}
	for _, r := range validate.SpecExamples(f) {
		f.Add(r.Method, r.Target, r.Header.Get("X-Client-Token"), r.Body)
	}
	const secret = "Zq9@secretpw"
	f.Fuzz(func(t *testing.T, method, target, token string, body []byte) {
		header := http.Header{"Content-Type": {"application/json"}, "X-Auth-Token": {"t"}}
		if token != "" {
			header.Set("X-Client-Token", token)
		}
		// Put a known password into the body where the fuzzer left room.
		b := []byte(strings.Replace(string(body), `"adminPass": "`, `"adminPass": "`+secret, 1))
		res := e.Validate(validate.Request{Method: method, Target: target, Header: header, Body: b})
		for _, fd := range res.Findings {
			if fd.Rule == "" || fd.Message == "" || fd.In == "" {
				t.Fatalf("incomplete finding %+v", fd)
			}
			if strings.Contains(fd.Message, secret) {
				t.Fatalf("message repeats the password: %s", fd.Message)
			}
			if fd.In == validate.InBody && res.Body != nil && fd.Line == 0 {
				t.Fatalf("body finding without a position: %+v", fd)
			}
		}
	})
}
