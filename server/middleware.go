package server

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hwspec/compute/aksk"
	"github.com/hwspec/compute/server/apierror"
	"github.com/hwspec/compute/server/validation"
)

const (
	projectKey = "hwspec.server.project"
	// maxSkew is how far X-Sdk-Date may be from the server's clock, as at
	// Huawei's API gateway.
	maxSkew = 15 * time.Minute
)

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestID gives every response an X-Request-Id: the caller's, when it
// sent a well-formed one, or a new one.
func (s *Server) requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get("X-Request-Id")
		if !requestIDPattern.MatchString(id) {
			id = newHexID()
		}
		c.Response().Header().Set("X-Request-Id", id)
		return next(c)
	}
}

// accessLog writes one structured line per request. It logs no header and
// no body, so no token, signature or password reaches the log.
func (s *Server) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		project, _ := c.Get(projectKey).(string)
		s.log.Info("request",
			"request_id", c.Response().Header().Get("X-Request-Id"),
			"method", c.Request().Method,
			"route", c.Path(),
			"status", c.Response().Status,
			"project", project,
			"duration_ms", float64(time.Since(start).Microseconds())/1000)
		return nil
	}
}

// authFailed is the one answer to every failed authentication, whatever
// the reason (no credentials, an unknown token or access key, a stale
// date, a bad signature, a malformed header): the same status, code and
// message, so that an attacker cannot tell which keys exist. The reason
// goes to the server's log.
const authFailed = "the request could not be authenticated: send a valid X-Auth-Token, or sign the request with AK/SK (SDK-HMAC-SHA256) with an X-Sdk-Date within 15 minutes of the server's clock"

// authenticate resolves the caller's project from an IAM token or an AK/SK
// signature and refuses requests for another project: 404 for a resource
// (so that its existence does not leak), 403 for creating or listing.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		api := apierror.APIOf(req.URL.Path)
		project, ak, err := s.credentials(req)
		if tooLarge := (*bodyTooLargeError)(nil); errors.As(err, &tooLarge) {
			// Refused for its size, whoever sent it: the signature of a
			// body that is not read whole cannot be checked.
			return validation.RespondTooLarge(c, s.engine, tooLarge.head)
		}
		if err != nil {
			attrs := []any{"request_id", c.Response().Header().Get("X-Request-Id"), "reason", err.Error()}
			if ak != "" {
				attrs = append(attrs, "access_key", ak)
			}
			s.log.Warn("authentication failed", attrs...)
			return apierror.Write(c.Response(), api, http.StatusUnauthorized, apierror.Code(api, apierror.Unauthorized), authFailed)
		}
		c.Set(projectKey, project)
		segs := strings.Split(strings.Trim(req.URL.Path, "/"), "/")
		if len(segs) >= 2 && segs[1] != project {
			if len(segs) >= 4 {
				return apierror.Write(c.Response(), api, http.StatusNotFound, apierror.Code(api, apierror.NotFound), "the resource does not exist")
			}
			return apierror.Write(c.Response(), api, http.StatusForbidden, apierror.Code(api, apierror.Forbidden), "the credentials are not valid for this project")
		}
		return next(c)
	}
}

