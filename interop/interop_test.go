package interop

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"
	clouddc "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/clouddc/v1"
	cdcmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/clouddc/v1/model"
	ecs "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ecs/v2"
	ecsmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ecs/v2/model"

	"github.com/hwspec/compute/aksk"
	"github.com/hwspec/compute/server"
)

const (
	ak      = "HPUAEXAMPLEAK0001"
	sk      = "examplesecretkey0123456789abcdefghijkl"
	project = "0123456789abcdef0123456789abcdef"
	date    = "20241219T080000Z"
)

// TestSignaturesMatchTheOfficialSigner signs the same requests with the
// SDK's signer and with package aksk and compares the Authorization
// headers byte for byte; then it checks that aksk.Verify accepts what the
// SDK sends, except a body the SDK leaves unbound (UNSIGNED-PAYLOAD, which
// the SDK's signer writes for every non-JSON Content-Type).
func TestSignaturesMatchTheOfficialSigner(t *testing.T) {
	tests := []struct {
		name, method, path string
		query              map[string]string
		headers            map[string]string
		body               string
		verify             error // what aksk.Verify says of the SDK's request
	}{
		{name: "ECS create", method: "POST", path: "/v1.1/" + project + "/cloudservers",
			headers: map[string]string{"Content-Type": "application/json", "X-Project-Id": project, "X-Client-Token": "46436810-d999-454c-bd85-e515fd258600"},
			body:    `{"server":{"name":"web","count":2}}`},
		{name: "ECS job", method: "GET", path: "/v1/" + project + "/jobs/ff808082739334d80173943ec9b42130",
			headers: map[string]string{"X-Project-Id": project}},
		{name: "DevServer list with a query", method: "GET", path: "/v1/" + project + "/dev-servers",
			query:   map[string]string{"limit": "5", "sort_key": "createTime", "owner": "a b/c"},
			headers: map[string]string{"X-Project-Id": project}},
		{name: "CloudDC delete", method: "DELETE", path: "/v1/" + project + "/instances/0198170e-4ca7-7ee4-89a7-fa631843920b",
			headers: map[string]string{"X-Project-Id": project, "X-Language": "en-us"}},
		{name: "a non-JSON body is unsigned", method: "POST", path: "/v1/" + project + "/upload",
			headers: map[string]string{"Content-Type": "application/octet-stream"}, body: "raw bytes", verify: aksk.ErrBodyHash},
		{name: "a non-JSON request without a body", method: "DELETE", path: "/v1/" + project + "/dev-servers/x",
			headers: map[string]string{"Content-Type": "text/plain"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// The official SDK.
			b := request.NewHttpRequestBuilder().WithEndpoint("https://ecs.cn-north-4.myhuaweicloud.com").WithPath(tc.path).WithMethod(tc.method)
			for k, v := range tc.query {
				b = b.AddQueryParam(k, reflect.ValueOf(v)) // as the SDK's generated clients pass them
			}
			for k, v := range tc.headers {
				b = b.AddHeaderParam(k, v)
			}
			b = b.AddHeaderParam(aksk.DateHeader, date)
			if tc.body != "" {
				var v any
				if err := json.Unmarshal([]byte(tc.body), &v); err != nil {
					v = tc.body
				}
				b = b.WithBody("application/json", v)
			}
			sdkReq := b.Build()
			// Sign the bytes the SDK would send.
			sent, err := sdkReq.GetBodyToBytes()
			if err != nil {
				t.Fatal(err)
			}
			body := sent.Bytes()
			official, err := signer.Sign(sdkReq, ak, sk)
			if err != nil {
				t.Fatal(err)
			}

			// Ours, on the net/http request the same call would send.
			req, err := http.NewRequest(tc.method, "https://ecs.cn-north-4.myhuaweicloud.com"+tc.path, bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			q := req.URL.Query()
			for k, v := range tc.query {
				q.Set(k, v)
			}
			req.URL.RawQuery = q.Encode()
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			if ct := tc.headers["Content-Type"]; ct != "" && ct != "application/json" {
				req.Header.Set(aksk.ContentHashHeader, "UNSIGNED-PAYLOAD") // what the SDK adds for non-JSON bodies
			}
			at, _ := time.Parse(aksk.DateFormat, date)
			aksk.Sign(req, body, ak, sk, at)

			if got, want := req.Header.Get("Authorization"), official["Authorization"]; got != want {
				t.Fatalf("Authorization differs\nours:     %s\nofficial: %s", got, want)
			}

			// Our verifier on the headers the SDK sends.
			for k, v := range sdkReq.GetHeaderParams() {
				req.Header.Set(k, v)
			}
			for k, v := range official {
				req.Header.Set(k, v)
			}
			secretOf := func(key string) (string, bool) { return sk, key == ak }
			if _, err := aksk.Verify(req, body, secretOf, at.Add(time.Minute), 15*time.Minute); !errors.Is(err, tc.verify) || (err == nil) != (tc.verify == nil) {
				t.Fatalf("Verify of the SDK's request = %v, want %v", err, tc.verify)
			}
		})
	}
}

// localServer runs the local server with the test's AK/SK pair.
func localServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv, err := server.New(server.Config{
		Delays: &server.Delays{},
		Keys:   map[string]server.Key{ak: {Secret: sk, Project: project}},
	})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return hs
}

