package readme_test

import (
	"context"
	"fmt"

	"github.com/hwspec/compute/gen/ecs"
)

// README:client
import "github.com/hwspec/compute/client"

// README:end

// createWithClient is the README's client example. It is compiled, not run
// (it calls the real service); examples/create-ecs runs the same calls
// against the local server.
func createWithClient(ctx context.Context, projectID, ak, sk string, body ecs.CreateServersRequestBody) error {
	// README:client
	c, err := client.New(projectID,
		client.WithRegion("cn-north-4"), // or WithEndpoint(client.ServiceECS, url), or WithBaseURL for the local server
		client.WithAccessKey(ak, sk),    // or WithToken(iamToken)
	)
	if err != nil {
		return err
	}
	job, err := c.ECS().CreateServers(ctx, body) // always sends an X-Client-Token: retries never create twice
	if err != nil {
		return err // a *client.ValidationError (never sent), a *client.APIError, …
	}
	ids, err := c.ECS().WaitJob(ctx, *job.JobID) // the server IDs, or a *client.JobFailedError
	if err != nil {
		return err
	}
	fmt.Println(ids)
	// README:end
	return nil
}

var _ = createWithClient
