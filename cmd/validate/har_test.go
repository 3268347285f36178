package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hwspec/compute/validate"
)

// TestHARGolden holds the report of HAR files to golden files in every
// format: testdata/har/edge.har (hand-written: HTTP/2 pseudo-headers, a
// base64 body, entries for IAM, OBS, a static file and a CORS preflight
// that are skipped, a query string that disagrees with the URL, a repeated
// header, an invalid body, a method that is not an operation) and
// testdata/har/hostile.har (a method, URL and header names built to inject
// lines, workflow commands and terminal escapes).
//
// testdata/har/responses.har (hand-written) holds the recorded responses:
// each way a response conforms or breaks its operation's documented
// responses, base64 content, content that was not recorded or cut short,
// requests that got no answer (one with a failure text built to inject a
// line), HTML error pages, a redirect and a 304 the operation does not
// document (not checked), content of an encoding other than base64, and
// a static file whose content is not base64 (skipped; the entries after
// it are read). It is held to golden files with -responses at
// its default (warn: exit 0) and at error (exit 1).
func TestHARGolden(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		flags      []string
		code       int
	}{
		{"edge", "edge", nil, 1},
		{"hostile", "hostile", nil, 1},
		{"responses", "responses", nil, 0},
		{"responses-error", "responses", []string{"-responses", "error"}, 1},
	} {
		for _, format := range []string{"text", "json", "sarif", "github"} {
			t.Run(tc.name+"-"+format, func(t *testing.T) {
				args := append(append([]string{"-format", format}, tc.flags...), filepath.Join("testdata", "har", tc.file+".har"))
				code, out, errOut := runCLI(t, "", args...)
				if code != tc.code {
					t.Fatalf("exit %d, want %d; stderr: %s", code, tc.code, errOut)
				}
				checkGolden(t, filepath.Join("testdata", "golden", "har-"+tc.name+"-"+format+".txt"), out)
				checkSafe(t, tc.file+".har", format, out, 0)
				checkSafe(t, tc.file+".har", "stderr", errOut, 0)
			})
		}
	}
}

// harReport is the part of the json report the HAR tests read.
type harReport struct {
	Results []struct {
		Index        int
		Method, Path string
		Entry        string
		Valid        bool
		Errors       []struct {
			In, Pointer, Name, Rule, Message, Severity string
			Line, Column                               int
		}
		Response *struct {
			Status           int
			Checked, Drifted bool
			NotChecked       string
		}
	}
	Summary struct {
		Files, Requests, Valid, Invalid, SkippedEntries  int
		Responses, Drifted, BodiesNotChecked, Unanswered int
		Redirects                                        int
	}
}

func readReport(t *testing.T, out string) harReport {
	t.Helper()
	var rep harReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return rep
}

