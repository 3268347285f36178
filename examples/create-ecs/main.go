// Command create-ecs creates two ECSs, waits for their job and prints the
// servers' IDs. It runs as written against the local server:
//
//	go run ./cmd/localserver &
//	go run ./examples/create-ecs
//
// and against the cloud with -endpoint "" -region cn-north-4 and real
// credentials in HWSPEC_TOKEN (or HWSPEC_AK and HWSPEC_SK) and -project.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/hwspec/compute/client"
	"github.com/hwspec/compute/gen/ecs"
)

func main() {
	endpoint := flag.String("endpoint", "http://127.0.0.1:8080", "base URL of every service (empty: use -region)")
	region := flag.String("region", "", "region, e.g. cn-north-4, when -endpoint is empty")
	project := flag.String("project", "0123456789abcdef0123456789abcdef", "project ID")
	flag.Parse()

	opts := []client.Option{client.WithToken(envOr("HWSPEC_TOKEN", "local-dev-token"))}
	if ak := os.Getenv("HWSPEC_AK"); ak != "" {
		opts = []client.Option{client.WithAccessKey(ak, os.Getenv("HWSPEC_SK"))}
	}
	if *endpoint != "" {
		opts = append(opts, client.WithBaseURL(*endpoint))
	} else {
		opts = append(opts, client.WithRegion(*region))
	}
	c, err := client.New(*project, opts...)
	if err != nil {
		fail(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
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
		fail(err)
	}
	fmt.Println("job", *job.JobID)
	ids, err := c.ECS().WaitJob(ctx, *job.JobID)
	if err != nil {
		fail(err)
	}
	for _, id := range ids {
		fmt.Println("server", id)
	}
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// fail prints what went wrong, with the service's code when there is one.
func fail(err error) {
	var apiErr *client.APIError
	var invalid *client.ValidationError
	switch {
	case errors.As(err, &invalid):
		fmt.Fprintln(os.Stderr, "invalid request, not sent:", invalid)
	case errors.As(err, &apiErr):
		fmt.Fprintf(os.Stderr, "%s answered %d %s: %s\n", apiErr.Service, apiErr.StatusCode, apiErr.Code, apiErr.Message)
	default:
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(1)
}
