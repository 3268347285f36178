package interop

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hwspec/compute/server"
)

// Huawei Cloud's official Node.js SDK (@huaweicloud/huaweicloud-sdk-core
// and -ecs) lives in testdata/nodesdk/node_modules, installed from
// testdata/nodesdk/package-lock.json by `make interop` (npm ci). It is under
// testdata because one of its dependencies (flatted) ships a Go package,
// which `go test ./...` and `go mod tidy` would otherwise take for one of
// this module's.
const nodeSDKDir = "testdata/nodesdk"

// nodeSDKScript returns the node binary and the path of one of the scripts
// beside the SDK, or skips the test (fails it under CI) when node or the
// SDK is missing.
func nodeSDKScript(t *testing.T, name string) (node, script string) {
	t.Helper()
	missing := func(what, fix string) {
		t.Helper()
		if os.Getenv("CI") != "" {
			t.Fatalf("%s; %s", what, fix)
		}
		t.Skipf("%s (%s)", what, fix)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node is not installed", ".ci/run installs nodejs and npm")
	}
	if _, err := os.Stat(filepath.Join(nodeSDKDir, "node_modules/@huaweicloud/huaweicloud-sdk-ecs/package.json")); err != nil {
		missing("the Node.js SDK is not installed", "`make interop` installs it: npm ci in interop/"+nodeSDKDir)
	}
	script, err = filepath.Abs(filepath.Join(nodeSDKDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return node, script
}

// runNodeSDK runs a script beside the SDK with args and stdin, signing
// with ak/sk for project against endpoint, and decodes the JSON lines it
// prints into a slice of T. The SDK writes an application id under the
// home directory: HOME is a temporary one.
func runNodeSDK[T any](t *testing.T, name, endpoint, ak, sk, stdin string, args ...string) []T {
	t.Helper()
	node, script := nodeSDKScript(t, name)
	cmd := exec.Command(node, append([]string{script}, args...)...)
	cmd.Dir = nodeSDKDir
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir(),
		"HWSPEC_ENDPOINT="+endpoint, "HWSPEC_AK="+ak, "HWSPEC_SK="+sk, "HWSPEC_PROJECT="+project)
	cmd.Stdin = strings.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node %s: %v\n%s", name, err, stderr.String())
	}
	var results []T
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var r T
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("%s printed something else than JSON lines: %v", name, err)
		}
		results = append(results, r)
	}
	return results
}

// nodeResult is one line of create-servers.cjs: the outcome of one
// CreateServers call (and of the ShowJob that follows a success).
type nodeResult struct {
	Name      string `json:"name"`
	OK        bool   `json:"ok"`
	Status    int    `json:"status"`
	JobID     string `json:"job_id"`
	JobStatus string `json:"job_status"`
	ErrorCode string `json:"error_code"`
	ErrorMsg  string `json:"error_msg"`
}

// createServers creates one server per name with the Node.js SDK's
// EcsClient (create-servers.cjs).
func createServers(t *testing.T, endpoint, ak, sk string, names ...string) []nodeResult {
	t.Helper()
	results := runNodeSDK[nodeResult](t, "create-servers.cjs", endpoint, ak, sk, "", names...)
	if len(results) != len(names) {
		t.Fatalf("create-servers.cjs: %d results for %d names", len(results), len(names))
	}
	return results
}

// seen is a request as it reached a server.
type seen struct {
	method, path, host string
	header             http.Header
	body               string
}

// recorder serves next and records every request it receives.
type recorder struct {
	next http.Handler
	mu   sync.Mutex
	reqs []seen
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec.mu.Lock()
	rec.reqs = append(rec.reqs, seen{r.Method, r.URL.Path, r.Host, r.Header.Clone(), string(body)})
	rec.mu.Unlock()
	rec.next.ServeHTTP(w, r)
}

func (rec *recorder) requests() []seen {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]seen(nil), rec.reqs...)
}

// lockedBuffer is a log destination the server's goroutines write and
// the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// recordedServer runs a local server (cfg) behind a recorder, logging to
// the returned buffer.
func recordedServer(t *testing.T, cfg server.Config) (*httptest.Server, *recorder, *lockedBuffer) {
	t.Helper()
	logs := &lockedBuffer{}
	cfg.Logger = slog.New(slog.NewJSONHandler(logs, nil))
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{next: srv.Handler()}
	hs := httptest.NewServer(rec)
	t.Cleanup(hs.Close)
	return hs, rec, logs
}

// signedHeaders returns the SignedHeaders list of an SDK-HMAC-SHA256
// Authorization header, and its access key (never the signature).
func signedHeaders(authorization string) (access, signed string) {
	for part := range strings.SplitSeq(strings.TrimPrefix(authorization, "SDK-HMAC-SHA256 "), ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Access":
			access = v
		case "SignedHeaders":
			signed = v
		}
	}
	return access, signed
}

