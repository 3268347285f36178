package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hwspec/compute/validate"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// checkGolden holds out to the golden file (rewritten with -update): the
// output is the contract CI scripts parse.
func checkGolden(t *testing.T, golden, out string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Errorf("output differs from %s (run go test ./cmd/validate -update and review the diff):\n%s", golden, out)
	}
}

// runCLI runs the command in-process and returns its exit status and output.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestGolden holds every output format to its golden file; the output is
// the contract CI scripts parse.
func TestGolden(t *testing.T) {
	// A body over the limit, read only up to it: the size it reports is
	// the whole body's (the engine's one body.size message).
	big := `{"server":{"name":"` + strings.Repeat("x", 2<<20) + `"}}`
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
	}{
		{name: "text", args: []string{"testdata/mixed.http"}, code: 1},
		{name: "json", args: []string{"-format", "json", "testdata/mixed.http"}, code: 1},
		{name: "sarif", args: []string{"-format", "sarif", "testdata/mixed.http"}, code: 1},
		{name: "github", args: []string{"-format", "github", "testdata/mixed.http"}, code: 1},
		{name: "json-body", args: []string{"-operation", "CreateServers", "testdata/body.json"}, code: 1},
		{name: "allow-unknown-fields", args: []string{"-allow-unknown-fields", "-format", "json", "testdata/mixed.http"}, code: 1},
		{name: "list-operations", args: []string{"-list-operations"}, code: 0},
		{name: "body-size", stdin: "POST /v1.1/0123456789abcdef0123456789abcdef/cloudservers HTTP/1.1\nContent-Type: application/json\nX-Auth-Token: t\n\n" + big + "\n",
			args: []string{"-format", "json", "-"}, code: 1},
		{name: "body-size-json-body", stdin: big, args: []string{"-operation", "CreateServers", "-"}, code: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tc.stdin, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tc.code, errOut)
			}
			checkGolden(t, filepath.Join("testdata", "golden", tc.name+".txt"), out)
		})
	}
}

