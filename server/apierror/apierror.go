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

// Codes the local server answers with. The services document the
// validation codes (iMetal.0001/0002/0003/0005, Ecs.0005/0122/0123/0124,
// ModelArts.0104); the others are the API gateway's (APIGW.*), or chosen
// here where the documentation names none (the *.9999 fault codes).
var codes = map[string]map[string]string{
	"invalid":      {DevServer: "ModelArts.0104", CloudDC: "iMetal.0001", ECS: "Ecs.0005"},
	"missing":      {DevServer: "ModelArts.0104", CloudDC: "iMetal.0002", ECS: "Ecs.0005"},
	"unauthorized": {DevServer: "APIGW.0301", CloudDC: "iMetal.0003", ECS: "APIGW.0301"},
	"forbidden":    {DevServer: "APIGW.0302", CloudDC: "iMetal.0004", ECS: "Ecs.0003"},
	"not-found":    {DevServer: "ModelArts.6309", CloudDC: "iMetal.0100", ECS: "Ecs.0114"},
	"throttled":    {DevServer: "APIGW.0308", CloudDC: "iMetal.0005", ECS: "APIGW.0308"},
	"fault":        {DevServer: "ModelArts.9999", CloudDC: "iMetal.9999", ECS: "Ecs.9999"},
}

// Code returns the error code api uses for a kind of failure: invalid,
// missing, unauthorized, forbidden, not-found, throttled or fault.
func Code(api, kind string) string {
	return codes[kind][api]
}
