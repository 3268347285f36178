package clouddcecho_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/hwspec/compute/gen/clouddc"
	"github.com/hwspec/compute/gen/clouddc/clouddcecho"
)

// fakeCloudDC tracks instance states; the assertion below fails to compile
// when the strict server interface changes shape.
type fakeCloudDC struct {
	states map[string]clouddc.InstanceState
}

var _ clouddcecho.StrictServerInterface = (*fakeCloudDC)(nil)

func (f *fakeCloudDC) CreateInstance(_ context.Context, req clouddcecho.CreateInstanceRequestObject) (clouddcecho.CreateInstanceResponseObject, error) {
	if len(f.states) > 0 {
		return clouddcecho.CreateInstance429TextResponse("Too many requests"), nil
	}
	id := "0198170e-4ca7-7ee4-89a7-fa631843920b"
	f.states[id] = clouddc.InstanceStatePending
	return clouddcecho.CreateInstance202JSONResponse{InstanceID: &id}, nil
}

func (f *fakeCloudDC) DeleteInstance(_ context.Context, req clouddcecho.DeleteInstanceRequestObject) (clouddcecho.DeleteInstanceResponseObject, error) {
	if _, ok := f.states[req.ID]; !ok {
		return clouddcecho.DeleteInstance404JSONResponse{NotFoundJSONResponse: clouddcecho.NotFoundJSONResponse{ErrorCode: "iMetal.0100", ErrorMsg: "not found"}}, nil
	}
	f.states[req.ID] = clouddc.InstanceStateShuttingDown
	return clouddcecho.DeleteInstance204Response{}, nil
}

func (f *fakeCloudDC) ShowInstanceStatus(_ context.Context, req clouddcecho.ShowInstanceStatusRequestObject) (clouddcecho.ShowInstanceStatusResponseObject, error) {
	state := f.states[req.ID]
	return clouddcecho.ShowInstanceStatus200JSONResponse{State: &state}, nil
}

// TestRoundTrip drives the generated Echo handlers with the generated client:
// 202 with a typed body, the 429 text body, 204, and the error body.
func TestRoundTrip(t *testing.T) {
	e := echo.New()
	clouddcecho.RegisterHandlers(e, clouddcecho.NewStrictHandler(&fakeCloudDC{states: map[string]clouddc.InstanceState{}}, nil))
	srv := httptest.NewServer(e)
	defer srv.Close()
	c, err := clouddc.NewClientWithResponses(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx, project := context.Background(), "0123456789abcdef0123456789abcdef"
	body := clouddc.CreateInstanceOpitons{
		Name: "node-1", ImageID: "img", VpcID: "vpc", Password: "Imetal@2025x",
		NetworkInterfaces: []clouddc.NetworkInterface{{SubnetID: "subnet"}},
	}
	created, err := c.CreateInstanceWithResponse(ctx, project, body)
	if err != nil || created.JSON202 == nil {
		t.Fatalf("create: %v %s", err, created.Body)
	}
	throttled, err := c.CreateInstanceWithResponse(ctx, project, body)
	if err != nil || throttled.StatusCode() != 429 || string(throttled.Body) != "Too many requests" {
		t.Fatalf("throttled create: %v %d %q", err, throttled.StatusCode(), throttled.Body)
	}
	id := *created.JSON202.InstanceID
	deleted, err := c.DeleteInstanceWithResponse(ctx, project, id)
	if err != nil || deleted.StatusCode() != 204 {
		t.Fatalf("delete: %v %d", err, deleted.StatusCode())
	}
	status, err := c.ShowInstanceStatusWithResponse(ctx, project, id)
	if err != nil || status.JSON200 == nil || *status.JSON200.State != clouddc.InstanceStateShuttingDown {
		t.Fatalf("status: %v %s", err, status.Body)
	}
	missing, err := c.DeleteInstanceWithResponse(ctx, project, "other")
	if err != nil || missing.JSON404 == nil || missing.JSON404.ErrorCode != "iMetal.0100" {
		t.Fatalf("delete missing: %v %s", err, missing.Body)
	}
}
