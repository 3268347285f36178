package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http/httptest"
	"time"

	"github.com/hwspec/compute/client"
	"github.com/hwspec/compute/gen/ecs"
	"github.com/hwspec/compute/server"
)

// Create two ECSs and wait for them, against the local server started in
// the process (use WithRegion and real credentials for the cloud).
func Example() {
	srv, err := server.New(server.Config{Delays: &server.Delays{JobStep: 10 * time.Millisecond}})
	if err != nil {
		log.Fatal(err)
	}
	local := httptest.NewServer(srv.Handler())
	defer local.Close()

	c, err := client.New(server.DefaultProject, client.WithBaseURL(local.URL), client.WithToken(server.DefaultToken))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	count := int32(2)
	job, err := c.ECS().CreateServers(ctx, ecs.CreateServersRequestBody{Server: ecs.PrePaidServer{
		ImageRef:   "67f433d8-ed0e-4321-a8a2-a71838539e09",
		FlavorRef:  "s6.small.1",
		Name:       "web",
		VpcID:      "2a6f4aa6-d93e-45f5-a8cb-b030dbf8cd68",
		NICs:       []ecs.PrePaidServerNic{{SubnetID: "ef039b60-6a14-42d1-963b-687b627fea08"}},
		RootVolume: ecs.PrePaidServerRootVolume{VolumeType: ecs.PrePaidServerRootVolumeVolumetypeSSD},
		Count:      &count,
	}})
	if err != nil {
		log.Fatal(err)
	}
	ids, err := c.ECS().WaitJob(ctx, *job.JobID, client.PollInterval(10*time.Millisecond, 100*time.Millisecond))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(ids), "servers created")
	// Output: 2 servers created
}

// Configure a client for a region with AK/SK signing.
func ExampleNew() {
	c, err := client.New("0123456789abcdef0123456789abcdef",
		client.WithRegion("cn-north-4"),
		client.WithAccessKey("AK...", "SK..."),
		client.WithTimeout(20*time.Second),
		client.WithRetry(client.RetryPolicy{MaxAttempts: 5, BaseDelay: 500 * time.Millisecond, MaxDelay: 20 * time.Second}),
	)
	fmt.Println(c != nil, err)
	// Output: true <nil>
}

// Tell a service error from a request the client refused to send.
func ExampleAPIError() {
	c, _ := client.New(server.DefaultProject, client.WithRegion("cn-north-4"), client.WithToken("token"))
	_, err := c.ECS().CreateServers(context.Background(), ecs.CreateServersRequestBody{Server: ecs.PrePaidServer{Name: "bad name"}})
	var invalid *client.ValidationError
	var apiErr *client.APIError
	switch {
	case errors.As(err, &invalid):
		fmt.Println("not sent:", invalid.Findings[0].Rule, invalid.Findings[0].Pointer)
	case errors.As(err, &apiErr):
		fmt.Println("service said:", apiErr.Code)
	}
	// Output: not sent: schema.minLength /server/flavorRef
}
