package server

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/hwspec/compute/gen/devserver"
	"github.com/hwspec/compute/gen/devserver/devserverecho"
	"github.com/hwspec/compute/server/apierror"
)

// devServerAPI implements the ModelArts DevServer operations.
type devServerAPI struct{ s *Server }

var _ devserverecho.StrictServerInterface = (*devServerAPI)(nil)

// devServerRecord is a DevServer; its status is derived from the times of
// its transitions and the configured delays whenever it is read.
type devServerRecord struct {
	resp    devserver.ServerResponse
	created time.Time
	deleted time.Time // zero until deleted
}

// devServerStore holds the DevServers. A deleted one is freed when its
// deletion ends: from then on it answers 404, as the spec says.
type devServerStore struct {
	mu sync.Mutex
	projectMap[*devServerRecord]
}

// view returns the server as it is at now, and false once it is gone.
func (r *devServerRecord) view(now time.Time, d Delays) (devserver.ServerResponse, bool) {
	resp := r.resp
	status, changed := devserver.ServerResponseStatusCREATING, r.created
	if ready := r.created.Add(d.Create); !now.Before(ready) {
		status, changed = devserver.ServerResponseStatusRUNNING, ready
	}
	if !r.deleted.IsZero() {
		if !now.Before(r.deleted.Add(d.Delete)) {
			return resp, false
		}
		status, changed = devserver.ServerResponseStatusDELETING, r.deleted
	}
	resp.Status = &status
	updated := changed.UnixMilli()
	resp.UpdateAt = &updated
	return resp, true
}

func (a *devServerAPI) CreateDevServer(_ context.Context, req devserverecho.CreateDevServerRequestObject) (devserverecho.CreateDevServerResponseObject, error) {
	b := req.Body
	now := a.s.now()
	id := newID()
	charging := devserver.ServerResponseChargingModePOSTPAID
	var orderID *string
	if b.ChargingInfo != nil {
		charging = devserver.ServerResponseChargingMode(b.ChargingInfo.ChargingMode)
		if charging == devserver.ServerResponseChargingModePREPAID {
			o := "CS" + now.UTC().Format("0601021504") + newHexID()[:5]
			orderID = &o
		}
	}
	serverType := devserver.CloudServerTypeECS
	if b.ServerType != nil {
		serverType = devserver.CloudServerType(*b.ServerType)
	}
	category := devserver.ServerResponseCategorySERVER
	if serverType == devserver.CloudServerTypeHPS {
		category = devserver.ServerResponseCategoryHPS
	}
	imageType := devserver.ServerImageResponseServerType(serverType)
	resourceID := newID()
	created := now.UnixMilli()
	rec := &devServerRecord{created: now, resp: devserver.ServerResponse{
		ID:           &id,
		Name:         &b.Name,
		Flavor:       &b.Flavor,
		ChargingMode: &charging,
		OrderID:      orderID,
		KeyPairName:  b.KeyPairName,
		VpcID:        &b.Network.VpcID,
		SubnetID:     &b.Network.SubnetID,
		Category:     &category,
		CloudServer:  &devserver.CloudServer{ID: &resourceID, Type: &serverType},
		Image:        &devserver.ServerImageResponse{ImageID: &b.ImageID, Arch: (*devserver.ServerImageResponseArch)(b.Arch), ServerType: &imageType},
		CreateAt:     &created,
	}}
	a.s.devservers.mu.Lock()
	a.s.devservers.sweep(now)
	a.s.devservers.put(req.ProjectID, id, rec)
	resp, _ := rec.view(now, a.s.delays)
	a.s.devservers.mu.Unlock()
	return devserverecho.CreateDevServer200JSONResponse{Body: resp}, nil
}

func (a *devServerAPI) ShowDevServer(_ context.Context, req devserverecho.ShowDevServerRequestObject) (devserverecho.ShowDevServerResponseObject, error) {
	a.s.devservers.mu.Lock()
	defer a.s.devservers.mu.Unlock()
	a.s.devservers.sweep(a.s.now())
	if resp, ok := a.lookup(req.ProjectID, req.ID); ok {
		return devserverecho.ShowDevServer200JSONResponse{Body: resp}, nil
	}
	return devserverecho.ShowDevServer404JSONResponse{NotFoundJSONResponse: devServerNotFound(req.ID)}, nil
}

