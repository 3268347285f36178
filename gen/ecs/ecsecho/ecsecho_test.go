package ecsecho_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/hwspec/compute/gen/ecs"
	"github.com/hwspec/compute/gen/ecs/ecsecho"
	"github.com/hwspec/compute/internal/fixture"
)

// fakeECS is the smallest implementation of the strict server interface;
// the assertion below fails to compile when the interface changes shape.
type fakeECS struct{ lastToken *ecs.XClientToken }

var _ ecsecho.StrictServerInterface = (*fakeECS)(nil)

func (f *fakeECS) CreateServers(_ context.Context, req ecsecho.CreateServersRequestObject) (ecsecho.CreateServersResponseObject, error) {
	f.lastToken = req.Params.XClientToken
	if req.Body.DryRun != nil && *req.Body.DryRun {
		return ecsecho.CreateServers202Response{}, nil
	}
	ids := make([]string, 0)
	for range *req.Body.Server.Count {
		ids = append(ids, "fe0528f0-5b1c-4c8c-9adf-e5d5047b8c17")
	}
	job := "ff808082739334d80173943ec9b42130"
	return ecsecho.CreateServers200JSONResponse{JobID: &job, ServerIDs: &ids}, nil
}

func (f *fakeECS) ShowJob(_ context.Context, req ecsecho.ShowJobRequestObject) (ecsecho.ShowJobResponseObject, error) {
	if req.JobID != "ff808082739334d80173943ec9b42130" {
		return ecsecho.ShowJob404JSONResponse{NotFoundJSONResponse: ecsecho.NotFoundJSONResponse{Error: ecs.EcsErrorBody{Code: "Ecs.0114", Message: "job not found"}}}, nil
	}
	status := ecs.JobStatusSUCCESS
	return ecsecho.ShowJob200JSONResponse{JobID: &req.JobID, Status: &status}, nil
}

// TestRoundTrip drives the generated Echo handlers with the generated client:
// path and header parameters, the typed body, and typed responses per status.
func TestRoundTrip(t *testing.T) {
	impl := &fakeECS{}
	e := echo.New()
	ecsecho.RegisterHandlers(e, ecsecho.NewStrictHandler(impl, nil))
	srv := httptest.NewServer(e)
	defer srv.Close()

	c, err := ecs.NewClientWithResponses(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	token := ecs.XClientToken("46436810-d999-454c-bd85-e515fd258600")
	body := fixture.ECSCreate(2)
	resp, err := c.CreateServersWithResponse(ctx, "0123456789abcdef0123456789abcdef", &ecs.CreateServersParams{XClientToken: &token}, body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode() != 200 || resp.JSON200 == nil || len(*resp.JSON200.ServerIDs) != 2 {
		t.Fatalf("CreateServers: status %d, body %s", resp.StatusCode(), resp.Body)
	}
	if impl.lastToken == nil || *impl.lastToken != token {
		t.Errorf("X-Client-Token did not reach the server: %v", impl.lastToken)
	}

	dry := true
	body.DryRun = &dry
	resp, err = c.CreateServersWithResponse(ctx, "0123456789abcdef0123456789abcdef", nil, body)
	if err != nil || resp.StatusCode() != 202 {
		t.Fatalf("dry run: %v, status %d", err, resp.StatusCode())
	}

	job, err := c.ShowJobWithResponse(ctx, "0123456789abcdef0123456789abcdef", "ff808082739334d80173943ec9b42130")
	if err != nil || job.JSON200 == nil || *job.JSON200.Status != ecs.JobStatusSUCCESS {
		t.Fatalf("ShowJob: %v, %s", err, job.Body)
	}
	missing, err := c.ShowJobWithResponse(ctx, "0123456789abcdef0123456789abcdef", "nope")
	if err != nil || missing.JSON404 == nil || missing.JSON404.Error.Code != "Ecs.0114" {
		t.Fatalf("ShowJob 404: %v, %s", err, missing.Body)
	}
}

// TestEmbeddedSpec checks that the generated package carries the spec it
// was generated from.
func TestEmbeddedSpec(t *testing.T) {
	doc, err := ecsecho.GetSwagger()
	if err != nil {
		t.Fatal(err)
	}
	if doc.Paths.Find("/v1.1/{project_id}/cloudservers") == nil {
		t.Fatal("embedded spec lacks CreateServers")
	}
}
