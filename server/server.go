// Package server is a local stand-in for the ModelArts DevServer, CloudDC
// and ECS APIs, for testing provisioning code without a cloud account. It
// implements the generated strict server interfaces of gen/devserver,
// gen/clouddc and gen/ecs and behaves like the services: requests are
// validated with the engine and refused in each service's error format;
// creates are asynchronous (CREATING → RUNNING, job INIT → RUNNING →
// SUCCESS, pending → running) with configurable delays; ECS creates are
// idempotent per X-Client-Token; callers authenticate with a token or an
// AK/SK signature and see only their own project's resources; and faults
// can be injected per operation.
//
// It does not simulate billing, real networking, quotas, or image and
// flavor catalogs: any flavor, image, VPC or subnet ID that passes
// validation is accepted. State lives in memory and is lost on exit.
package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hwspec/compute/gen/clouddc"
	"github.com/hwspec/compute/gen/devserver"
	"github.com/hwspec/compute/gen/ecs"
	"github.com/hwspec/compute/server/validation"
	"github.com/hwspec/compute/validate"
)

// DefaultProject and DefaultToken are what a server with no configured
// tokens accepts: the token "local-dev-token" for the project
// "0123456789abcdef0123456789abcdef".
const (
	DefaultProject = "0123456789abcdef0123456789abcdef"
	DefaultToken   = "local-dev-token"
)

// Delays are how long the asynchronous transitions take.
type Delays struct {
	// Create is how long a DevServer stays CREATING and a CloudDC instance
	// pending.
	Create time.Duration
	// Delete is how long a DevServer stays DELETING and a CloudDC instance
	// shutting-down.
	Delete time.Duration
	// JobStep is how long an ECS job stays INIT, and then RUNNING.
	JobStep time.Duration
}

// DefaultDelays are a few seconds, so that polling code has to poll.
var DefaultDelays = Delays{Create: 3 * time.Second, Delete: 2 * time.Second, JobStep: 2 * time.Second}

// Key is an AK/SK pair and the project it acts for.
type Key struct {
	Secret  string
	Project string
}

// Config configures a Server. The zero value is usable: default delays,
// the default token, validation on, logs discarded.
type Config struct {
	Delays *Delays
	// Tokens maps X-Auth-Token values to project IDs. Empty: DefaultToken
	// for DefaultProject.
	Tokens map[string]string
	// Keys maps access keys to their secret and project, for AK/SK-signed
	// requests.
	Keys map[string]Key
	// Faults are failures to inject (see Fault).
	Faults []Fault
	// SkipValidation turns the validation middleware off (for measuring
	// what it costs; never for tests of clients).
	SkipValidation bool
	Logger         *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Server is the local API server.
type Server struct {
	echo   *echo.Echo
	cfg    Config
	delays Delays
	engine *validate.Engine
	faults *faults
	log    *slog.Logger

	devservers *devServerStore
	instances  *instanceStore
	jobs       *jobStore
}

// New builds a server.
func New(cfg Config) (*Server, error) {
	s := &Server{cfg: cfg, delays: DefaultDelays, log: cfg.Logger}
	if cfg.Delays != nil {
		s.delays = *cfg.Delays
	}
	if s.cfg.Now == nil {
		s.cfg.Now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if len(s.cfg.Tokens) == 0 {
		s.cfg.Tokens = map[string]string{DefaultToken: DefaultProject}
	}
	engine, err := validate.New(validate.WithClock(s.cfg.Now))
	if err != nil {
		return nil, err
	}
	s.engine = engine
	s.faults = newFaults(cfg.Faults)
	s.devservers = &devServerStore{projectMap[*devServerRecord]{byProject: map[string]map[string]*devServerRecord{}}}
	s.instances = &instanceStore{projectMap[*instanceRecord]{byProject: map[string]map[string]*instanceRecord{}}}
	s.jobs = &jobStore{projectMap: projectMap[*jobRecord]{byProject: map[string]map[string]*jobRecord{}}, tokens: map[string]map[string]*tokenRecord{}}

	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.Use(s.requestID, s.accessLog)
	e.GET("/healthz", func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
	})
	api := e.Group("", s.authenticate, s.injectFaults)
	if !cfg.SkipValidation {
		api.Use(validation.Middleware(engine))
	}
	devserver.RegisterHandlers(api, devserver.NewStrictHandler(&devServerAPI{s}, nil))
	clouddc.RegisterHandlers(api, clouddc.NewStrictHandler(&cloudDCAPI{s}, nil))
	ecs.RegisterHandlers(api, ecs.NewStrictHandler(&ecsAPI{s}, nil))
	s.echo = e
	return s, nil
}

// Jobs returns how many ECS jobs a project has; tests of clients use it to
// check that retries created nothing twice.
func (s *Server) Jobs(project string) int {
	s.jobs.mu.Lock()
	defer s.jobs.mu.Unlock()
	return len(s.jobs.byProject[project])
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.echo }

// Serve accepts connections on addr until ctx is done, then shuts down
// gracefully, giving requests in flight up to grace to finish.
func (s *Server) Serve(ctx context.Context, addr string, grace time.Duration) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return s.ServeListener(ctx, ln, grace)
}

// ServeListener is Serve on a listener the caller opened.
func (s *Server) ServeListener(ctx context.Context, ln net.Listener, grace time.Duration) error {
	srv := &http.Server{Handler: s.echo, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.log.Info("listening", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	s.log.Info("shutting down", "grace", grace.String())
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func (s *Server) now() time.Time { return s.cfg.Now() }

// newID returns a random UUID (version 4) string.
func newID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return fmt.Sprintf("%s-%s-%s-%s-%s", h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])
}

// newHexID returns 32 random hex digits, the form of ECS job IDs.
func newHexID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b[:])
}

// projectMap is a per-project map of records guarded by one mutex; each
// service's store embeds one.
type projectMap[T any] struct {
	mu        sync.Mutex
	byProject map[string]map[string]T
}

// get returns the record id of project, if any. Call with mu held.
func (m *projectMap[T]) get(project, id string) (T, bool) {
	v, ok := m.byProject[project][id]
	return v, ok
}

// put stores a record. Call with mu held.
func (m *projectMap[T]) put(project, id string, v T) {
	if m.byProject[project] == nil {
		m.byProject[project] = map[string]T{}
	}
	m.byProject[project][id] = v
}
