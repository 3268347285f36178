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
	resp, err := d.c.clouddc.CreateInstanceWithResponse(withRetryMode(ctx, retryUnsent), d.c.cfg.project, body)
	if err != nil {
		return "", err
	}
	created, err := unwrap(ServiceCloudDC, http.StatusAccepted, resp.HTTPResponse, resp.Body, resp.JSON202)
	if err != nil {
		return "", err
	}
	if created.InstanceID == nil {
		return "", errors.New("clouddc: CreateInstance answered 202 without an instance_id")
	}
	return *created.InstanceID, nil
}

// ShowInstanceStatus returns an instance's state.
func (d *CloudDC) ShowInstanceStatus(ctx context.Context, id string) (*clouddc.InstanceStatus, error) {
	resp, err := d.c.clouddc.ShowInstanceStatusWithResponse(withRetryMode(ctx, retrySafe), d.c.cfg.project, id)
	if err != nil {
		return nil, err
	}
	return unwrap(ServiceCloudDC, http.StatusOK, resp.HTTPResponse, resp.Body, resp.JSON200)
}

// DeleteInstance starts deleting an instance.
func (d *CloudDC) DeleteInstance(ctx context.Context, id string) error {
	resp, err := d.c.clouddc.DeleteInstanceWithResponse(withRetryMode(ctx, retrySafe), d.c.cfg.project, id)
	if err != nil {
		return err
	}
	if resp.StatusCode() != http.StatusNoContent {
		return newAPIError(ServiceCloudDC, resp.HTTPResponse, resp.Body)
	}
	return nil
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