// TestHARResponses checks each entry of testdata/har/responses.har: the
// findings of its response (rule and pointer, or header or status), how
// it was checked, and that -responses decides their severity, the exit
// status and whether responses are checked at all.
func TestHARResponses(t *testing.T) {
	type want struct {
		findings   []string // "rule at"
		status     int
		checked    bool
		notChecked string // a prefix
	}
	entries := map[int]want{
		0:  {nil, 200, true, ""},
		1:  {[]string{"response.schema.enum /charging_mode", "response.schema.type /create_at"}, 200, true, ""},
		2:  {[]string{"response.schema.required /error_msg"}, 404, true, ""},
		3:  {nil, 404, true, ""},
		4:  {[]string{"response.status 418"}, 418, true, ""},
		5:  {nil, 200, true, ""},
		6:  {[]string{"response.schema.enum /data/0/status"}, 200, true, ""},
		7:  {nil, 200, true, "body not checked: not recorded (no content.text)"},
		8:  {[]string{"response.status 503"}, 503, true, "body not checked: not recorded"},
		9:  {nil, 200, true, "body not checked: not recorded (no content.text)"},
		10: {nil, 200, true, "body not checked: cut short (content.size is 157 bytes, content.text has 40)"},
		11: {nil, 0, false, "no answer (net::ERR_CONNECTION_REFUSED\n::error"},
		12: {nil, -1, false, "no answer (net::ERR_CONNECTION_RESET)"},
		13: {[]string{"response.body.content-type Content-Type", "response.json.syntax "}, 500, true, ""},
		14: {[]string{"response.status 502"}, 502, true, ""},
		16: {nil, 302, false, "status 302 (a redirect), which the operation does not document"},
		17: {nil, 304, false, "status 304 (not modified, the answer to a conditional request)"},
		18: {nil, 200, true, `body not checked: not readable (content.encoding "gzip": want base64 or none)`},
		20: {nil, 200, true, ""},
	}
	for _, mode := range []string{"", "warn", "error", "off"} {
		t.Run("-responses="+mode, func(t *testing.T) {
			args := []string{"-format", "json", "testdata/har/responses.har"}
			if mode != "" {
				args = append([]string{"-responses", mode}, args...)
			}
			code, out, errOut := runCLI(t, "", args...)
			rep := readReport(t, out)
			wantCode, wantSeverity, wantInvalid := 0, "warning", 0
			switch mode {
			case "error":
				wantCode, wantSeverity, wantInvalid = 1, "error", 7
			case "off":
				wantSeverity = ""
			}
			if code != wantCode || errOut != "" {
				t.Errorf("exit %d, stderr %q; want %d and nothing", code, errOut, wantCode)
			}
			s := rep.Summary
			if mode == "off" {
				if s.Responses != 0 || s.Drifted != 0 || s.BodiesNotChecked != 0 || s.Unanswered != 0 || s.Redirects != 0 {
					t.Errorf("-responses=off counts responses: %+v", s)
				}
			} else if s.Requests != 19 || s.Invalid != wantInvalid || s.SkippedEntries != 2 || s.Responses != 15 || s.Drifted != 7 || s.BodiesNotChecked != 5 || s.Unanswered != 2 || s.Redirects != 2 {
				t.Errorf("summary %+v, want 19 requests (%d invalid), 2 skipped entries, 15 responses checked, 7 drifted, 5 bodies not checked, 2 unanswered, 2 redirects", s, wantInvalid)
			}
			if len(rep.Results) != len(entries) {
				t.Fatalf("%d results, want %d", len(rep.Results), len(entries))
			}
			for _, r := range rep.Results {
				w := entries[r.Index]
				var got []string
				for _, e := range r.Errors {
					at := e.Pointer
					if e.In != "body" {
						at = e.Name
					}
					got = append(got, e.Rule+" "+at)
					if e.Severity != wantSeverity || e.Line == 0 || e.Column == 0 {
						t.Errorf("entry %d: %s is a %s at line %d, column %d; want a %s at the entry", r.Index, e.Rule, e.Severity, e.Line, e.Column, wantSeverity)
					}
				}
				if mode == "off" {
					if len(got) > 0 || r.Response != nil || !r.Valid {
						t.Errorf("entry %d: -responses=off checked the response: %q, %+v", r.Index, got, r.Response)
					}
					continue
				}
				if strings.Join(got, "\n") != strings.Join(w.findings, "\n") {
					t.Errorf("entry %d: findings %q, want %q", r.Index, got, w.findings)
				}
				if rc := r.Response; rc == nil || rc.Status != w.status || rc.Checked != w.checked || rc.Drifted != (len(w.findings) > 0) || !strings.HasPrefix(rc.NotChecked, w.notChecked) || (w.notChecked == "") != (rc.NotChecked == "") {
					t.Errorf("entry %d: response %+v, want status %d, checked %v, drifted %v, notChecked %q", r.Index, rc, w.status, w.checked, len(w.findings) > 0, w.notChecked)
				}
				if r.Valid != (mode != "error" || len(w.findings) == 0) {
					t.Errorf("entry %d: valid %v with -responses=%s", r.Index, r.Valid, mode)
				}
			}
		})
	}
}

