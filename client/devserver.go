package client

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/hwspec/compute/gen/devserver"
)

// DevServer is the ModelArts DevServer / Lite Server API.
type DevServer struct{ c *Client }

// CreateDevServer creates a server; it answers at once with status CREATING. It has
// no idempotency token, so it is retried only when the service certainly
// did not act on it (429, or no connection).
func (d *DevServer) CreateDevServer(ctx context.Context, body devserver.ServerCreateRequest) (*devserver.ServerResponse, error) {
	ctx, cl := begin(ctx, opCreateDevServer, retryUnsent)
	resp, err := d.c.devserver.CreateDevServerWithResponse(ctx, d.c.cfg.project, body)
	if err != nil {
		return nil, cl.result(err)
	}
	v, err := unwrap(ServiceDevServer, http.StatusOK, resp.HTTPResponse, resp.Body, resp.JSON200)
	return v, cl.result(err)
}

// ShowDevServer returns a server.
func (d *DevServer) ShowDevServer(ctx context.Context, id string) (*devserver.ServerResponse, error) {
	ctx, cl := begin(ctx, opShowDevServer, retrySafe)
	resp, err := d.c.devserver.ShowDevServerWithResponse(ctx, d.c.cfg.project, id)
	if err != nil {
		return nil, cl.result(err)
	}
	v, err := unwrap(ServiceDevServer, http.StatusOK, resp.HTTPResponse, resp.Body, resp.JSON200)
	return v, cl.result(err)
}

// ListDevServers returns a page of the project's servers.
func (d *DevServer) ListDevServers(ctx context.Context, params *devserver.ListDevServersParams) (*devserver.DevServerPage, error) {
	ctx, cl := begin(ctx, opListDevServers, retrySafe)
	resp, err := d.c.devserver.ListDevServersWithResponse(ctx, d.c.cfg.project, params)
	if err != nil {
		return nil, cl.result(err)
	}
	v, err := unwrap(ServiceDevServer, http.StatusOK, resp.HTTPResponse, resp.Body, resp.JSON200)
	return v, cl.result(err)
}

// DeleteDevServer starts deleting a server; it answers with status DELETING.
func (d *DevServer) DeleteDevServer(ctx context.Context, id string) (*devserver.ServerResponse, error) {
	ctx, cl := begin(ctx, opDeleteDevServer, retrySafe)
	resp, err := d.c.devserver.DeleteDevServerWithResponse(ctx, d.c.cfg.project, id)
	if err != nil {
		return nil, cl.result(err)
	}
	v, err := unwrap(ServiceDevServer, http.StatusOK, resp.HTTPResponse, resp.Body, resp.JSON200)
	return v, cl.result(err)
}

// WaitDevServer polls a server until it has the status want and returns it. It
// fails fast with a *StateError when the server reaches ERROR or a
// *_FAILED status. Waiting for DELETED also ends when the server is gone
// (404), returning nil.
func (d *DevServer) WaitDevServer(ctx context.Context, id string, want devserver.ServerResponseStatus, opts ...WaitOption) (*devserver.ServerResponse, error) {
	var last *devserver.ServerResponse
	err := poll(ctx, opts, func() (bool, error) {
		s, err := d.ShowDevServer(ctx, id)
		// The service's own 404 ends a wait for DELETED; one that drifts
		// from the spec (a *ResponseError around it, in strict mode) is an
		// error like any other drift.
		var apiErr *APIError
		var drift *ResponseError
		if !errors.As(err, &drift) && errors.As(err, &apiErr) && apiErr.NotFound() && want == devserver.ServerResponseStatusDELETED {
			last = nil
			return true, nil
		}
		if err != nil {
			return false, err
		}
		last = s
		status := devserver.ServerResponseStatus("")
		if s.Status != nil {
			status = *s.Status
		}
		switch {
		case status == want:
			return true, nil
		case status == devserver.ServerResponseStatusERROR || strings.HasSuffix(string(status), "_FAILED"):
			return false, &StateError{Service: ServiceDevServer, ID: id, State: string(status)}
		}
		return false, nil
	})
	return last, err
}
