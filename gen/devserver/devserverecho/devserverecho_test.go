package devserverecho_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/hwspec/compute/gen/devserver"
	"github.com/hwspec/compute/gen/devserver/devserverecho"
)

// fakeDevServer keeps one server; the assertion below fails to compile when
// the strict server interface changes shape.
type fakeDevServer struct {
	servers map[string]devserver.ServerResponse
}

var _ devserverecho.StrictServerInterface = (*fakeDevServer)(nil)

func (f *fakeDevServer) CreateDevServer(_ context.Context, req devserverecho.CreateDevServerRequestObject) (devserverecho.CreateDevServerResponseObject, error) {
	id, status := "62383738-e52a-450a-9f84-f9e705402be8", devserver.ServerResponseStatusCREATING
	s := devserver.ServerResponse{ID: &id, Name: &req.Body.Name, Flavor: &req.Body.Flavor, Status: &status}
	f.servers[id] = s
	rid := "req-1"
	return devserverecho.CreateDevServer200JSONResponse{Body: s, Headers: devserverecho.CreateDevServer200ResponseHeaders{XRequestID: &rid}}, nil
}

func (f *fakeDevServer) ShowDevServer(_ context.Context, req devserverecho.ShowDevServerRequestObject) (devserverecho.ShowDevServerResponseObject, error) {
	s, ok := f.servers[req.ID]
	if !ok {
		return devserverecho.ShowDevServer404JSONResponse{NotFoundJSONResponse: devserverecho.NotFoundJSONResponse{Body: devserver.ModelArtsError{ErrorCode: "ModelArts.6309", ErrorMsg: "instance does not exist"}}}, nil
	}
	return devserverecho.ShowDevServer200JSONResponse{Body: s}, nil
}

func (f *fakeDevServer) ListDevServers(_ context.Context, req devserverecho.ListDevServersRequestObject) (devserverecho.ListDevServersResponseObject, error) {
	var data []devserver.ServerResponse
	for _, s := range f.servers {
		data = append(data, s)
	}
	total, limit := int32(len(data)), int32(10)
	if req.Params.Limit != nil {
		limit = *req.Params.Limit
	}
	return devserverecho.ListDevServers200JSONResponse{Body: devserver.DevServerPage{Data: &data, Total: &total, Size: &limit}}, nil
}

func (f *fakeDevServer) DeleteDevServer(_ context.Context, req devserverecho.DeleteDevServerRequestObject) (devserverecho.DeleteDevServerResponseObject, error) {
	s := f.servers[req.ID]
	status := devserver.ServerResponseStatusDELETING
	s.Status = &status
	delete(f.servers, req.ID)
	return devserverecho.DeleteDevServer200JSONResponse{Body: s}, nil
}

// TestRoundTrip drives the generated Echo handlers with the generated client:
// create, list with query parameters, show, delete, and a typed 404.
func TestRoundTrip(t *testing.T) {
	e := echo.New()
	devserverecho.RegisterHandlers(e, devserverecho.NewStrictHandler(&fakeDevServer{servers: map[string]devserver.ServerResponse{}}, nil))
	srv := httptest.NewServer(e)
	defer srv.Close()
	c, err := devserver.NewClientWithResponses(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx, project := context.Background(), "0123456789abcdef0123456789abcdef"
	key := "KeyPair-3d6a"
	created, err := c.CreateDevServerWithResponse(ctx, project, devserver.ServerCreateRequest{
		Name: "dev-1", Flavor: "Si2.large.4", ImageID: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7", KeyPairName: &key,
		Network: devserver.ServerNetwork{VpcID: "05982b48-a70f-43a1-a2b0-1fe36a236172", SubnetID: "38cf274a-98f9-4f6f-b622-5ed0e4a3db54", SecurityGroupID: "150a2c76-1334-45f6-b28f-419f9b1d1742"},
	})
	if err != nil || created.JSON200 == nil || *created.JSON200.Status != devserver.ServerResponseStatusCREATING {
		t.Fatalf("create: %v %s", err, created.Body)
	}
	if got := created.HTTPResponse.Header.Get("X-Request-Id"); got != "req-1" {
		t.Errorf("X-Request-Id = %q", got)
	}
	limit := int32(5)
	list, err := c.ListDevServersWithResponse(ctx, project, &devserver.ListDevServersParams{Limit: &limit})
	if err != nil || list.JSON200 == nil || *list.JSON200.Total != 1 || *list.JSON200.Size != 5 {
		t.Fatalf("list: %v %s", err, list.Body)
	}
	id := *created.JSON200.ID
	if shown, err := c.ShowDevServerWithResponse(ctx, project, id); err != nil || shown.JSON200 == nil {
		t.Fatalf("show: %v", err)
	}
	deleted, err := c.DeleteDevServerWithResponse(ctx, project, id)
	if err != nil || deleted.JSON200 == nil || *deleted.JSON200.Status != devserver.ServerResponseStatusDELETING {
		t.Fatalf("delete: %v %s", err, deleted.Body)
	}
	gone, err := c.ShowDevServerWithResponse(ctx, project, id)
	if err != nil || gone.JSON404 == nil || gone.JSON404.ErrorCode != "ModelArts.6309" {
		t.Fatalf("show after delete: %v %s", err, gone.Body)
	}
}
