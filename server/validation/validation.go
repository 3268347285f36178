// Package validation is Echo middleware that validates every request with
// this module's engine (package validate) and answers an invalid one the
// way the service it addresses does, with every finding in the message (and
// for ECS in details). Values of secrets are never repeated.
//
// A valid request goes on with its body replaced by one that carries the
// decoded value the engine validated (ValidatedValue). Handlers generated
// by oapi-codegen's strict server bind that value, matching member names
// exactly, so the handler sees what was validated: no second decode that
// could read a duplicate or case-variant member differently. Numbers that
// are integers by value (2.0, 2e0: valid for an integer field, as in JSON
// Schema) are handed over in integer notation, so that they bind to the
// generated int fields.
//
// The answer to an invalid request is bounded: the engine reports at most
// its Limits.MaxFindings findings per request (100 by default; then one
// findings.truncated finding), each finding is written as Finding.String
// writes it (control characters escaped) and cut to MaxFindingBytes, and
// Respond stops adding findings, with a note that says how many it left
// out, before the encoded body would pass MaxErrorBytes (64 KiB).
//
// Use it in any Echo server that serves these APIs:
//
//	engine, _ := validate.New()
//	e := echo.New()
//	e.Use(validation.Middleware(engine))
//	ecsecho.RegisterHandlers(e, ecsecho.NewStrictHandler(myECS, nil))
package validation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hwspec/compute/internal/safetext"
	"github.com/hwspec/compute/server/apierror"
	"github.com/hwspec/compute/validate"
)

// ResultKey is the echo.Context key under which the middleware stores the
// validate.Result of a valid request.
const ResultKey = "hwspec.validation.result"

type config struct {
	skipper   func(echo.Context) bool
	onInvalid func(echo.Context, validate.Result) error
	maxBody   int64
	now       func() time.Time
}

// Option configures the middleware.
type Option func(*config)

// WithSkipper skips validation for requests the function selects (health
// checks, say).
func WithSkipper(skip func(echo.Context) bool) Option { return func(c *config) { c.skipper = skip } }

// WithErrorHandler replaces the default answer to an invalid request. The
// handler can read the request's body again (a proxy in report-only mode
// forwards it).
func WithErrorHandler(h func(echo.Context, validate.Result) error) Option {
	return func(c *config) { c.onInvalid = h }
}

// WithMaxBody sets how many bytes of a body are read at most (default: the
// engine's Limits.MaxBodyBytes); a larger body is refused with 413. A
// body over the engine's limit is refused with the engine's body.size
// finding, as every front-end reports it; n below the engine's limit is
// this middleware's own, stricter bound, and a body over it but within the
// engine's limit is refused with a message that names n. A negative n is
// 0, as in http.MaxBytesReader: only requests without a body pass; n is at
// most math.MaxInt64/2 (the middleware reads one byte past it).
func WithMaxBody(n int64) Option {
	return func(c *config) { c.maxBody = min(max(n, 0), math.MaxInt64/2) }
}

// WithClock validates every request at the instant now returns (for time
// windows such as ECS auto_terminate_time) instead of at the engine's clock.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// Middleware returns the validation middleware.
func Middleware(engine *validate.Engine, opts ...Option) echo.MiddlewareFunc {
	limit := int64(engine.Limits().MaxBodyBytes)
	cfg := config{onInvalid: Respond, maxBody: limit}
	for _, o := range opts {
		o(&cfg)
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if cfg.skipper != nil && cfg.skipper(c) {
				return next(c)
			}
			req := c.Request()
			if req.Body == nil {
				// A request built in-process (not by net/http's server,
				// which always sets one) may have none: it is empty.
				req.Body = http.NoBody
			}
			body, err := io.ReadAll(io.LimitReader(req.Body, cfg.maxBody+1))
			req.Body.Close()
			if err != nil {
				return apierror.Write(c.Response(), apierror.APIOf(req.URL.Path), http.StatusBadRequest,
					apierror.Code(apierror.APIOf(req.URL.Path), apierror.Invalid), "the request body could not be read")
			}
			if int64(len(body)) > cfg.maxBody && cfg.maxBody < limit {
				api := apierror.APIOf(req.URL.Path)
				return apierror.Write(c.Response(), api, http.StatusRequestEntityTooLarge, apierror.Code(api, apierror.Invalid),
					fmt.Sprintf("the body is larger than %d bytes, the limit of this endpoint", cfg.maxBody))
			}
			if int64(len(body)) > cfg.maxBody {
				// Over the engine's limit, and not read whole: refused with
				// the engine's finding, never handed to the error handler
				// (which may forward the request) or the handler.
				return RespondTooLarge(c, engine, body)
			}
			vreq := validate.Request{Method: req.Method, Target: req.URL.RequestURI(), Header: req.Header, Body: body}
			if cfg.now != nil {
				vreq.Now = cfg.now()
			}
			res := engine.Validate(vreq)
			if !res.Valid() {
				req.Body = io.NopCloser(bytes.NewReader(body))
				return cfg.onInvalid(c, res)
			}
			res.Body = integerNotation(res.Body)
			c.Set(ResultKey, res)
			req.Body = &validatedBody{Reader: bytes.NewReader(body), value: res.Body}
			return next(c)
		}
	}
}

