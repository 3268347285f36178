// Package check uses the module the way most downstream code does: the
// generated ECS package and the validation engine.
package check

import (
	"github.com/hwspec/compute/gen/ecs"
	"github.com/hwspec/compute/validate"
)

// Valid reports whether body is a valid ECS create request body.
func Valid(engine *validate.Engine, body []byte) (bool, error) {
	res, err := engine.ValidateBody("CreateServers", body)
	return err == nil && res.Valid(), err
}

// Done reports whether a job has ended.
func Done(j ecs.Job) bool {
	return j.Status != nil && (*j.Status == ecs.JobStatusSUCCESS || *j.Status == ecs.JobStatusFAIL)
}
