package server

import (
	"context"
	"sync"
	"time"

	"github.com/hwspec/compute/gen/clouddc"
	"github.com/hwspec/compute/gen/clouddc/clouddcecho"
	"github.com/hwspec/compute/server/apierror"
)

// cloudDCAPI implements the CloudDC iMetal instance operations.
type cloudDCAPI struct{ s *Server }

var _ clouddcecho.StrictServerInterface = (*cloudDCAPI)(nil)

// instanceRecord is an iMetal instance; its state derives from the times
// of its transitions.
type instanceRecord struct {
	created time.Time
	deleted time.Time // zero until deleted
}

// instanceStore holds the iMetal instances. A deleted one stays
// terminated for the retention period, then it is freed and answers 404.
type instanceStore struct {
	mu sync.Mutex
	projectMap[*instanceRecord]
}

// state is pending for the create delay, then running; after a delete,
// shutting-down for the delete delay, then terminated.
func (r *instanceRecord) state(now time.Time, d Delays) clouddc.InstanceState {
	switch {
	case !r.deleted.IsZero() && !now.Before(r.deleted.Add(d.Delete)):
		return clouddc.InstanceStateTerminated
	case !r.deleted.IsZero():
		return clouddc.InstanceStateShuttingDown
	case now.Before(r.created.Add(d.Create)):
		return clouddc.InstanceStatePending
	}
	return clouddc.InstanceStateRunning
}

func (a *cloudDCAPI) CreateInstance(_ context.Context, req clouddcecho.CreateInstanceRequestObject) (clouddcecho.CreateInstanceResponseObject, error) {
	id := newID()
	now := a.s.now()
	a.s.instances.mu.Lock()
	a.s.instances.sweep(now)
	a.s.instances.put(req.ProjectID, id, &instanceRecord{created: now})
	a.s.instances.mu.Unlock()
	return clouddcecho.CreateInstance202JSONResponse{InstanceID: &id}, nil
}

func (a *cloudDCAPI) ShowInstanceStatus(_ context.Context, req clouddcecho.ShowInstanceStatusRequestObject) (clouddcecho.ShowInstanceStatusResponseObject, error) {
	a.s.instances.mu.Lock()
	defer a.s.instances.mu.Unlock()
	a.s.instances.sweep(a.s.now())
	rec, ok := a.s.instances.get(req.ProjectID, req.ID)
	if !ok {
		return clouddcecho.ShowInstanceStatus404JSONResponse{NotFoundJSONResponse: instanceNotFound(req.ID)}, nil
	}
	state := rec.state(a.s.now(), a.s.delays)
	return clouddcecho.ShowInstanceStatus200JSONResponse{State: &state}, nil
}

// DeleteInstance starts a deletion (204); deleting an instance that is
// already shutting down answers 204 again, a terminated one 404.
func (a *cloudDCAPI) DeleteInstance(_ context.Context, req clouddcecho.DeleteInstanceRequestObject) (clouddcecho.DeleteInstanceResponseObject, error) {
	a.s.instances.mu.Lock()
	defer a.s.instances.mu.Unlock()
	now := a.s.now()
	a.s.instances.sweep(now)
	rec, ok := a.s.instances.get(req.ProjectID, req.ID)
	if !ok || rec.state(now, a.s.delays) == clouddc.InstanceStateTerminated {
		return clouddcecho.DeleteInstance404JSONResponse{NotFoundJSONResponse: instanceNotFound(req.ID)}, nil
	}
	if rec.deleted.IsZero() {
		rec.deleted = now
		a.s.instances.expireAt(req.ProjectID, req.ID, now.Add(a.s.delays.Delete+a.s.cfg.Retention))
	}
	return clouddcecho.DeleteInstance204Response{}, nil
}

func instanceNotFound(id string) clouddcecho.NotFoundJSONResponse {
	return clouddcecho.NotFoundJSONResponse{ErrorCode: apierror.Code(apierror.CloudDC, apierror.NotFound), ErrorMsg: "the instance " + id + " does not exist"}
}