// TestHARResponseBodyLimit: a recorded response body is kept up to the
// engine's body limit, as a request body is; a larger one is reported
// (response.body.size, with its real size) and not checked.
func TestHARResponseBodyLimit(t *testing.T) {
	limit := validate.DefaultLimits.MaxBodyBytes
	body := `{"error_code":"ModelArts.0107","error_msg":"` + strings.Repeat("x", limit) + `"}`
	text, _ := json.Marshal(body)
	har := `{"log":{"entries":[{"request":{"method":"GET","url":"https://h/v1/0123456789abcdef0123456789abcdef/dev-servers/c90fb553-2cdb-4b81-b56a-ef68812c6cf7","headers":[{"name":"X-Auth-Token","value":"t"}]},
"response":{"status":404,"headers":[{"name":"Content-Type","value":"application/json"}],"content":{"size":` + strconv.Itoa(len(body)) + `,"text":` + string(text) + `}}}]}}`
	path := filepath.Join(t.TempDir(), "big.har")
	if err := os.WriteFile(path, []byte(har), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCLI(t, "", path)
	want := fmt.Sprintf("warning: entry 0 (GET https://h/v1/0123456789abcdef0123456789abcdef/dev-servers/c90fb553-2cdb-4b81-b56a-ef68812c6cf7): response body: the body has %d bytes, more than the limit of %d [response.body.size]", len(body), limit)
	if code != 0 || !strings.Contains(out, want) {
		t.Errorf("exit %d:\n%s\nwant exit 0 and %q", code, out, want)
	}
}

// TestHARReport checks what the json report says of a HAR file: entries
// named by index, method and URL, positions in the file, the count of
// skipped entries; and that the hostile names come back exactly.
func TestHARReport(t *testing.T) {
	_, out, _ := runCLI(t, "", "-format", "json", "testdata/har/edge.har")
	rep := readReport(t, out)
	if s := rep.Summary; s.Files != 1 || s.Requests != 5 || s.Valid != 1 || s.Invalid != 4 || s.SkippedEntries != 4 || s.Responses != 4 || s.Drifted != 0 {
		t.Errorf("summary %+v, want 1 file, 5 requests: 1 valid, 4 invalid, 4 skipped entries, 4 responses checked, none drifted", s)
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
		{name: "Playwright's recording: responses checked, none drifted", args: []string{"../../har/testdata/playwright.har"}, code: 1, wantOut: "1 file, 3 requests: 2 valid, 1 invalid; 3 responses checked, 0 drifted, 2 HAR entries not for these APIs"},
		{name: "Playwright's recording with -responses=error", args: []string{"-responses", "error", "../../har/testdata/playwright.har"}, code: 1, wantOut: "1 file, 3 requests: 2 valid, 1 invalid; 3 responses checked, 0 drifted"},
		{name: "-responses takes warn, error or off", args: []string{"-responses", "warning", walked}, code: 2, wantErr: `-responses "warning": want one of warn, error, off`},
		{name: "help documents -responses", args: []string{"-h"}, code: 0, wantErr: "-responses mode"},
		{name: "only other services", args: []string{iamOnly}, code: 2, wantOut: "no entry of this HAR file is a request to one of the operations (1 entry skipped) [input.empty]", wantErr: "iam.har: no entry of this HAR file"},
		{name: "no entries", args: []string{empty}, code: 2, wantOut: "(0 entries skipped) [input.empty]"},
		{name: "unparseable after a valid entry", args: []string{broken}, code: 2, wantOut: "broken.har:3:15: file: not JSON: invalid character 'o' looking for beginning of value [input.syntax]\n1 file, 1 request: 1 valid, 0 invalid; 1 input error", wantErr: "broken.har: line 3: not JSON"},
		{name: "not a HAR file", args: []string{notHAR}, code: 2, wantOut: "page.har:1:1: file: not JSON: invalid character '<'", wantErr: "page.har: line 1: not JSON"},
		{name: "found in a directory walk", args: []string{filepath.Join(dir, "tree")}, code: 0, wantOut: "1 file, 1 request: 1 valid, 0 invalid; 1 entry without a response, 1 HAR entry not for these APIs"},
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

// TestHARAttached: a body Playwright stored beside the HAR file (recordHar
// content "attach": postData._file, content._file, named by the SHA-1 of
// the body) is read from the HAR file's directory and validated; a name
// of another form, a symbolic link or a missing file is not read: the
// entry is input.unreadable (exit 2), never a false "needs a body".
func TestHARAttached(t *testing.T) {
	const (
		valid   = `{"name": "dev-01", "flavor": "Si2.large.4", "image_id": "c90fb553-2cdb-4b81-b56a-ef68812c6cf7", "network": {"vpc_id": "05982b48-a70f-43a1-a2b0-1fe36a236172", "subnet_id": "38cf274a-98f9-4f6f-b622-5ed0e4a3db54", "security_group_id": "150a2c76-1334-45f6-b28f-419f9b1d1742"}, "key_pair_name": "KeyPair-3d6a"}`
		invalid = `{"name": "dev 01!", "flavor": "Si2.large.4", "image_id": "c90fb553-2cdb-4b81-b56a-ef68812c6cf7", "network": {"vpc_id": "05982b48-a70f-43a1-a2b0-1fe36a236172", "subnet_id": "38cf274a-98f9-4f6f-b622-5ed0e4a3db54", "security_group_id": "150a2c76-1334-45f6-b28f-419f9b1d1742"}, "key_pair_name": "KeyPair-3d6a"}`
		good    = "0000000000000000000000000000000000000001.json"
		bad     = "0000000000000000000000000000000000000002.json"
		resp    = "0000000000000000000000000000000000000003.json"
		link    = "0000000000000000000000000000000000000004.json"
		missing = "0000000000000000000000000000000000000005.json"
	)
	dir := t.TempDir()
	secret := filepath.Join(t.TempDir(), "secret.json")
	for name, text := range map[string]string{good: valid, bad: invalid, resp: `{"id":"c90fb553-2cdb-4b81-b56a-ef68812c6cf7","name":"dev-01","status":"RUNNING","charging_mode":"POST_PAID","create_at":1699348284990,"flavor":"Si2.large.4"}`, secret: valid} {
		if !filepath.IsAbs(name) {
			name = filepath.Join(dir, name)
		}
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(secret, filepath.Join(dir, link)); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	url := "https://h/v1/0123456789abcdef0123456789abcdef/dev-servers"
	entry := func(file string) string {
		return `{"request":{"method":"POST","url":"` + url + `","headers":[{"name":"X-Auth-Token","value":"t"},{"name":"Content-Type","value":"application/json"}],"postData":{"mimeType":"application/json","_sha1":"` + file + `","_file":"` + file + `"}},"response":{"status":200,"headers":[{"name":"Content-Type","value":"application/json"}],"content":{"size":2,"text":"{}"}}}`
	}
	entries := []string{entry(good), entry(bad), entry("../" + filepath.Base(filepath.Dir(secret)) + "/secret.json"), entry(link), entry(missing),
		`{"request":{"method":"GET","url":"` + url + `/c90fb553-2cdb-4b81-b56a-ef68812c6cf7","headers":[{"name":"X-Auth-Token","value":"t"}]},"response":{"status":200,"headers":[{"name":"Content-Type","value":"application/json"}],"content":{"size":157,"mimeType":"application/json","_sha1":"` + resp + `","_file":"` + resp + `"}}}`,
		`{"request":{"method":"GET","url":"` + url + `/c90fb553-2cdb-4b81-b56a-ef68812c6cf7","headers":[{"name":"X-Auth-Token","value":"t"}]},"response":{"status":200,"headers":[{"name":"Content-Type","value":"application/json"}],"content":{"size":157,"mimeType":"application/json","_file":"` + missing + `"}}}`,
		`{"request":{"method":"POST","url":"https://cdn.example/upload","postData":{"_file":"../../etc/passwd"}},"response":{"status":200}}`,
	}
	path := filepath.Join(dir, "attached.har")
	if err := os.WriteFile(path, []byte(`{"log":{"entries":[`+strings.Join(entries, ",\n")+`]}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "", "-format", "json", path)
	if code != 2 {
		t.Errorf("exit %d, want 2 (entries whose body cannot be read); stderr: %s", code, errOut)
	}
	rep := readReport(t, out)
	got := map[int]string{}
	for _, r := range rep.Results {
		var rules []string
		for _, e := range r.Errors {
			rules = append(rules, e.Rule+" "+e.Pointer+e.Message)
		}
		if r.Response != nil && r.Response.NotChecked != "" {
			rules = append(rules, "notChecked: "+r.Response.NotChecked)
		}
		got[r.Index] = strings.Join(rules, "; ")
	}
	for i, want := range map[int]string{
		0: "",
		1: "schema.pattern /name",
		2: `input.unreadable entry 2 (POST ` + url + `): the request body stored beside the HAR file (postData._file) cannot be read: "../`,
		3: "input.unreadable entry 3 (POST " + url + "): the request body stored beside the HAR file (postData._file) cannot be read: " + link + " is a symbolic link, which is not followed",
		4: "input.unreadable entry 4 (POST " + url + "): the request body stored beside the HAR file (postData._file) cannot be read: lstat: no such file or directory",
		5: "",
		6: "notChecked: body not checked: stored beside the HAR file (content._file), which cannot be read: lstat: no such file or directory",
	} {
		if g, ok := got[i]; !ok || !strings.HasPrefix(g, want) || (want == "") != (g == "") {
			t.Errorf("entry %d: %q, want %q", i, g, want)
		}
	}
	if s := rep.Summary; s.Requests != 4 || s.Invalid != 1 || s.SkippedEntries != 1 || s.BodiesNotChecked != 1 {
		t.Errorf("summary %+v, want 4 requests (1 invalid), 1 skipped entry, 1 body not checked", s)
	}
}

// TestHARBodyError: an entry for an operation whose postData cannot be
// decoded is input.syntax (exit 2) at the entry, and the entries after it
// are still validated; an entry for another service is skipped whatever
// its postData (testdata/har/edge.har's OBS upload).
func TestHARBodyError(t *testing.T) {
	url := "https://h/v1/0123456789abcdef0123456789abcdef/dev-servers"
	har := `{"log":{"entries":[
{"request":{"method":"POST","url":"` + url + `","headers":[{"name":"X-Auth-Token","value":"t"}],"postData":{"mimeType":"application/json","encoding":"base64","text":"e30"}}},
{"request":{"method":"GET","url":"` + url + `","headers":[{"name":"X-Auth-Token","value":"t"}]}}]}}`
	path := filepath.Join(t.TempDir(), "body.har")
	if err := os.WriteFile(path, []byte(har), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "", path)
	want := path + ":2:1: file: entry 0 (POST " + url + "): request.postData.text is not base64: the last group has fewer than 4 characters [input.syntax]\n" +
		"1 file, 1 request: 1 valid, 0 invalid; 1 input error, 1 entry without a response\n"
	if code != 2 || out != want || !strings.Contains(errOut, "request.postData.text is not base64") {
		t.Errorf("exit %d:\n%s\nstderr: %s\nwant exit 2 and\n%s", code, out, errOut, want)
	}
}

// TestHARURLPassword: the password of a recorded URL's user information
// appears in no format, nor on standard error; the URL is still validated
// (its query is). So for a .http request line's URL.
func TestHARURLPassword(t *testing.T) {
	har := `{"log":{"entries":[{"request":{"method":"GET","url":"https://admin:s3cret-P4ss@h/v1/0123456789abcdef0123456789abcdef/dev-servers?limit=2000"},"response":{"status":200}}]}}`
	path := filepath.Join(t.TempDir(), "userinfo.har")
	if err := os.WriteFile(path, []byte(har), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"text", "json", "sarif", "github"} {
		code, out, errOut := runCLI(t, "", "-format", format, path)
		if code != 1 || strings.Contains(out+errOut, "s3cret") || !strings.Contains(out, "admin:xxxxx@h/v1/") || !strings.Contains(out, "schema.maximum") {
			t.Errorf("%s: exit %d:\n%s\nstderr: %s\nwant exit 1, the query's finding, and the URL without its password", format, code, out, errOut)
		}
	}
	// A .http request line with such a URL: json's path.
	code, out, _ := runCLI(t, "GET https://admin:s3cret-P4ss@h/v1/0123456789abcdef0123456789abcdef/dev-servers?limit=2000 HTTP/1.1\nX-Auth-Token: t\n", "-format", "json", "-")
	if code != 1 || strings.Contains(out, "s3cret") || !strings.Contains(out, `"path": "https://admin:xxxxx@h/v1/`) {
		t.Errorf(".http: exit %d:\n%s\nwant exit 1 and the URL without its password", code, out)
	}
}
