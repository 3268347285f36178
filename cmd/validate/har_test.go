package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHARGolden holds the report of HAR files to golden files in every
// format: testdata/har/edge.har (hand-written: HTTP/2 pseudo-headers, a
// base64 body, entries for IAM, OBS, a static file and a CORS preflight
// that are skipped, a query string that disagrees with the URL, a repeated
// header, an invalid body, a method that is not an operation) and
// testdata/har/hostile.har (a method, URL and header names built to inject
// lines, workflow commands and terminal escapes).
func TestHARGolden(t *testing.T) {
	for _, file := range []string{"edge", "hostile"} {
		for _, format := range []string{"text", "json", "sarif", "github"} {
			t.Run(file+"-"+format, func(t *testing.T) {
				code, out, errOut := runCLI(t, "", "-format", format, filepath.Join("testdata", "har", file+".har"))
				if code != 1 {
					t.Fatalf("exit %d, want 1; stderr: %s", code, errOut)
				}
				checkGolden(t, filepath.Join("testdata", "golden", "har-"+file+"-"+format+".txt"), out)
				checkSafe(t, file+".har", format, out, 0)
				checkSafe(t, file+".har", "stderr", errOut, 0)
			})
		}
	}
}

// TestHARReport checks what the json report says of a HAR file: entries
// named by index, method and URL, positions in the file, the count of
// skipped entries; and that the hostile names come back exactly.
func TestHARReport(t *testing.T) {
	_, out, _ := runCLI(t, "", "-format", "json", "testdata/har/edge.har")
	var rep struct {
		Results []struct {
			Index        int
			Method, Path string
			Entry        string
			Valid        bool
			Errors       []struct {
				In, Pointer, Name, Rule string
				Line, Column            int
			}
		}
		Summary struct{ Files, Requests, Valid, Invalid, SkippedEntries int }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if s := rep.Summary; s.Files != 1 || s.Requests != 5 || s.Valid != 1 || s.Invalid != 4 || s.SkippedEntries != 4 {
		t.Errorf("summary %+v, want 1 file, 5 requests: 1 valid, 4 invalid, 4 skipped entries", s)
	}
	var got []string
	for _, r := range rep.Results {
		if !strings.HasPrefix(r.Entry, "entry ") || !strings.Contains(r.Entry, r.Method+" "+r.Path) {
			t.Errorf("entry %q does not name the index, method and URL", r.Entry)
		}
		for _, e := range r.Errors {
			if e.Line == 0 || e.Column == 0 {
				t.Errorf("entry %d: finding without a position: %+v", r.Index, e)
			}
			got = append(got, strings.Join([]string{r.Method, e.In, e.Pointer + e.Name, e.Rule}, " "))
		}
		if r.Index == 0 && (!r.Valid || r.Method != "POST") {
			t.Errorf("entry 0 (HTTP/2, base64 body) is not the valid create: %+v", r)
		}
	}
	want := []string{
		"GET query limit schema.maximum",
		"GET header X-Auth-Token param.repeated",
		"POST body  devserver.server.login-method",
		"POST body /name schema.pattern",
		"PATCH path  route.method",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	_, out, _ = runCLI(t, "", "-format", "json", "testdata/har/hostile.har")
	var hostile struct {
		Results []struct{ Method, Path string }
	}
	if err := json.Unmarshal([]byte(out), &hostile); err != nil {
		t.Fatal(err)
	}
	if len(hostile.Results) != 3 || hostile.Results[1].Method != "GET\n::error file=README.md,line=1::INJECTED" || !strings.Contains(hostile.Results[0].Path, "\u2028::warning::separator\u202eevil\u0085") {
		t.Errorf("the json report does not give the method and URL back exactly: %+v", hostile.Results)
	}
}

// TestHARInputs covers how HAR files are found and what happens to the
// ones that cannot be validated.
func TestHARInputs(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	iamOnly := write("iam.har", `{"log":{"entries":[{"request":{"method":"POST","url":"https://iam.myhuaweicloud.com/v3/auth/tokens"}}]}}`)
	empty := write("empty.har", `{"log":{"entries":[]}}`)
	broken := write("broken.har", "{\"log\":{\"entries\":[\n  {\"request\":{\"method\":\"GET\",\"url\":\"/v1/p/jobs/j\",\"headers\":[{\"name\":\"X-Auth-Token\",\"value\":\"t\"}]}},\n  {\"request\": oops}]}}")
	notHAR := write("page.har", "<html></html>")
	walked := write("tree/a/b.har", `{"log":{"entries":[{"request":{"method":"GET","url":"https://h/v1/p/jobs/j","headers":[{"name":"X-Auth-Token","value":"t"}]}},{"request":{"method":"GET","url":"https://cdn/app.js"}}]}}`)
	// A create with auto_terminate_time five months after 2020-01-01: in
	// its window when sent then, long past by the clock of any run.
	create := func(started string) string {
		body := `{"server":{"imageRef":"67f433d8-ed0e-4321-a8a2-a71838539e09","flavorRef":"s6.small.1","name":"web-01","vpcid":"2a6f4aa6-d93e-45f5-a8cb-b030dbf8cd68","nics":[{"subnet_id":"ef039b60-6a14-42d1-963b-687b627fea08"}],"root_volume":{"volumetype":"SSD"},"auto_terminate_time":"2020-06-01T00:00:00Z"}}`
		text, _ := json.Marshal(body)
		return `{"log":{"entries":[{` + started + `"request":{"method":"POST","url":"https://ecs.cn-north-4.myhuaweicloud.com/v1.1/0123456789abcdef0123456789abcdef/cloudservers","headers":[{"name":"Content-Type","value":"application/json"},{"name":"X-Auth-Token","value":"t"}],"postData":{"mimeType":"application/json","text":` + string(text) + `}}}]}}`
	}
	sentThen := write("then.har", create(`"startedDateTime":"2020-01-01T00:00:00.000Z",`))
	noTime := write("notime.har", create(""))
	tests := []struct {
		name    string
		args    []string
		code    int
		wantOut string
		wantErr string
	}{
		{name: "validated at the instant it was sent", args: []string{sentThen}, code: 0, wantOut: "1 file, 1 request: 1 valid, 0 invalid"},
		{name: "without startedDateTime, at the engine's clock", args: []string{noTime}, code: 1, wantOut: "body /server/auto_terminate_time"},
		{name: "Playwright's recording", args: []string{"../../har/testdata/playwright.har"}, code: 1, wantOut: "1 file, 3 requests: 2 valid, 1 invalid; 2 HAR entries not for these APIs"},
		{name: "only other services", args: []string{iamOnly}, code: 2, wantOut: "no entry of this HAR file is a request to one of the operations (1 entry skipped) [input.empty]", wantErr: "iam.har: no entry of this HAR file"},
		{name: "no entries", args: []string{empty}, code: 2, wantOut: "(0 entries skipped) [input.empty]"},
		{name: "unparseable after a valid entry", args: []string{broken}, code: 2, wantOut: "broken.har:3:15: file: not JSON: invalid character 'o' looking for beginning of value [input.syntax]\n1 file, 1 request: 1 valid, 0 invalid; 1 input error", wantErr: "broken.har: line 3: not JSON"},
		{name: "not a HAR file", args: []string{notHAR}, code: 2, wantOut: "page.har:1:1: file: not JSON: invalid character '<'", wantErr: "page.har: line 1: not JSON"},
		{name: "found in a directory walk", args: []string{filepath.Join(dir, "tree")}, code: 0, wantOut: "1 file, 1 request: 1 valid, 0 invalid; 1 HAR entry not for these APIs"},
		{name: "-operation does not apply to a HAR file", args: []string{"-operation", "CreateServers", walked}, code: 0, wantOut: "1 file, 1 request: 1 valid, 0 invalid"},
		{name: "-expect: a HAR entry has no @expect comments", args: []string{"-expect", walked}, code: 1, wantOut: "b.har: entry 0 (GET https://h/v1/p/jobs/j): a HAR entry has no @expect comments"},
		{name: "help names .har", args: []string{"-h"}, code: 0, wantErr: ".har"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", tc.args...)
			if code != tc.code || !strings.Contains(out, tc.wantOut) || !strings.Contains(errOut, tc.wantErr) {
				t.Fatalf("exit %d\nstdout: %s\nstderr: %s\nwant exit %d, stdout containing %q, stderr containing %q", code, out, errOut, tc.code, tc.wantOut, tc.wantErr)
			}
		})
	}
}
