package server

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/hwspec/compute/gen/ecs"
	"github.com/hwspec/compute/gen/ecs/ecsecho"
	"github.com/hwspec/compute/server/apierror"
)

// tokenLifetime is how long an X-Client-Token is remembered.
const tokenLifetime = 8 * time.Hour

// ecsAPI implements the ECS operations.
type ecsAPI struct{ s *Server }

var _ ecsecho.StrictServerInterface = (*ecsAPI)(nil)

// jobRecord is a CreateServers job; its status derives from its age.
type jobRecord struct {
	id      string
	created time.Time
	servers []string
}

// tokenRecord remembers the first answer to an X-Client-Token.
type tokenRecord struct {
	bodyHash [32]byte
	result   ecs.CreateServersResult
	created  time.Time
}

// jobStore holds the ECS jobs and the X-Client-Tokens, under one lock. A
// token is remembered for its 8 hours, then answers Ecs.0124 for the
// retention period, then is freed (and could start a new job). A job is
// kept for the retention period after it ends, and at least as long as
// its token is remembered, so that the answer a retry gets names a job
// that can be shown.
type jobStore struct {
	mu sync.Mutex
	projectMap[*jobRecord]
	tokens projectMap[*tokenRecord] // project → token → first answer
}

// sweep frees the jobs and tokens whose time has come. Call with mu held.
func (j *jobStore) sweep(now time.Time) {
	j.projectMap.sweep(now)
	j.tokens.sweep(now)
}

// CreateServers starts a job that creates count servers (default 1). With
// dry_run it only answers 202. With X-Client-Token, the same token and
// body within 8 hours return the first answer and create nothing; another
// body fails with Ecs.0122, an expired token with Ecs.0124. The token check
// and the job's creation happen under one lock, so concurrent retries
// create one job.
func (a *ecsAPI) CreateServers(_ context.Context, req ecsecho.CreateServersRequestObject) (ecsecho.CreateServersResponseObject, error) {
	b := req.Body
	if b.DryRun != nil && *b.DryRun {
		return ecsecho.CreateServers202Response{}, nil
	}
	hash, err := bodyHash(b)
	if err != nil {
		return nil, err
	}
	store := a.s.jobs
	store.mu.Lock()
	defer store.mu.Unlock()
	now := a.s.now()
	store.sweep(now)
	var token string
	if req.Params.XClientToken != nil {
		token = string(*req.Params.XClientToken)
		if prev, ok := store.tokens.get(req.ProjectID, token); ok {
			switch {
			case now.Sub(prev.created) > tokenLifetime:
				return ecsBadRequest("Ecs.0124", "the X-Client-Token has expired (it is valid for 8 hours)"), nil
			case prev.bodyHash != hash:
				return ecsBadRequest("Ecs.0122", "the X-Client-Token was used with different request parameters"), nil
			}
			return ecsecho.CreateServers200JSONResponse(prev.result), nil
		}
	}
	count := 1
	if b.Server.Count != nil {
		count = int(*b.Server.Count)
	}
	job := &jobRecord{id: newHexID(), created: now}
	for range count {
		job.servers = append(job.servers, newID())
	}
	store.put(req.ProjectID, job.id, job)
	keep := now.Add(2*a.s.delays.JobStep + a.s.cfg.Retention)
	if token != "" {
		keep = later(keep, now.Add(tokenLifetime+a.s.cfg.Retention))
	}
	store.expireAt(req.ProjectID, job.id, keep)
	result := ecs.CreateServersResult{JobID: &job.id, ServerIDs: &job.servers}
	if e := b.Server.ExtendParam; e != nil && e.ChargingMode != nil && *e.ChargingMode == ecs.PrePaidServerExtendParamChargingModePrePaid {
		order := "CS" + now.UTC().Format("0601021504") + job.id[:5]
		result.OrderID = &order
	}
	if token != "" {
		store.tokens.put(req.ProjectID, token, &tokenRecord{bodyHash: hash, result: result, created: now})
		store.tokens.expireAt(req.ProjectID, token, now.Add(tokenLifetime+a.s.cfg.Retention))
	}
	return ecsecho.CreateServers200JSONResponse(result), nil
}

// ShowJob reports a job: INIT for one job step, RUNNING for the next,
// then SUCCESS, with one sub-job per server.
func (a *ecsAPI) ShowJob(_ context.Context, req ecsecho.ShowJobRequestObject) (ecsecho.ShowJobResponseObject, error) {
	store := a.s.jobs
	store.mu.Lock()
	store.sweep(a.s.now())
	job, ok := store.get(req.ProjectID, req.JobID)
	store.mu.Unlock()
	if !ok {
		return ecsecho.ShowJob404JSONResponse{NotFoundJSONResponse: ecsecho.NotFoundJSONResponse{Error: ecs.EcsErrorBody{
			Code: apierror.Code(apierror.ECS, apierror.NotFound), Message: "the job " + req.JobID + " does not exist",
		}}}, nil
	}
	now, step := a.s.now(), a.s.delays.JobStep
	status := ecs.JobStatusINIT
	var end string
	switch age := now.Sub(job.created); {
	case age >= 2*step:
		status = ecs.JobStatusSUCCESS
		end = job.created.Add(2 * step).UTC().Format(jobTimeLayout)
	case age >= step:
		status = ecs.JobStatusRUNNING
	}
	begin := job.created.UTC().Format(jobTimeLayout)
	jobType := "createServer"
	subs := make([]ecs.SubJob, len(job.servers))
	for i, id := range job.servers {
		subID := fmt.Sprintf("%s%02d", job.id[:30], i)
		subType := "createSingleServer"
		server := id
		subs[i] = ecs.SubJob{JobID: &subID, JobType: &subType, Status: &status, BeginTime: &begin, EndTime: &end,
			Entities: &ecs.SubJobEntities{ServerID: &server}}
	}
	total := int32(len(subs))
	return ecsecho.ShowJob200JSONResponse{
		JobID: &job.id, JobType: &jobType, Status: &status, BeginTime: &begin, EndTime: &end,
		Entities: &ecs.JobEntities{SubJobsTotal: &total, SubJobs: &subs},
	}, nil
}

// later returns the later of two times.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// jobTimeLayout is how ECS jobs print their times.
const jobTimeLayout = "2006-01-02T15:04:05.000Z"

// bodyHash fingerprints a create for idempotency: the typed body, encoded
// with its fields in a fixed order.
func bodyHash(b *ecs.CreateServersRequestBody) ([32]byte, error) {
	raw, err := json.Marshal(b)
	if err != nil {
		return [32]byte{}, err
	}
	return sha256.Sum256(raw), nil
}

func ecsBadRequest(code, msg string) ecsecho.CreateServers400JSONResponse {
	return ecsecho.CreateServers400JSONResponse{BadRequestJSONResponse: ecsecho.BadRequestJSONResponse{Error: ecs.EcsErrorBody{Code: code, Message: msg}}}
}
