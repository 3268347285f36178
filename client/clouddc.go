package client

import (
	"context"
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
	if resp.StatusCode() != http.StatusAccepted || resp.JSON202 == nil || resp.JSON202.InstanceID == nil {
		return "", newAPIError("clouddc", resp.HTTPResponse, resp.Body)
	}
	return *resp.JSON202.InstanceID, nil
}

// InstanceStatus returns an instance's state.
func (d *CloudDC) InstanceStatus(ctx context.Context, id string) (*clouddc.InstanceStatus, error) {
	resp, err := d.c.clouddc.ShowInstanceStatusWithResponse(withRetryMode(ctx, retrySafe), d.c.cfg.project, id)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode() != http.StatusOK || resp.JSON200 == nil {
		return nil, newAPIError("clouddc", resp.HTTPResponse, resp.Body)
	}
	return resp.JSON200, nil
}

// DeleteInstance starts deleting an instance.
func (d *CloudDC) DeleteInstance(ctx context.Context, id string) error {
	resp, err := d.c.clouddc.DeleteInstanceWithResponse(withRetryMode(ctx, retrySafe), d.c.cfg.project, id)
	if err != nil {
		return err
	}
	if resp.StatusCode() != http.StatusNoContent {
		return newAPIError("clouddc", resp.HTTPResponse, resp.Body)
	}
	return nil
}

// WaitInstance polls an instance until it is in state want. It fails fast with a *StateError on error or failed, and on
// terminated unless that is the state wanted.
func (d *CloudDC) WaitInstance(ctx context.Context, id string, want clouddc.InstanceState, opts ...WaitOption) error {
	return poll(ctx, opts, func() (bool, error) {
		s, err := d.InstanceStatus(ctx, id)
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
			return false, &StateError{Service: "clouddc", ID: id, State: string(state)}
		}
		return false, nil
	})
}