// TestMachineFormatsParse checks that json and sarif output are well-formed
// and carry what consumers read.
func TestMachineFormatsParse(t *testing.T) {
	_, out, _ := runCLI(t, "", "-format", "json", "testdata/mixed.http")
	var rep struct {
		Results []struct {
			File   string `json:"file"`
			Valid  bool   `json:"valid"`
			Errors []struct {
				In, Pointer, Name, Rule, Message string
				Line, Column                     int
			} `json:"errors"`
		} `json:"results"`
		Summary struct{ Files, Requests, Valid, Invalid int } `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Summary.Files != 1 || rep.Summary.Requests != 5 || rep.Summary.Valid != 3 || rep.Summary.Invalid != 2 {
		t.Errorf("summary = %+v", rep.Summary)
	}
	for _, r := range rep.Results {
		for _, e := range r.Errors {
			if e.Line == 0 || e.Rule == "" || e.Message == "" {
				t.Errorf("finding without position, rule or message: %+v", e)
			}
		}
	}
	_, out, _ = runCLI(t, "", "-format", "sarif", "testdata/mixed.http")
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Rules []struct{ ID string } `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }    `json:"artifactLocation"`
						Region           struct{ StartLine int } `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Results) == 0 {
		t.Fatalf("sarif: %s", out)
	}
	rules := log.Runs[0].Tool.Driver.Rules
	for _, r := range log.Runs[0].Results {
		if rules[r.RuleIndex].ID != r.RuleID || r.Locations[0].PhysicalLocation.Region.StartLine == 0 || r.Locations[0].PhysicalLocation.ArtifactLocation.URI != "testdata/mixed.http" {
			t.Errorf("sarif result inconsistent: %+v", r)
		}
	}
}

// TestSecretsNeverPrinted validates requests with passwords, valid and
// invalid, in every format and looks for the passwords in all output.
func TestSecretsNeverPrinted(t *testing.T) {
	secrets := []string{"secretpassword", "MyRoot@2024"}
	for _, format := range []string{"text", "json", "sarif", "github"} {
		_, out, errOut := runCLI(t, "", "-format", format, "testdata/mixed.http")
		for _, s := range secrets {
			if strings.Contains(out+errOut, s) {
				t.Errorf("%s output contains the password %q", format, s)
			}
		}
	}
}

func TestExitStatusAndUsage(t *testing.T) {
	tests := []struct {
		name    string
		stdin   string
		args    []string
		code    int
		wantOut string
		wantErr string
	}{
		{name: "README's first command", args: []string{"../../testdata/requests"}, code: 0, wantOut: "3 files, 5 requests: 5 valid, 0 invalid"},
		{name: "mixed file", args: []string{"../../spec/examples/ecs/ShowJob.http"}, code: 1, wantOut: "1 file, 5 requests: 1 valid, 4 invalid"},
		{name: "valid stdin http", stdin: "GET /v1/p/jobs/j HTTP/1.1\nX-Auth-Token: t\n", args: []string{"-"}, code: 0, wantOut: "1 file, 1 request: 1 valid, 0 invalid"},
		{name: "stdin json body", stdin: `{"server":{}}`, args: []string{"-operation", "CreateServers", "-"}, code: 1, wantOut: "<stdin>:1:11: body /server/flavorRef: required field"},
		{name: "no path", args: nil, code: 2, wantErr: "no PATH given"},
		{name: "unknown format", args: []string{"-format", "xml", "x.http"}, code: 2, wantErr: `-format "xml"`},
		{name: "json without operation", args: []string{"testdata/body.json"}, code: 2, wantErr: "needs -operation"},
		{name: "unknown operation", args: []string{"-operation", "RebootServers", "testdata/body.json"}, code: 2, wantErr: `-operation "RebootServers"`},
		{name: "operation without body", args: []string{"-operation", "ShowJob", "testdata/body.json"}, code: 2, wantErr: "takes a JSON body"},
		{name: "missing file", args: []string{"testdata/nope.http"}, code: 2, wantErr: "no such file"},
		{name: "malformed http", stdin: "not a request line at all\n", args: []string{"-"}, code: 2, wantErr: "<stdin>: line 1: want a request line"},
		{name: "stdin twice", args: []string{"-", "-"}, code: 2, wantErr: "given twice"},
		{name: "help", args: []string{"-h"}, code: 0, wantErr: "usage: validate"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tc.stdin, tc.args...)
			if code != tc.code || !strings.Contains(out, tc.wantOut) || !strings.Contains(errOut, tc.wantErr) {
				t.Fatalf("exit %d\nstdout: %s\nstderr: %s\nwant exit %d, stdout containing %q, stderr containing %q", code, out, errOut, tc.code, tc.wantOut, tc.wantErr)
			}
		})
	}
}

func TestDirectoryWalkIsDeterministic(t *testing.T) {
	_, first, _ := runCLI(t, "", "-format", "json", "../../spec/examples")
	for range 3 {
		if _, again, _ := runCLI(t, "", "-format", "json", "../../spec/examples"); again != first {
			t.Fatal("output differs between runs of the same inputs")
		}
	}
	if !strings.Contains(first, `"file": "../../spec/examples/clouddc/CreateInstance.http"`) || !strings.Contains(first, `"file": "../../spec/examples/ecs/ShowJob.http"`) {
		t.Fatal("directory walk missed files")
	}
}

// TestExamplesHoldTheirExpectations is how the repository checks its own
// examples: every request under spec/examples gives exactly the findings
// its "# @expect" comments name.
func TestExamplesHoldTheirExpectations(t *testing.T) {
	code, out, errOut := runCLI(t, "", "-expect", "../../spec/examples")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "every @expect comment holds") {
		t.Fatalf("unexpected output: %s", out)
	}
}

func TestExpectModeReportsMismatches(t *testing.T) {
	stdin := "### wrong on purpose\n# @expect invalid body /server/name schema.pattern\nGET /v1/p/jobs/j HTTP/1.1\nX-Auth-Token: t\n"
	code, out, _ := runCLI(t, stdin, "-expect", "-")
	if code != 1 || !strings.Contains(out, `"wrong on purpose": findings differ`) || !strings.Contains(out, "1 of 1 requests") {
		t.Fatalf("exit %d: %s", code, out)
	}
}

// TestAllowUnknownFieldsPastTheCap checks that -allow-unknown-fields keeps
// a request valid however many unknown members it has: the engine applies
// the policy before it caps the findings, so the summary of the findings
// left out is a warning too.
func TestAllowUnknownFieldsPastTheCap(t *testing.T) {
	var body strings.Builder
	body.WriteString(`{"server":{"imageRef":"67f433d8-ed0e-4321-a8a2-a71838539e09","flavorRef":"s6.small.1","name":"web",` +
		`"vpcid":"2a6f4aa6-d93e-45f5-a8cb-b030dbf8cd68","nics":[{"subnet_id":"ef039b60-6a14-42d1-963b-687b627fea08"}],` +
		`"root_volume":{"volumetype":"SSD"}`)
	for i := range 2 * validate.DefaultLimits.MaxFindings {
		fmt.Fprintf(&body, `,"extra%d":1`, i)
	}
	body.WriteString("}}")
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"-format", "json", "-operation", "CreateServers", "-"}, 1},
		{[]string{"-format", "json", "-allow-unknown-fields", "-operation", "CreateServers", "-"}, 0},
	} {
		code, out, errOut := runCLI(t, body.String(), tc.args...)
		if code != tc.code {
			t.Errorf("%v: exit %d, want %d; stderr: %s", tc.args, code, tc.code, errOut)
		}
		if !strings.Contains(out, validate.TruncatedRule) {
			t.Errorf("%v: no %s finding in the output", tc.args, validate.TruncatedRule)
		}
	}
}

// TestVersion: -version prints the module version from the build
// information and validates nothing.
func TestVersion(t *testing.T) {
	code, out, errOut := runCLI(t, "", "-version")
	if code != 0 || !strings.HasPrefix(out, "validate ") || !strings.Contains(out, "(go1.") || errOut != "" {
		t.Fatalf("-version: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}
