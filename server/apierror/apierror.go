// Package apierror writes errors in each service's own body format, so that
// clients written against the real APIs parse the local server's errors:
//
//	ModelArts (devserver)  {"error_code": "ModelArts.0104", "error_msg": "..."}
//	CloudDC (clouddc)      {"error_code": "iMetal.0001", "error_msg": "..."}; 429 as plain text
//	ECS (ecs)              {"error": {"code": "Ecs.0005", "message": "...", "details": [{"code", "message"}]}}
package apierror

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/hwspec/compute/gen/clouddc"
	"github.com/hwspec/compute/gen/devserver"
	"github.com/hwspec/compute/gen/ecs"
)

// The API names, as in spec.APIs.
const (
	DevServer = "devserver"
	CloudDC   = "clouddc"
	ECS       = "ecs"
)

// Detail is one entry of an ECS error's details; Write sends it as the
// spec's EcsErrorDetail.
type Detail struct {
	Code    string `json:"code"`
	Message string `json:"message,omitempty"`
}

// APIOf tells which service a request path belongs to, for requests that
// match no operation: /v1.1/… and …/jobs/… are ECS, …/instances… CloudDC,
// everything else ModelArts.
func APIOf(path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case len(segs) > 0 && segs[0] == "v1.1":
		return ECS
	case len(segs) > 2 && segs[2] == "jobs":
		return ECS
	case len(segs) > 2 && segs[2] == "instances":
		return CloudDC
	}
	return DevServer
}

// Write writes an error response in the format of api, with the error
// body types generated from the specs (ecs.EcsError, clouddc.CloudDCError,
// devserver.ModelArtsError).
func Write(w http.ResponseWriter, api string, status int, code, message string, details ...Detail) error {
	if api == CloudDC && status == http.StatusTooManyRequests {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		_, err := w.Write([]byte(code + " " + message))
		return err
	}
	var body any
	switch api {
	case ECS:
		e := ecs.EcsError{Error: ecs.EcsErrorBody{Code: code, Message: message}}
		if len(details) > 0 {
			ds := make([]ecs.EcsErrorDetail, len(details))
			for i, d := range details {
				ds[i].Code = d.Code
				if d.Message != "" {
					ds[i].Message = &d.Message
				}
			}
			e.Error.Details = &ds
		}
		body = e
	case CloudDC:
		body = clouddc.CloudDCError{ErrorCode: code, ErrorMsg: message}
	default:
		body = devserver.ModelArtsError{ErrorCode: code, ErrorMsg: message}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(body)
}

// Kind is a kind of failure, which each service answers with its own code.
// Its values are the Kind variables; a kind cannot be spelt as a string,
// so a misspelt one does not compile.
type Kind struct{ name string }

// String returns the kind's name, e.g. "not-found".
func (k Kind) String() string { return k.name }

// The kinds of failure.
var (
	Invalid      = Kind{"invalid"}      // a value is invalid
	Missing      = Kind{"missing"}      // a required parameter or field is missing
	Unauthorized = Kind{"unauthorized"} // the credentials could not be verified
	Forbidden    = Kind{"forbidden"}    // valid credentials, another project
	NotFound     = Kind{"not-found"}    // no such resource (or API)
	Throttled    = Kind{"throttled"}    // too many requests
	Fault        = Kind{"fault"}        // an injected fault or an internal error
)

// Codes the local server answers with. The services document the
// validation codes (iMetal.0001/0002/0003/0005, Ecs.0005/0122/0123/0124,
// ModelArts.0104); the others are the API gateway's (APIGW.*), or chosen
// here where the documentation names none (the *.9999 fault codes).
var codes = map[Kind]map[string]string{
	Invalid:      {DevServer: "ModelArts.0104", CloudDC: "iMetal.0001", ECS: "Ecs.0005"},
	Missing:      {DevServer: "ModelArts.0104", CloudDC: "iMetal.0002", ECS: "Ecs.0005"},
	Unauthorized: {DevServer: "APIGW.0301", CloudDC: "iMetal.0003", ECS: "APIGW.0301"},
	Forbidden:    {DevServer: "APIGW.0302", CloudDC: "iMetal.0004", ECS: "Ecs.0003"},
	NotFound:     {DevServer: "ModelArts.6309", CloudDC: "iMetal.0100", ECS: "Ecs.0114"},
	Throttled:    {DevServer: "APIGW.0308", CloudDC: "iMetal.0005", ECS: "APIGW.0308"},
	Fault:        {DevServer: "ModelArts.9999", CloudDC: "iMetal.9999", ECS: "Ecs.9999"},
}

// Code returns the error code api (DevServer, CloudDC or ECS) uses for a
// kind of failure, or "" for an API that is none of them.
func Code(api string, kind Kind) string {
	return codes[kind][api]
}
