package main

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ecs/v2/model"

	"github.com/hwspec/compute/server"
	"github.com/hwspec/compute/validate"
)

const (
	ak      = "HPUAEXAMPLEAK0001"
	sk      = "examplesecretkey0123456789abcdefghijkl"
	project = "0123456789abcdef0123456789abcdef"
)

// TestREADMEProgram runs the README's program's create against the local
// server: a valid server is created (the AK/SK signature made by the SDK
// still verifies after the transport has read the body); an invalid one
// fails in the caller with every finding and the server receives nothing.
func TestREADMEProgram(t *testing.T) {
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
	defer hs.Close()
	subnet := "ef039b60-6a14-42d1-963b-687b627fea08"
	valid := model.PrePaidServer{
		ImageRef:   "67f433d8-ed0e-4321-a8a2-a71838539e09",
		FlavorRef:  "s6.small.1",
		Name:       "web-01",
		Vpcid:      "2a6f4aa6-d93e-45f5-a8cb-b030dbf8cd68",
		Nics:       []model.PrePaidServerNic{{SubnetId: &subnet}},
		RootVolume: &model.PrePaidServerRootVolume{Volumetype: model.GetPrePaidServerRootVolumeVolumetypeEnum().SSD},
	}
	jobID, err := create(hs.URL, ak, sk, project, valid)
	if err != nil || jobID == "" || received.Load() != 1 {
		t.Fatalf("valid create: job %q, error %v, %d requests received", jobID, err, received.Load())
	}
	invalid := valid
	invalid.Name = "web 01!"
	invalid.Vpcid = ""
	_, err = create(hs.URL, ak, sk, project, invalid)
	var re *validate.RequestError
	if !errors.As(err, &re) {
		t.Fatalf("invalid create: %v (%T), want a *validate.RequestError", err, err)
	}
	var rules []string
	for _, f := range re.Result.Findings {
		rules = append(rules, f.Pointer+" "+f.Rule)
	}
	if got := strings.Join(rules, ", "); got != "/server/name schema.pattern, /server/vpcid schema.pattern" {
		t.Errorf("findings %s (%v)", got, err)
	}
	if received.Load() != 1 {
		t.Errorf("the server received the invalid request")
	}
	if strings.Contains(err.Error(), sk) {
		t.Errorf("the error repeats the secret key: %v", err)
	}
}