// What the Node.js SDK 3.1.211 signs on EcsClient's CreateServers (a JSON
// body) and ShowJob (a GET): every header it sets itself, Content-Type and
// the endpoint's host included, and no X-Sdk-Content-Sha256 (it hashes a
// JSON body; it adds UNSIGNED-PAYLOAD only for other content types).
const nodeSDKSignedHeaders = "content-type;host;x-project-id;x-sdk-date"

// invalidName is a server name ECS refuses (a space), so that the create
// fails validation with Ecs.0005 at /server/name.
const invalidName = "web 01"

// checkValidCreate expects a create that succeeded and whose job the SDK
// then read.
func checkValidCreate(t *testing.T, r nodeResult) {
	t.Helper()
	if !r.OK || r.Status != http.StatusOK || r.JobID == "" || r.JobStatus == "" {
		t.Errorf("valid create %q: %+v, want 200 with a job the SDK can show", r.Name, r)
	}
}

// checkRefusedCreate expects the SDK's error for an invalid body: 400
// Ecs.0005 naming the field.
func checkRefusedCreate(t *testing.T, r nodeResult) {
	t.Helper()
	if r.OK || r.Status != http.StatusBadRequest || r.ErrorCode != "Ecs.0005" || !strings.Contains(r.ErrorMsg, "/server/name") {
		t.Errorf("invalid create %q: %+v, want the SDK's error 400 Ecs.0005 naming /server/name", r.Name, r)
	}
}

// TestNodeSDK drives the EcsClient of Huawei Cloud's official Node.js SDK,
// signing with AK/SK (BasicCredentials), whose signer, unlike the Go SDK's,
// signs the host it sends the request to.
func TestNodeSDK(t *testing.T) {
	nodeSDKScript(t, "create-servers.cjs") // skip all at once when the SDK is missing
	const upstreamAK, upstreamSK = "UPSTREAMEXAMPLEAK01", "upstreamsecretkey0123456789abcdefghij"

	// The local server verifies the Node SDK's signature over host
	// (aksk.Verify), and answers an invalid create with an error the SDK
	// surfaces with its ECS code.
	t.Run("local server", func(t *testing.T) {
		hs, rec, _ := recordedServer(t, server.Config{Delays: &server.Delays{}, Keys: map[string]server.Key{ak: {Secret: sk, Project: project}}})
		res := createServers(t, hs.URL, ak, sk, "web-01", invalidName)
		checkValidCreate(t, res[0])
		checkRefusedCreate(t, res[1])
		reqs := rec.requests()
		if len(reqs) != 3 {
			t.Fatalf("the server saw %d requests, want 3 (create, ShowJob, create)", len(reqs))
		}
		for _, r := range reqs {
			access, signed := signedHeaders(r.header.Get("Authorization"))
			if !strings.HasPrefix(r.header.Get("Authorization"), "SDK-HMAC-SHA256 ") || access != ak || signed != nodeSDKSignedHeaders {
				t.Errorf("%s %s: Access=%s SignedHeaders=%s, want SDK-HMAC-SHA256 by %s over %s", r.method, r.path, access, signed, ak, nodeSDKSignedHeaders)
			}
			if v, ok := r.header[http.CanonicalHeaderKey("X-Sdk-Content-Sha256")]; ok {
				t.Errorf("%s %s: X-Sdk-Content-Sha256 %q sent", r.method, r.path, v)
			}
		}
	})

	// A validating proxy with an upstream key authenticates the Node
	// SDK's signature (made for the proxy's host) with its own key table,
	// refuses the invalid create itself, and re-signs the valid one for
	// the upstream, which verifies the proxy's signature.
	t.Run("proxy re-signs", func(t *testing.T) {
		ups, rec, _ := recordedServer(t, server.Config{Delays: &server.Delays{}, Keys: map[string]server.Key{upstreamAK: {Secret: upstreamSK, Project: project}}})
		u, _ := url.Parse(ups.URL)
		px, err := server.New(server.Config{
			Keys:  map[string]server.Key{ak: {Secret: sk, Project: project}},
			Proxy: &server.Proxy{Upstream: u, AccessKey: upstreamAK, SecretKey: upstreamSK},
		})
		if err != nil {
			t.Fatal(err)
		}
		pxs := httptest.NewServer(px.Handler())
		t.Cleanup(pxs.Close)

		res := createServers(t, pxs.URL, ak, sk, "web-01", invalidName)
		checkValidCreate(t, res[0])
		checkRefusedCreate(t, res[1])
		reqs := rec.requests()
		if len(reqs) != 2 || reqs[0].method != "POST" || reqs[1].method != "GET" {
			t.Fatalf("the upstream saw %d requests, want the valid create and its ShowJob", len(reqs))
		}
		for _, r := range reqs {
			if access, _ := signedHeaders(r.header.Get("Authorization")); access != upstreamAK {
				t.Errorf("%s %s reached the upstream signed by %q, want the proxy's key %s", r.method, r.path, access, upstreamAK)
			}
			if strings.Contains(r.body, invalidName) {
				t.Errorf("the invalid create reached the upstream")
			}
		}
	})

	// Without an upstream key the proxy passes the client's signature
	// through, and the Host header becomes the upstream's: the Node SDK's
	// signature over the proxy's host does not verify there (401
	// APIGW.0301, a signature mismatch in the upstream's log), which is
	// why -upstream-key exists. The invalid create is still refused by the
	// proxy and reaches nobody.
	t.Run("proxy passes a host signature through", func(t *testing.T) {
		ups, rec, logs := recordedServer(t, server.Config{Delays: &server.Delays{}, Keys: map[string]server.Key{ak: {Secret: sk, Project: project}}})
		u, _ := url.Parse(ups.URL)
		px, err := server.New(server.Config{Proxy: &server.Proxy{Upstream: u}})
		if err != nil {
			t.Fatal(err)
		}
		pxs := httptest.NewServer(px.Handler())
		t.Cleanup(pxs.Close)

		res := createServers(t, pxs.URL, ak, sk, "web-01", invalidName)
		if r := res[0]; r.OK || r.Status != http.StatusUnauthorized || r.ErrorCode != "APIGW.0301" {
			t.Errorf("valid create through a pass-through proxy: %+v, want the upstream's 401 APIGW.0301", r)
		}
		checkRefusedCreate(t, res[1])
		reqs := rec.requests()
		if len(reqs) != 1 {
			t.Fatalf("the upstream saw %d requests, want the valid create only", len(reqs))
		}
		r := reqs[0]
		access, signed := signedHeaders(r.header.Get("Authorization"))
		if access != ak || signed != nodeSDKSignedHeaders || r.host != u.Host {
			t.Errorf("forwarded with Host %s, Access=%s, SignedHeaders=%s; want Host %s and the client's signature over %s unchanged", r.host, access, signed, u.Host, nodeSDKSignedHeaders)
		}
		if !strings.Contains(logs.String(), `"reason":"aksk: signature does not match"`) {
			t.Errorf("the upstream's log does not give a signature mismatch as the reason:\n%s", logs.String())
		}
	})
}

