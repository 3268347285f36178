package ecsapi

import "testing"

func TestGeneratedAPI(t *testing.T) {
	body := CreateServersRequestBody{Server: PrePaidServer{
		ImageRef: "67f433d8-ed0e-4321-a8a2-a71838539e09", FlavorRef: "s6.small.1", Name: "web",
		VpcID:      "2a6f4aa6-d93e-45f5-a8cb-b030dbf8cd68",
		NICs:       []PrePaidServerNic{{SubnetID: "ef039b60-6a14-42d1-963b-687b627fea08"}},
		RootVolume: PrePaidServerRootVolume{VolumeType: PrePaidServerRootVolumeVolumetypeSSD},
	}}
	if body.Server.RootVolume.VolumeType != "SSD" {
		t.Fatal("enum constant")
	}
	var c ClientWithResponsesInterface
	if c, _ = NewClientWithResponses("http://127.0.0.1"); c == nil {
		t.Fatal("no client")
	}
	var j Job
	if j.Status != nil {
		t.Fatal("zero Job")
	}
}