// RespondTooLarge answers a request whose body was read only in part,
// body its first bytes, because it is longer than the engine's
// Limits.MaxBodyBytes: 413 with the engine's body.size finding alone (the
// body's size is its Content-Length when that is over the limit, else
// validate.BodySizeUnknown: "more than" the limit), in the service's format
// as Respond writes it. A request that routes to no operation is answered
// with its route finding instead (404 or 405). The middleware uses it, and
// so does a server that reads a body before the middleware does (to check
// a signature over it); the caller says the body is too large, so it is
// answered 413 even when body itself is within the limit.
func RespondTooLarge(c echo.Context, engine *validate.Engine, body []byte) error {
	req := c.Request()
	vreq := validate.Request{Method: req.Method, Target: req.URL.RequestURI(), Header: req.Header, Body: body, BodySize: validate.BodySizeUnknown}
	if req.ContentLength > int64(engine.Limits().MaxBodyBytes) {
		vreq.BodySize = req.ContentLength
	}
	res := engine.Validate(vreq)
	if res.Operation != nil {
		res.Findings = slices.DeleteFunc(res.Findings, func(f validate.Finding) bool { return f.Rule != validate.BodySizeRule })
	}
	return Respond(c, res)
}

// validatedBody is the request body after validation: the same bytes, and
// the decoded value for binders that look for ValidatedValue.
type validatedBody struct {
	*bytes.Reader
	value any
}

func (b *validatedBody) Close() error { return nil }

// ValidatedValue returns the decoded body the engine validated.
func (b *validatedBody) ValidatedValue() any { return b.value }

// MaxErrorBytes bounds the body of Respond's answer to an invalid request.
const MaxErrorBytes = 64 << 10

// MaxFindingBytes bounds the text of one finding in Respond's answer.
const MaxFindingBytes = 4 << 10

// errWrite marks a failure to write the error response.
var errWrite = errors.New("validation: writing the error response failed")

// Respond answers an invalid request in its service's format: 404 when no
// operation matches, 405 for a wrong method, 401 without credentials, 413
// for an oversized body, and 400 otherwise, with a code that says whether a
// required parameter is missing (CloudDC iMetal.0002) or a value is invalid
// (iMetal.0001, ModelArts.0104, Ecs.0005; Ecs.0123 for a malformed
// X-Client-Token).
func Respond(c echo.Context, res validate.Result) error {
	api := apierror.APIOf(c.Request().URL.Path)
	if res.Operation != nil {
		api = res.Operation.API.Name
	}
	status, kind := http.StatusBadRequest, apierror.Invalid
	var parts []string
	var details []apierror.Detail
	badToken := false
	// What the findings may add to the encoded body: the rest is left for
	// the code, the service's prefix, the note and the JSON around them.
	budget, omitted := MaxErrorBytes-2<<10, 0
	for _, f := range res.Findings {
		if f.Severity != validate.Error {
			continue
		}
		switch f.Rule {
		case validate.RouteUnknownRule:
			status, kind = http.StatusNotFound, apierror.NotFound
		case validate.RouteMethodRule:
			status = http.StatusMethodNotAllowed
		case validate.SecurityMissingRule:
			status, kind = http.StatusUnauthorized, apierror.Unauthorized
		case validate.BodySizeRule:
			status = http.StatusRequestEntityTooLarge
		case validate.SchemaRequiredRule:
			if kind == apierror.Invalid {
				kind = apierror.Missing
			}
		}
		if f.In == validate.InHeader && f.Name == "X-Client-Token" {
			badToken = true
		}
		text := safetext.Clip(f.String(), MaxFindingBytes)
		cost := encodedLen(text) + len("; ")
		if api == apierror.ECS {
			cost += encodedLen(text) + encodedLen(f.Rule) + len(`{"code":,"message":},`)
		}
		if omitted > 0 || cost > budget {
			omitted++
			continue
		}
		budget -= cost
		parts = append(parts, text)
		details = append(details, apierror.Detail{Code: f.Rule, Message: text})
	}
	if omitted > 0 {
		parts = append(parts, fmt.Sprintf("%d more findings are not shown (the answer is limited to %d bytes)", omitted, MaxErrorBytes))
	}
	code := apierror.Code(api, kind)
	message := strings.Join(parts, "; ")
	if api == apierror.CloudDC && status == http.StatusBadRequest {
		if kind == apierror.Missing {
			message = "Missing required parameters: " + message
		} else {
			message = "A request parameter contains invalid or unsupported value: " + message
		}
	}
	if api == apierror.ECS && badToken && status == http.StatusBadRequest {
		code = "Ecs.0123"
	}
	if api != apierror.ECS {
		details = nil
	}
	if err := apierror.Write(c.Response(), api, status, code, message, details...); err != nil {
		return fmt.Errorf("%w: %v", errWrite, err)
	}
	return nil
}

// encodedLen is the length of s as a JSON string, as encoding/json writes
// it (with HTML characters escaped).
func encodedLen(s string) int {
	b, _ := json.Marshal(s)
	return len(b)
}
