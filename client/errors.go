package client

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/hwspec/compute/gen/devserver"
	"github.com/hwspec/compute/gen/ecs"
	"github.com/hwspec/compute/internal/safetext"
	"github.com/hwspec/compute/validate"
)

// APIError is an error answer of a service, parsed from its own body:
// ModelArts and CloudDC {"error_code","error_msg"}, ECS
// {"error":{"code","message","details"}}, or a text body (CloudDC 429).
// Use errors.As to get it from any error this package returns.
type APIError struct {
	// Service is the service that answered.
	Service Service
	// StatusCode is the HTTP status.
	StatusCode int
	// Code is the service's error code, e.g. Ecs.0005, iMetal.0002,
	// ModelArts.0104, APIGW.0301.
	Code    string
	Message string
	// Details are ECS's more specific errors.
	Details []ErrorDetail
	// RequestID is the X-Request-Id of the answer, for support tickets.
	RequestID string
}

// ErrorDetail is one entry of an ECS error's details.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message,omitempty"`
}

// Error describes the answer on one line. The service's code, message and
// request ID are escaped (controls, line breaks, bidi marks and invalid
// UTF-8 become visible escapes) and cut (message at validate.MaxMessageBytes,
// the others at validate.MaxQuotedRunes characters), so an answer from a
// hostile or broken endpoint cannot add lines to a log; the fields keep the
// text as received.
func (e *APIError) Error() string {
	s := fmt.Sprintf("%s: HTTP %d", e.Service, e.StatusCode)
	if e.Code != "" {
		s += " " + quoted(e.Code)
	}
	if e.Message != "" {
		s += ": " + safetext.Escape(safetext.Clip(e.Message, validate.MaxMessageBytes))
	}
	if e.RequestID != "" {
		s += " (request " + quoted(e.RequestID) + ")"
	}
	return s
}

// quoted escapes a short value of an answer and cuts it for display.
func quoted(s string) string {
	return safetext.Escape(safetext.CutRunes(s, validate.MaxQuotedRunes))
}

// Throttled reports whether the service refused the request for its rate.
func (e *APIError) Throttled() bool { return e.StatusCode == http.StatusTooManyRequests }

// NotFound reports whether the resource does not exist (or is not the
// caller's to see).
func (e *APIError) NotFound() bool { return e.StatusCode == http.StatusNotFound }

// unwrap returns the typed body of an answer with the wanted status, or
// the service's error.
func unwrap[T any](service Service, want int, resp *http.Response, body []byte, v *T) (*T, error) {
	if resp.StatusCode != want || v == nil {
		return nil, newAPIError(service, resp, body)
	}
	return v, nil
}

// newAPIError parses an error answer with the spec's error bodies: ECS's
// EcsError, ModelArts' and CloudDC's {"error_code","error_msg"}, and the
// code and message ShowJob puts at the top of a Job when the query itself
// failed; anything else is a text body, such as CloudDC's 429.
func newAPIError(service Service, resp *http.Response, body []byte) *APIError {
	e := &APIError{Service: service, StatusCode: resp.StatusCode, RequestID: resp.Header.Get("X-Request-Id")}
	var ecsErr ecs.EcsError
	if json.Unmarshal(body, &ecsErr) == nil && ecsErr.Error.Code != "" {
		e.Code, e.Message = ecsErr.Error.Code, ecsErr.Error.Message
		if ecsErr.Error.Details != nil {
			for _, d := range *ecsErr.Error.Details {
				e.Details = append(e.Details, ErrorDetail{Code: d.Code, Message: deref(d.Message)})
			}
		}
		return e
	}
	// ModelArts' error body; CloudDC's (clouddc.CloudDCError) has the same
	// members.
	var maErr devserver.ModelArtsError
	if json.Unmarshal(body, &maErr) == nil && maErr.ErrorCode != "" {
		e.Code, e.Message = maErr.ErrorCode, maErr.ErrorMsg
		return e
	}
	var job ecs.Job
	if err := json.Unmarshal(body, &job); err == nil {
		e.Code, e.Message = deref(job.Code), deref(job.Message)
		return e
	}
	text := strings.TrimSpace(string(body))
	if code, msg, ok := strings.Cut(text, " "); ok && strings.Contains(code, ".") {
		e.Code, e.Message = code, msg
	} else {
		e.Message = text
	}
	return e
}

// ValidationError is a request that pre-flight validation refused; it was
// not sent.
type ValidationError struct {
	Operation string
	Findings  []validate.Finding
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Findings))
	for i, f := range e.Findings {
		parts[i] = f.String()
	}
	return fmt.Sprintf("%s: invalid request, not sent: %s", e.Operation, strings.Join(parts, "; "))
}

// JobFailedError is an ECS job that ended in FAIL.
type JobFailedError struct {
	JobID      string
	ErrorCode  string
	FailReason string
}

// Error describes the job on one line; the job ID, code and reason come
// from the service, so they are escaped and cut as APIError.Error does.
func (e *JobFailedError) Error() string {
	return fmt.Sprintf("ECS job %s failed: %s %s", quoted(e.JobID), quoted(e.ErrorCode),
		safetext.Escape(safetext.Clip(e.FailReason, validate.MaxMessageBytes)))
}

// StateError is a resource that reached a failure state while being waited
// for (a DevServer's *_FAILED or ERROR, a CloudDC instance's error, failed
// or terminated).
type StateError struct {
	Service   Service
	ID, State string
}

// Error describes the resource on one line; the ID and the state are
// escaped and cut as APIError.Error does (the state comes from the
// service).
func (e *StateError) Error() string {
	return fmt.Sprintf("%s %s reached state %s", e.Service, quoted(e.ID), quoted(e.State))
}
