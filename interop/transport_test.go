package interop

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	clouddc "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/clouddc/v1"
	cdcmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/clouddc/v1/model"
	ecs "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ecs/v2"
	ecsmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ecs/v2/model"

	"github.com/hwspec/compute/server"
	"github.com/hwspec/compute/validate"
)

// TestTransportWithTheOfficialSDK drives the SDK's ECS and CloudDC clients,
// signing with AK/SK, through validate.NewTransport against the local
// server: a valid create reaches the server and succeeds (the signature
// still verifies), an invalid one fails in the caller with a
// *validate.RequestError naming every finding, and the server receives
// nothing.
func TestTransportWithTheOfficialSDK(t *testing.T) {
	engine, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Config{Delays: &server.Delays{}, Keys: map[string]server.Key{ak: {Secret: sk, Project: project}}})
	if err != nil {
		t.Fatal(err)
	}
	var received atomic.Int32
	h := srv.Handler()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		received.Add(1)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	httpConfig := config.DefaultHttpConfig().WithHttpRoundTripper(validate.NewTransport(engine, http.DefaultTransport))
	ecsClient := ecs.NewEcsClient(ecs.EcsClientBuilder().WithEndpoints([]string{hs.URL}).WithCredential(credentials(t)).WithHttpConfig(httpConfig).Build())
	cdcClient := clouddc.NewCloudDCClient(clouddc.CloudDCClientBuilder().WithEndpoints([]string{hs.URL}).WithCredential(credentials(t)).WithHttpConfig(httpConfig).Build())

	ecsServer := func(name string, volume ecsmodel.PrePaidServerRootVolumeVolumetype) *ecsmodel.CreateServersRequest {
		return &ecsmodel.CreateServersRequest{Body: &ecsmodel.CreateServersRequestBody{Server: &ecsmodel.PrePaidServer{
			ImageRef: "67f433d8-ed0e-4321-a8a2-a71838539e09", FlavorRef: "s6.small.1", Name: name,
			Vpcid:      "2a6f4aa6-d93e-45f5-a8cb-b030dbf8cd68",
			Nics:       []ecsmodel.PrePaidServerNic{{SubnetId: strPtr("ef039b60-6a14-42d1-963b-687b627fea08")}},
			RootVolume: &ecsmodel.PrePaidServerRootVolume{Volumetype: volume},
		}}}
	}
	ssd := ecsmodel.GetPrePaidServerRootVolumeVolumetypeEnum().SSD
	instance := func(name, password string) *cdcmodel.CreateInstanceRequest {
		return &cdcmodel.CreateInstanceRequest{Body: &cdcmodel.CreateInstanceOpitons{
			Name: name, ImageId: "img-1", VpcId: "vpc-1", Password: password,
			NetworkInterfaces: []cdcmodel.NetworkInterface{{SubnetId: "subnet-1"}},
		}}
	}
	const weak = "weakpassword"
	for _, c := range []struct {
		name   string
		call   func() error
		wantOK bool
		want   string // the findings, "pointer rule, …"
	}{
		{"ECS valid create", func() error { _, err := ecsClient.CreateServers(ecsServer("web-01", ssd)); return err }, true, ""},
		{"ECS invalid create", func() error { _, err := ecsClient.CreateServers(ecsServer("web 01", ssd)); return err }, false, "/server/name schema.pattern"},
		{"ECS valid read", func() error { _, err := ecsClient.ShowJob(&ecsmodel.ShowJobRequest{JobId: "no-such-job"}); return err }, true, ""},
		{"CloudDC valid create", func() error { _, err := cdcClient.CreateInstance(instance("node-1", "Imetal@2025x")); return err }, true, ""},
		{"CloudDC invalid create", func() error { _, err := cdcClient.CreateInstance(instance("", weak)); return err }, false,
			"/name schema.pattern, /password format.clouddc-password"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := received.Load()
			err := c.call()
			sent := received.Load() - before
			if c.wantOK {
				var re *validate.RequestError
				if errors.As(err, &re) || sent != 1 {
					t.Fatalf("%d requests reached the server; error %v", sent, err)
				}
				if err != nil && !strings.Contains(err.Error(), "404") && !strings.Contains(err.Error(), "Ecs.0114") {
					t.Fatalf("the server refused: %v", err)
				}
				return
			}
			var re *validate.RequestError
			if !errors.As(err, &re) {
				t.Fatalf("error %v (%T), want a *validate.RequestError", err, err)
			}
			if sent != 0 {
				t.Errorf("%d requests reached the server", sent)
			}
			var got []string
			for _, f := range re.Result.Findings {
				got = append(got, f.Pointer+" "+f.Rule)
			}
			if strings.Join(got, ", ") != c.want {
				t.Errorf("findings %q, want %s", got, c.want)
			}
			for _, secret := range []string{sk, weak} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("the error repeats a secret: %v", err)
				}
			}
		})
	}
}
