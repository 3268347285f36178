package client

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"

	"github.com/hwspec/compute/gen/ecs"
)

// ECS is the ECS v1.1 create and its job.
type ECS struct{ c *Client }

// CallOption configures one call.
type CallOption func(*callConfig)

type callConfig struct{ clientToken string }

// WithClientToken sets the X-Client-Token of a CreateServers call (a UUID
// in lower-case hex); by default each call gets a new one. Reuse a token to
// make a create idempotent across calls too, e.g. across process restarts.
func WithClientToken(token string) CallOption { return func(c *callConfig) { c.clientToken = token } }

// CreateServers submits the creation of body.Server.Count servers and
// returns the job. Every call carries an X-Client-Token, the same on every
// retry, so a retry after a timeout or a 5xx never creates twice. With
// DryRun set, a nil error means the request passed the service's checks
// and the result is empty.
func (e *ECS) CreateServers(ctx context.Context, body ecs.CreateServersRequestBody, opts ...CallOption) (*ecs.CreateServersResult, error) {
	var cc callConfig
	for _, o := range opts {
		o(&cc)
	}
	if cc.clientToken == "" {
		cc.clientToken = newUUID()
	}
	ctx, cl := begin(ctx, opCreateServers, retrySafe)
	resp, err := e.c.ecs.CreateServersWithResponse(ctx, e.c.cfg.project, &ecs.CreateServersParams{XClientToken: &cc.clientToken}, body)
	if err != nil {
		return nil, cl.result(err)
	}
	switch resp.StatusCode() {
	case http.StatusOK:
		if resp.JSON200 == nil {
			return nil, cl.result(fmt.Errorf("ecs: CreateServers: 200 without a JSON body"))
		}
		return resp.JSON200, cl.result(nil)
	case http.StatusAccepted:
		return &ecs.CreateServersResult{}, cl.result(nil)
	}
	return nil, cl.result(newAPIError(ServiceECS, resp.HTTPResponse, resp.Body))
}

// ShowJob returns a job.
func (e *ECS) ShowJob(ctx context.Context, jobID string) (*ecs.Job, error) {
	ctx, cl := begin(ctx, opShowJob, retrySafe)
	resp, err := e.c.ecs.ShowJobWithResponse(ctx, e.c.cfg.project, jobID)
	if err != nil {
		return nil, cl.result(err)
	}
	v, err := unwrap(ServiceECS, http.StatusOK, resp.HTTPResponse, resp.Body, resp.JSON200)
	return v, cl.result(err)
}

// WaitJob polls a job until it ends. On SUCCESS it returns the IDs of the
// servers the job created (from its sub-jobs); on FAIL a *JobFailedError
// with the job's error code and reason.
func (e *ECS) WaitJob(ctx context.Context, jobID string, opts ...WaitOption) ([]string, error) {
	var ids []string
	err := poll(ctx, opts, func() (bool, error) {
		job, err := e.ShowJob(ctx, jobID)
		if err != nil {
			return false, err
		}
		if job.Status == nil {
			// The spec's Job allows an answer with code and message only:
			// the query itself failed.
			if job.Code != nil || job.Message != nil {
				return false, &APIError{Service: ServiceECS, StatusCode: http.StatusOK, Code: deref(job.Code), Message: deref(job.Message)}
			}
			return false, fmt.Errorf("ecs: ShowJob %s: answered without a status", jobID)
		}
		switch *job.Status {
		case ecs.JobStatusSUCCESS:
			ids = jobServerIDs(job)
			return true, nil
		case ecs.JobStatusFAIL:
			return false, &JobFailedError{JobID: jobID, ErrorCode: deref(job.ErrorCode), FailReason: deref(job.FailReason)}
		}
		return false, nil
	})
	return ids, err
}

func jobServerIDs(job *ecs.Job) []string {
	var ids []string
	if job.Entities == nil {
		return ids
	}
	if job.Entities.SubJobs != nil {
		for _, sub := range *job.Entities.SubJobs {
			if sub.Entities != nil && sub.Entities.ServerID != nil {
				ids = append(ids, *sub.Entities.ServerID)
			}
		}
	}
	if len(ids) == 0 && job.Entities.ServerID != nil {
		ids = append(ids, *job.Entities.ServerID)
	}
	return ids
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// newUUID returns a random version-4 UUID in lower-case hex, the form
// X-Client-Token wants.
func newUUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
