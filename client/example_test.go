package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
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

// Check the service's answers against the spec. Strict mode fails a call
// whose answer drifts from the spec; the report function sees every
// answer. Here a stand-in for the service answers a job status the spec
// does not list.
func ExampleWithStrictResponses() {
	service := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", "req-7")
		fmt.Fprint(w, `{"job_id":"9fdd0607613a9e6db7f9e2c33b148d2d","status":"DONE"}`)
	}))
	defer service.Close()
	ctx, projectID, baseURL, token := context.Background(), server.DefaultProject, service.URL, server.DefaultToken

	// README:strict-responses
	c, err := client.New(projectID, client.WithBaseURL(baseURL), client.WithToken(token),
		client.WithStrictResponses(), // an answer that drifts from the spec fails the call
		client.WithResponseCheck(func(r client.ResponseCheck) { // every answer, drift or not; called concurrently
			if !r.Result.Valid() {
				fmt.Printf("spec drift: %s HTTP %d, request %q\n", r.Operation, r.StatusCode, r.RequestID) // %q: the ID is the service's text
			}
		}),
	)
	if err != nil {
		log.Fatal(err)
	}
	job, err := c.ECS().ShowJob(ctx, "9fdd0607613a9e6db7f9e2c33b148d2d")
	var drift *client.ResponseError
	if errors.As(err, &drift) {
		for _, f := range drift.Result.Findings {
			fmt.Printf("%s %q\n", f.Rule, f.Where()) // response.schema.enum "/status" (f.String() escapes too)
		}
		// job is what the call made of the answer (nil if it could not be
		// decoded); drift.Err is the error it returns without strict mode
		// (a *client.APIError for an error status, also found by errors.As).
	}
	// README:end
	fmt.Println(*job.Status)
	// Output:
	// spec drift: ShowJob HTTP 200, request "req-7"
	// response.schema.enum "/status"
	// DONE
}