func (a *devServerAPI) DeleteDevServer(_ context.Context, req devserverecho.DeleteDevServerRequestObject) (devserverecho.DeleteDevServerResponseObject, error) {
	a.s.devservers.mu.Lock()
	defer a.s.devservers.mu.Unlock()
	now := a.s.now()
	a.s.devservers.sweep(now)
	rec, ok := a.s.devservers.get(req.ProjectID, req.ID)
	if _, visible := a.lookup(req.ProjectID, req.ID); !ok || !visible {
		return devserverecho.DeleteDevServer404JSONResponse{NotFoundJSONResponse: devServerNotFound(req.ID)}, nil
	}
	if rec.deleted.IsZero() {
		rec.deleted = now
		a.s.devservers.expireAt(req.ProjectID, req.ID, now.Add(a.s.delays.Delete))
	}
	resp, _ := rec.view(now, a.s.delays)
	return devserverecho.DeleteDevServer200JSONResponse{Body: resp}, nil
}

// ListDevServers pages through the project's servers: sort_key createTime
// (default) or updateTime, sort_dir ASC (default) or DESC, offset servers
// skipped, at most limit (default 10) returned. Decision: current is the
// 1-based page number (offset/limit + 1), pages the page count at that
// limit, size the number of servers on this page.
func (a *devServerAPI) ListDevServers(_ context.Context, req devserverecho.ListDevServersRequestObject) (devserverecho.ListDevServersResponseObject, error) {
	p := req.Params
	limit, offset := int32(10), int32(0)
	if p.Limit != nil {
		limit = *p.Limit
	}
	if p.Offset != nil {
		offset = *p.Offset
	}
	byUpdate := p.SortKey != nil && *p.SortKey == devserver.ListDevServersParamsSortKeyUpdateTime
	desc := p.SortDir != nil && *p.SortDir == devserver.ListDevServersParamsSortDirDESC

	a.s.devservers.mu.Lock()
	var all []devserver.ServerResponse
	now := a.s.now()
	a.s.devservers.sweep(now)
	for _, rec := range a.s.devservers.all(req.ProjectID) {
		if resp, ok := rec.view(now, a.s.delays); ok {
			all = append(all, resp)
		}
	}
	a.s.devservers.mu.Unlock()

	slices.SortFunc(all, func(x, y devserver.ServerResponse) int {
		kx, ky := *x.CreateAt, *y.CreateAt
		if byUpdate {
			kx, ky = *x.UpdateAt, *y.UpdateAt
		}
		c := cmp.Or(cmp.Compare(kx, ky), cmp.Compare(*x.ID, *y.ID))
		if desc {
			return -c
		}
		return c
	})
	total := int32(len(all))
	page := []devserver.ServerResponse{}
	if offset < total && limit > 0 {
		page = all[offset:min(total, offset+limit)]
	}
	current, pages := int32(1), int32(0)
	if limit > 0 {
		current = offset/limit + 1
		pages = (total + limit - 1) / limit
	}
	size := int32(len(page))
	return devserverecho.ListDevServers200JSONResponse{Body: devserver.DevServerPage{
		Data: &page, Total: &total, Current: &current, Pages: &pages, Size: &size,
	}}, nil
}

// lookup returns the current view of a visible server. Call with the
// store's lock held.
func (a *devServerAPI) lookup(project, id string) (devserver.ServerResponse, bool) {
	rec, ok := a.s.devservers.get(project, id)
	if !ok {
		return devserver.ServerResponse{}, false
	}
	return rec.view(a.s.now(), a.s.delays)
}

func devServerNotFound(id string) devserverecho.NotFoundJSONResponse {
	return devserverecho.NotFoundJSONResponse{Body: devserver.ModelArtsError{
		ErrorCode: apierror.Code(apierror.DevServer, apierror.NotFound),
		ErrorMsg:  "the DevServer " + id + " does not exist",
	}}
}
