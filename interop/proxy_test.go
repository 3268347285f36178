package interop

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	ecs "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ecs/v2"
	ecsmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ecs/v2/model"

	"github.com/hwspec/compute/server"
)

// TestProxyWithTheOfficialSDK drives the SDK's ECS client, signing with
// AK/SK, through localserver's validating proxy to a second local server:
// a valid create reaches the upstream and succeeds (the SDK signs no Host,
// so its signature still verifies there, or the proxy re-signs it with its
// own key), and an invalid one is answered 400 Ecs.0005 by the proxy and
// never reaches the upstream.
func TestProxyWithTheOfficialSDK(t *testing.T) {
	const upstreamAK, upstreamSK = "UPSTREAMEXAMPLEAK01", "upstreamsecretkey0123456789abcdefghij"
	for _, mode := range []struct {
		name        string
		upstreamKey bool
	}{{"pass-through", false}, {"re-signed", true}} {
		t.Run(mode.name, func(t *testing.T) {
			upKeys := map[string]server.Key{ak: {Secret: sk, Project: project}}
			proxyCfg := server.Config{}
			if mode.upstreamKey {
				upKeys = map[string]server.Key{upstreamAK: {Secret: upstreamSK, Project: project}}
				proxyCfg.Keys = map[string]server.Key{ak: {Secret: sk, Project: project}}
			}
			up, err := server.New(server.Config{Delays: &server.Delays{}, Keys: upKeys})
			if err != nil {
				t.Fatal(err)
			}
			var received atomic.Int32
			h := up.Handler()
			ups := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				received.Add(1)
				h.ServeHTTP(w, r)
			}))
			t.Cleanup(ups.Close)
			u, _ := url.Parse(ups.URL)
			proxyCfg.Proxy = &server.Proxy{Upstream: u}
			if mode.upstreamKey {
				proxyCfg.Proxy.AccessKey, proxyCfg.Proxy.SecretKey = upstreamAK, upstreamSK
			}
			px, err := server.New(proxyCfg)
			if err != nil {
				t.Fatal(err)
			}
			pxs := httptest.NewServer(px.Handler())
			t.Cleanup(pxs.Close)
			client := ecs.NewEcsClient(ecs.EcsClientBuilder().WithEndpoints([]string{pxs.URL}).WithCredential(credentials(t)).Build())
			create := func(name string) error {
				_, err := client.CreateServers(&ecsmodel.CreateServersRequest{Body: &ecsmodel.CreateServersRequestBody{Server: &ecsmodel.PrePaidServer{
					ImageRef: "67f433d8-ed0e-4321-a8a2-a71838539e09", FlavorRef: "s6.small.1", Name: name,
					Vpcid:      "2a6f4aa6-d93e-45f5-a8cb-b030dbf8cd68",
					Nics:       []ecsmodel.PrePaidServerNic{{SubnetId: strPtr("ef039b60-6a14-42d1-963b-687b627fea08")}},
					RootVolume: &ecsmodel.PrePaidServerRootVolume{Volumetype: ecsmodel.GetPrePaidServerRootVolumeVolumetypeEnum().SSD},
				}}})
				return err
			}
			if err := create("web-01"); err != nil || received.Load() != 1 {
				t.Fatalf("valid create: %v; %d requests reached the upstream", err, received.Load())
			}
			err = create("web 01")
			var se *sdkerr.ServiceResponseError
			if !errors.As(err, &se) || se.StatusCode != http.StatusBadRequest || se.ErrorCode != "Ecs.0005" || !strings.Contains(se.ErrorMessage, "/server/name") {
				t.Errorf("invalid create: %v (%T), want 400 Ecs.0005 naming /server/name", err, err)
			}
			if received.Load() != 1 {
				t.Errorf("the invalid create reached the upstream")
			}
		})
	}
}