func credentials(t *testing.T) *basic.Credentials {
	t.Helper()
	c, err := basic.NewCredentialsBuilder().WithAk(ak).WithSk(sk).WithProjectId(project).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestOfficialECSClient creates servers and polls the job with the SDK's
// own ECS client, signing with AK/SK, against the local server.
func TestOfficialECSClient(t *testing.T) {
	hs := localServer(t)
	hc, err := ecs.EcsClientBuilder().WithEndpoints([]string{hs.URL}).WithCredential(credentials(t)).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	c := ecs.NewEcsClient(hc)
	count := int32(2)
	token := "46436810-d999-454c-bd85-e515fd258600"
	created, err := c.CreateServers(&ecsmodel.CreateServersRequest{XClientToken: &token, Body: &ecsmodel.CreateServersRequestBody{Server: &ecsmodel.PrePaidServer{
		ImageRef:   "67f433d8-ed0e-4321-a8a2-a71838539e09",
		FlavorRef:  "s6.small.1",
		Name:       "web",
		Vpcid:      "2a6f4aa6-d93e-45f5-a8cb-b030dbf8cd68",
		Nics:       []ecsmodel.PrePaidServerNic{{SubnetId: strPtr("ef039b60-6a14-42d1-963b-687b627fea08")}},
		RootVolume: &ecsmodel.PrePaidServerRootVolume{Volumetype: ecsmodel.GetPrePaidServerRootVolumeVolumetypeEnum().SSD},
		Count:      &count,
	}}})
	if err != nil {
		t.Fatal(err)
	}
	if created.JobId == nil || created.ServerIds == nil || len(*created.ServerIds) != 2 {
		t.Fatalf("create: %v", created)
	}
	job, err := c.ShowJob(&ecsmodel.ShowJobRequest{JobId: *created.JobId})
	if err != nil {
		t.Fatal(err)
	}
	if job.Status == nil || job.Status.Value() != "SUCCESS" {
		t.Fatalf("job: %v", job)
	}
}

// TestOfficialCloudDCClient creates an instance and reads its status with
// the SDK's own CloudDC client against the local server.
func TestOfficialCloudDCClient(t *testing.T) {
	hs := localServer(t)
	hc, err := clouddc.CloudDCClientBuilder().WithEndpoints([]string{hs.URL}).WithCredential(credentials(t)).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	c := clouddc.NewCloudDCClient(hc)
	created, err := c.CreateInstance(&cdcmodel.CreateInstanceRequest{Body: &cdcmodel.CreateInstanceOpitons{
		Name: "node-1", ImageId: "img-1", VpcId: "vpc-1", Password: "Imetal@2025x",
		NetworkInterfaces: []cdcmodel.NetworkInterface{{SubnetId: "subnet-1"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if created.InstanceId == nil {
		t.Fatalf("create: %v", created)
	}
	status, err := c.ShowInstanceStatus(&cdcmodel.ShowInstanceStatusRequest{Id: *created.InstanceId})
	if err != nil {
		t.Fatal(err)
	}
	if status.State == nil || status.State.Value() != "running" {
		t.Fatalf("status: %v", status)
	}
}

func strPtr(s string) *string { return &s }