// nodeRequest is a request as the Node.js SDK's generated clients describe
// it to HcClient.sendRequest ({project_id} is filled from the credentials).
type nodeRequest struct {
	Method      string            `json:"method"`
	URL         string            `json:"url"`
	ContentType string            `json:"contentType,omitempty"`
	QueryParams map[string]any    `json:"queryParams"`
	PathParams  map[string]string `json:"pathParams"`
	Headers     map[string]string `json:"headers"`
	Data        any               `json:"data,omitempty"`
}

// TestNodeSDKSignatures sends requests the ECS client alone does not make
// through the Node.js SDK's generic client (HcClient, which every
// generated client uses) to the local server, and checks what aksk.Verify
// says of each signature. An answer other than 401 means the signature
// verified (authentication comes before validation); each 401 must have
// the reason given (the server's log, in order).
func TestNodeSDKSignatures(t *testing.T) {
	const devServers = "/v1/{project_id}/dev-servers"
	const missingID = "0198170e-4ca7-7ee4-89a7-fa631843920b"
	tests := []struct {
		name   string
		req    nodeRequest
		status int
		code   string
		// contentSha256 is the X-Sdk-Content-Sha256 the SDK sends ("" none).
		contentSha256 string
		// reason is the server's reason for a 401.
		reason string
	}{
		{name: "a query string", status: 200,
			req: nodeRequest{Method: "GET", URL: devServers, ContentType: "application/json", QueryParams: map[string]any{"limit": 5, "sort_key": "createTime", "sort_dir": "ASC"}}},
		{name: "no Content-Type", status: 200,
			req: nodeRequest{Method: "GET", URL: devServers, QueryParams: map[string]any{"offset": 0}}},
		// Refused by validation, so authenticated first.
		{name: "reserved and non-ASCII characters in a query value", status: 400, code: "ModelArts.0104",
			req: nodeRequest{Method: "GET", URL: devServers, ContentType: "application/json", QueryParams: map[string]any{"owner": "a b/c!*'()~ü+&=%;"}}},
		{name: "a repeated query parameter", status: 400, code: "ModelArts.0104",
			req: nodeRequest{Method: "GET", URL: devServers, ContentType: "application/json", QueryParams: map[string]any{"owner": []string{"b", "a"}}}},
		{name: "an empty query value", status: 400, code: "ModelArts.0104",
			req: nodeRequest{Method: "GET", URL: devServers, ContentType: "application/json", QueryParams: map[string]any{"owner": ""}}},
		{name: "a non-ASCII JSON body with a charset", status: 400, code: "Ecs.0005",
			req: nodeRequest{Method: "POST", URL: "/v1.1/{project_id}/cloudservers", ContentType: "application/json;charset=UTF-8", Data: map[string]any{"server": map[string]any{"name": "wéb-ü-中文"}}}},
		{name: "CloudDC, a path parameter", status: 404, code: "iMetal.0100",
			req: nodeRequest{Method: "GET", URL: "/v1/{project_id}/instances/{id}/status", ContentType: "application/json", PathParams: map[string]string{"id": missingID}}},
		// The SDK signs UNSIGNED-PAYLOAD for a Content-Type other than
		// JSON: accepted without a body, refused with one (aksk's
		// documented choice: such a signature does not bind the body).
		{name: "UNSIGNED-PAYLOAD without a body", status: 404, code: "ModelArts.6309", contentSha256: "UNSIGNED-PAYLOAD",
			req: nodeRequest{Method: "DELETE", URL: devServers + "/{id}", ContentType: "text/plain", PathParams: map[string]string{"id": missingID}}},
		{name: "UNSIGNED-PAYLOAD with a body", status: 401, code: "APIGW.0301", contentSha256: "UNSIGNED-PAYLOAD",
			reason: "aksk: the signed X-Sdk-Content-Sha256 does not bind the body received: UNSIGNED-PAYLOAD with a 5-byte body",
			req:    nodeRequest{Method: "POST", URL: "/v1.1/{project_id}/cloudservers", ContentType: "text/plain", Data: "hello"}},
		// A path parameter that needs encoding: the Node SDK signs the
		// segment encoded twice (url.parse escapes the space, its
		// canonical URI escapes the "%"), the Go SDK and aksk once, as
		// it is sent. No path parameter of our operations takes such a
		// value.
		{name: "a path parameter with a space", status: 401, code: "APIGW.0301",
			reason: "aksk: signature does not match",
			req:    nodeRequest{Method: "GET", URL: "/v1/{project_id}/jobs/{job_id}", ContentType: "application/json", PathParams: map[string]string{"job_id": "a b"}}},
	}
	nodeSDKScript(t, "send-requests.cjs")
	reqs := make([]nodeRequest, len(tests))
	for i, tc := range tests {
		reqs[i] = tc.req
		for _, m := range []*map[string]string{&reqs[i].PathParams, &reqs[i].Headers} {
			if *m == nil {
				*m = map[string]string{}
			}
		}
		if reqs[i].QueryParams == nil {
			reqs[i].QueryParams = map[string]any{}
		}
	}
	in, err := json.Marshal(reqs)
	if err != nil {
		t.Fatal(err)
	}
	hs, rec, logs := recordedServer(t, server.Config{Delays: &server.Delays{}, Keys: map[string]server.Key{ak: {Secret: sk, Project: project}}})
	type result struct {
		Status    int    `json:"status"`
		ErrorCode string `json:"error_code"`
	}
	results := runNodeSDK[result](t, "send-requests.cjs", hs.URL, ak, sk, string(in))
	seen := rec.requests()
	if len(results) != len(tests) || len(seen) != len(tests) {
		t.Fatalf("%d results, %d requests received, for %d requests sent", len(results), len(seen), len(tests))
	}
	var wantReasons []string
	for i, tc := range tests {
		if tc.reason != "" {
			wantReasons = append(wantReasons, tc.reason)
		}
		if r := results[i]; r.Status != tc.status || r.ErrorCode != tc.code {
			t.Errorf("%s: %d %q, want %d %q", tc.name, r.Status, r.ErrorCode, tc.status, tc.code)
		}
		_, signed := signedHeaders(seen[i].header.Get("Authorization"))
		if !strings.Contains(";"+signed+";", ";host;") {
			t.Errorf("%s: SignedHeaders=%s, want host among them", tc.name, signed)
		}
		if got := seen[i].header.Get("X-Sdk-Content-Sha256"); got != tc.contentSha256 {
			t.Errorf("%s: X-Sdk-Content-Sha256 %q, want %q", tc.name, got, tc.contentSha256)
		}
	}
	var reasons []string
	for line := range strings.Lines(logs.String()) {
		var entry struct{ Msg, Reason string }
		if json.Unmarshal([]byte(line), &entry) == nil && entry.Msg == "authentication failed" {
			reasons = append(reasons, entry.Reason)
		}
	}
	if !slices.Equal(reasons, wantReasons) {
		t.Errorf("authentication failures %q, want %q", reasons, wantReasons)
	}
}
