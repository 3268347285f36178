// README:sdk-transport
// Command sdkvalidate creates ECS servers with Huawei's official Go SDK and
// validates each request against the spec before it leaves the process.
package main

import (
	"errors"
	"fmt"
	"net/http"
	"os"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	ecs "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ecs/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ecs/v2/model"

	"github.com/hwspec/compute/validate"
)

func main() {
	subnet := "ef039b60-6a14-42d1-963b-687b627fea08"
	server := model.PrePaidServer{
		ImageRef:   "67f433d8-ed0e-4321-a8a2-a71838539e09",
		FlavorRef:  "s6.small.1",
		Name:       "web-01",
		Vpcid:      "2a6f4aa6-d93e-45f5-a8cb-b030dbf8cd68",
		Nics:       []model.PrePaidServerNic{{SubnetId: &subnet}},
		RootVolume: &model.PrePaidServerRootVolume{Volumetype: model.GetPrePaidServerRootVolumeVolumetypeEnum().SSD},
	}
	jobID, err := create(os.Getenv("ECS_ENDPOINT"), // https://ecs.cn-north-4.myhuaweicloud.com, or the local server
		os.Getenv("HUAWEICLOUD_SDK_AK"), os.Getenv("HUAWEICLOUD_SDK_SK"), os.Getenv("HUAWEICLOUD_SDK_PROJECT_ID"), server)
	var invalid *validate.RequestError
	switch {
	case errors.As(err, &invalid): // refused before sending: nothing reached the service
		for _, f := range invalid.Result.Findings {
			fmt.Fprintln(os.Stderr, f) // e.g. body /server/name: must match the pattern ^[A-Za-z0-9_.-]{1,128}$ [schema.pattern]
		}
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("job", jobID)
}

// create sends CreateServers through the SDK, with a validating transport.
func create(endpoint, ak, sk, projectID string, server model.PrePaidServer) (string, error) {
	engine, err := validate.New() // compiles the specs: a long-running program builds one and shares it
	if err != nil {
		return "", err
	}
	cred, err := basic.NewCredentialsBuilder().WithAk(ak).WithSk(sk).WithProjectId(projectID).SafeBuild()
	if err != nil {
		return "", err
	}
	hc, err := ecs.EcsClientBuilder().
		WithEndpoints([]string{endpoint}).
		WithCredential(cred).
		WithHttpConfig(config.DefaultHttpConfig().WithHttpRoundTripper(validate.NewTransport(engine, http.DefaultTransport))).
		SafeBuild()
	if err != nil {
		return "", err
	}
	resp, err := ecs.NewEcsClient(hc).CreateServers(&model.CreateServersRequest{Body: &model.CreateServersRequestBody{Server: &server}})
	if err != nil {
		return "", err
	}
	if resp.JobId == nil {
		return "", errors.New("the answer has no job_id")
	}
	return *resp.JobId, nil
}

// README:end
