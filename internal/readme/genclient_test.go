package readme_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hwspec/compute/server"
)

// README:genclient
import (
	"github.com/google/uuid"

	"github.com/hwspec/compute/gen/ecs"
)

// README:end

// createServers is the README's generated-client example: it creates two
// ECSs through the generated client and prints the job.
func createServers(ctx context.Context, endpoint, token, projectID string) error {
	// README:genclient
	c, err := ecs.NewClientWithResponses(endpoint, // e.g. https://ecs.cn-north-4.myhuaweicloud.com
		ecs.WithRequestEditorFn(func(ctx context.Context, req *http.Request) error {
			req.Header.Set("X-Auth-Token", token) // an IAM token
			return nil
		}))
	if err != nil {
		return err
	}
	count := int32(2)
	body := ecs.CreateServersRequestBody{Server: ecs.PrePaidServer{
		ImageRef:   "67f433d8-ed0e-4321-a8a2-a71838539e09",
		FlavorRef:  "s6.small.1",
		Name:       "web",
		VpcID:      "2a6f4aa6-d93e-45f5-a8cb-b030dbf8cd68",
		NICs:       []ecs.PrePaidServerNic{{SubnetID: "ef039b60-6a14-42d1-963b-687b627fea08"}},
		RootVolume: ecs.PrePaidServerRootVolume{VolumeType: ecs.PrePaidServerRootVolumeVolumetypeSSD},
		Count:      &count,
	}}
	clientToken := ecs.XClientToken(uuid.NewString()) // makes retries safe
	resp, err := c.CreateServersWithResponse(ctx, projectID, &ecs.CreateServersParams{XClientToken: &clientToken}, body)
	if err != nil {
		return err
	}
	switch {
	case resp.JSON200 != nil:
		fmt.Println("job", *resp.JSON200.JobID, "servers", *resp.JSON200.ServerIDs)
	case resp.JSON400 != nil:
		fmt.Println("rejected:", resp.JSON400.Error.Code, resp.JSON400.Error.Message)
	}
	// README:end
	if resp.JSON200 == nil || len(*resp.JSON200.ServerIDs) != 2 {
		return fmt.Errorf("status %d: %s", resp.StatusCode(), resp.Body)
	}
	return nil
}

// TestGeneratedClient runs the example against the local server.
func TestGeneratedClient(t *testing.T) {
	srv, err := server.New(server.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	if err := createServers(t.Context(), ts.URL, server.DefaultToken, server.DefaultProject); err != nil {
		t.Fatal(err)
	}
}
