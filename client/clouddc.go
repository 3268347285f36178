package client

import (
	"context"
	"errors"
	"net/http"

	"github.com/hwspec/compute/gen/clouddc"
)

// CloudDC is the CloudDC iMetal instance API.
type CloudDC struct{ c *Client }

// CreateInstance starts installing an instance and returns its ID. It has
// no idempotency token, so it is retried only when the service certainly
// did not act on it (429, or no connection).
func (d *CloudDC) CreateInstance(ctx context.Context, body clouddc.CreateInstanceOpitons) (string, error) {
	ctx, cl := begin(ctx, opCreateInstance, retryUnsent)
	resp, err := d.c.clouddc.CreateInstanceWithResponse(ctx, d.c.cfg.project, body)
	if err != nil {
		return "", cl.result(err)
	}
	created, err := unwrap(ServiceCloudDC, http.StatusAccepted, resp.HTTPResponse, resp.Body, resp.JSON202)
	if err != nil {
		return "", cl.result(err)
	}
	if created.InstanceID == nil {
		return "", cl.result(errors.New("clouddc: CreateInstance answered 202 without an instance_id"))
	}
	return *created.InstanceID, cl.result(nil)
}

// ShowInstanceStatus returns an instance's state.
func (d *CloudDC) ShowInstanceStatus(ctx context.Context, id string) (*clouddc.InstanceStatus, error) {
	ctx, cl := begin(ctx, opShowInstanceStatus, retrySafe)
	resp, err := d.c.clouddc.ShowInstanceStatusWithResponse(ctx, d.c.cfg.project, id)
	if err != nil {
		return nil, cl.result(err)
	}
	v, err := unwrap(ServiceCloudDC, http.StatusOK, resp.HTTPResponse, resp.Body, resp.JSON200)
	return v, cl.result(err)
}

// DeleteInstance starts deleting an instance.
func (d *CloudDC) DeleteInstance(ctx context.Context, id string) error {
	ctx, cl := begin(ctx, opDeleteInstance, retrySafe)
	resp, err := d.c.clouddc.DeleteInstanceWithResponse(ctx, d.c.cfg.project, id)
	if err != nil {
		return cl.result(err)
	}
	if resp.StatusCode() != http.StatusNoContent {
		return cl.result(newAPIError(ServiceCloudDC, resp.HTTPResponse, resp.Body))
	}
	return cl.result(nil)
}

// WaitInstance polls an instance until it is in state want. It fails fast with a *StateError on error or failed, and on
// terminated unless that is the state wanted.
func (d *CloudDC) WaitInstance(ctx context.Context, id string, want clouddc.InstanceState, opts ...WaitOption) error {
	return poll(ctx, opts, func() (bool, error) {
		s, err := d.ShowInstanceStatus(ctx, id)
		if err != nil {
			return false, err
		}
		var state clouddc.InstanceState
		if s.State != nil {
			state = *s.State
		}
		switch state {
		case want:
			return true, nil
		case clouddc.InstanceStateError, clouddc.InstanceStateFailed, clouddc.InstanceStateTerminated:
			return false, &StateError{Service: ServiceCloudDC, ID: id, State: string(state)}
		}
		return false, nil
	})
}