// credentials returns the project req acts for, and the access key that
// signed it when it is AK/SK-signed. Its errors are for the log only: they
// name no token, signature or secret.
func (s *Server) credentials(req *http.Request) (project, ak string, err error) {
	switch {
	case req.Header.Get("X-Auth-Token") != "":
		p, ok := s.cfg.Tokens[req.Header.Get("X-Auth-Token")]
		if !ok {
			return "", "", errors.New("unknown X-Auth-Token")
		}
		return p, "", nil
	case strings.HasPrefix(req.Header.Get("Authorization"), aksk.Algorithm+" "):
		limit := s.engine.Limits().MaxBodyBytes
		body, err := io.ReadAll(io.LimitReader(req.Body, int64(limit)+1))
		if err != nil {
			return "", "", fmt.Errorf("reading the body: %w", err)
		}
		if len(body) > limit {
			return "", "", &bodyTooLargeError{head: body}
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		ak, err := aksk.Verify(req, body, s.secretOf, s.now(), maxSkew)
		if err != nil {
			return "", ak, err
		}
		return s.cfg.Keys[ak].Project, ak, nil
	}
	return "", "", errors.New("no X-Auth-Token and no SDK-HMAC-SHA256 Authorization header")
}

// bodyTooLargeError is a signed body larger than the engine's limit, of
// which head is the first bytes read.
type bodyTooLargeError struct{ head []byte }

func (e *bodyTooLargeError) Error() string {
	return "the body is larger than the engine's limit"
}

func (s *Server) secretOf(ak string) (string, bool) {
	k, ok := s.cfg.Keys[ak]
	return k.Secret, ok
}

// injectFaults answers requests that a fault rule selects with the rule's
// status, after its delay.
func (s *Server) injectFaults(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.faults.empty() {
			return next(c)
		}
		req := c.Request()
		op := s.engine.Route(req.Method, req.URL.RequestURI())
		if op == nil {
			return next(c)
		}
		f, ok := s.faults.take(op.ID)
		if !ok {
			return next(c)
		}
		if f.Delay > 0 {
			// The delay is deliberate: it must not eat the time the
			// connection's limits give the request and its answer.
			// (Without a connection, as under httptest.NewRecorder, there
			// are no deadlines to move.)
			rc := http.NewResponseController(c.Response())
			_ = rc.SetReadDeadline(time.Now().Add(saturatingAdd(f.Delay, s.limits.ReadTimeout)))
			_ = rc.SetWriteDeadline(time.Now().Add(saturatingAdd(f.Delay, s.limits.WriteTimeout)))
			t := time.NewTimer(f.Delay)
			select {
			case <-t.C:
			case <-req.Context().Done():
				t.Stop()
				return nil // the caller gave up
			}
		}
		if f.Status == 0 {
			return next(c)
		}
		if f.After {
			// Serve the request into a discarding writer, then answer with
			// the fault as if the real answer were lost on the way.
			resp := c.Response()
			orig := resp.Writer
			resp.Writer = &discardWriter{header: http.Header{}}
			err := next(c)
			resp.Writer, resp.Committed, resp.Status, resp.Size = orig, false, 0, 0
			if err != nil {
				return err
			}
		}
		kind := apierror.Fault
		if f.Status == http.StatusTooManyRequests {
			kind = apierror.Throttled
		}
		if f.Status == http.StatusTooManyRequests || f.Status == http.StatusServiceUnavailable {
			c.Response().Header().Set("Retry-After", "1")
		}
		return apierror.Write(c.Response(), op.API.Name, f.Status, apierror.Code(op.API.Name, kind), "injected fault: "+f.String())
	}
}

// discardWriter swallows a response.
type discardWriter struct{ header http.Header }

func (d *discardWriter) Header() http.Header         { return d.header }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}

// handleError answers errors that reach Echo (an unknown route, a failed
// bind, a handler error) in the addressed service's format. Internal error
// text is logged, never sent.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	api := apierror.APIOf(c.Request().URL.Path)
	status, kind, msg := http.StatusInternalServerError, apierror.Fault, "internal error"
	var he *echo.HTTPError
	if errors.As(err, &he) {
		switch he.Code {
		case http.StatusNotFound:
			status, kind, msg = he.Code, apierror.NotFound, "no such API"
		case http.StatusMethodNotAllowed:
			status, kind, msg = he.Code, apierror.Invalid, "method not allowed"
		case http.StatusBadRequest:
			status, kind, msg = he.Code, apierror.Invalid, "the request could not be read"
		}
	}
	if status == http.StatusInternalServerError {
		s.log.Error("handler failed", "request_id", c.Response().Header().Get("X-Request-Id"), "error", err.Error())
	}
	if werr := apierror.Write(c.Response(), api, status, apierror.Code(api, kind), msg); werr != nil {
		s.log.Error("writing an error response failed", "error", werr.Error())
	}
}
