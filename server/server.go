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
// validation is accepted. State lives in memory and is lost on exit; what
// has finished (a terminated instance, an ended job, an expired client
// token) is freed after Config.Retention, so memory follows what is live.
// ListenAndServe and Serve bound every connection (Config.HTTP).
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
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hwspec/compute/gen/clouddc/clouddcecho"
	"github.com/hwspec/compute/gen/devserver/devserverecho"
	"github.com/hwspec/compute/gen/ecs/ecsecho"
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

// DefaultRetention is how long a finished record stays visible when
// Config.Retention is zero.
const DefaultRetention = time.Hour

// HTTPLimits bound each connection that ListenAndServe and Serve accept;
// they are the fields of http.Server of the same names. A zero field takes
// its value from DefaultHTTPLimits. (Handler has none of them: whoever
// serves it sets their own.)
type HTTPLimits struct {
	// ReadHeaderTimeout is how long a client may take to send the request
	// line and headers.
	ReadHeaderTimeout time.Duration
	// ReadTimeout is how long a client may take to send a whole request,
	// body included: a body trickled a byte at a time is cut off.
	ReadTimeout time.Duration
	// WriteTimeout is how long the server may take from the end of the
	// headers to the end of its answer. An injected fault's Delay is added
	// to the read and write timeouts of the request it delays.
	WriteTimeout time.Duration
	// IdleTimeout is how long a keep-alive connection may wait for its next
	// request before the server closes it.
	IdleTimeout time.Duration
	// MaxHeaderBytes caps the request line and headers (net/http allows
	// 4 KiB of slack); a larger header is answered 431.
	MaxHeaderBytes int
}

// DefaultHTTPLimits are generous for a client on the same machine or
// network, and small enough that slow or idle clients do not pile up.
var DefaultHTTPLimits = HTTPLimits{
	ReadHeaderTimeout: 10 * time.Second,
	ReadTimeout:       30 * time.Second,
	WriteTimeout:      30 * time.Second,
	IdleTimeout:       60 * time.Second,
	MaxHeaderBytes:    64 << 10,
}

// ConfigError is the error New returns for a Config it refuses (a fault
// on an unknown operation, a negative timeout, …).
type ConfigError struct{ msg string }

// Error says what was refused and what would be accepted.
func (e *ConfigError) Error() string { return e.msg }

func configErrorf(format string, args ...any) error {
	return &ConfigError{msg: fmt.Sprintf(format, args...)}
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
	// Now is the clock (default time.Now). Records are reclaimed by it too.
	Now func() time.Time
	// HTTP bounds the connections of ListenAndServe and Serve.
	HTTP HTTPLimits
	// Engine validates the requests (nil: a new engine, validate.New()),
	// at the instants of Now. Its limits bound the bodies the server reads,
	// AK/SK-signed ones included.
	Engine *validate.Engine
	// Retention is how long a finished record stays visible before it is
	// freed (0: DefaultRetention): a terminated CloudDC instance, a
	// finished ECS job, an expired X-Client-Token (which answers Ecs.0124
	// meanwhile). A deleted DevServer answers 404 as soon as its deletion
	// ends and is freed then.
	Retention time.Duration
	// Proxy, when set, makes the server a validating reverse proxy in
	// front of Proxy.Upstream instead of a simulation (see Proxy). Faults,
	// Delays and Retention do not apply then (Faults and SkipValidation are
	// refused); Tokens and Keys authenticate the proxy's clients when it
	// signs with its own upstream key, and are then required.
	Proxy *Proxy
}

// Server is the local API server.
type Server struct {
	echo   *echo.Echo
	cfg    Config
	delays Delays
	limits HTTPLimits
	engine *validate.Engine
	faults *faults
	log    *slog.Logger
	proxy  *proxy // nil in simulation mode

	devservers *devServerStore
	instances  *instanceStore
	jobs       *jobStore
}

// New builds a server. A Config it refuses is a *ConfigError.
func New(cfg Config) (*Server, error) {
	s := &Server{cfg: cfg, delays: DefaultDelays, log: cfg.Logger}
	if cfg.Delays != nil {
		s.delays = *cfg.Delays
	}
	if s.delays.Create < 0 || s.delays.Delete < 0 || s.delays.JobStep < 0 {
		return nil, configErrorf("delays must not be negative: %+v", s.delays)
	}
	switch {
	case cfg.Retention < 0:
		return nil, configErrorf("retention %s: must not be negative", cfg.Retention)
	case cfg.Retention == 0:
		s.cfg.Retention = DefaultRetention
	}
	limits, err := cfg.HTTP.withDefaults()
	if err != nil {
		return nil, err
	}
	s.limits = limits
	if s.cfg.Now == nil {
		s.cfg.Now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if len(s.cfg.Tokens) == 0 {
		s.cfg.Tokens = map[string]string{DefaultToken: DefaultProject}
	}
	engine := cfg.Engine
	if engine == nil {
		if engine, err = validate.New(); err != nil {
			return nil, err
		}
	}
	s.engine = engine
	if err := checkFaults(cfg.Faults, engine); err != nil {
		return nil, err
	}
	s.faults = newFaults(cfg.Faults)
	s.devservers = &devServerStore{projectMap: newProjectMap[*devServerRecord]()}
	s.instances = &instanceStore{projectMap: newProjectMap[*instanceRecord]()}
	s.jobs = &jobStore{projectMap: newProjectMap[*jobRecord](), tokens: newProjectMap[*tokenRecord]()}

	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.Use(s.requestID, s.accessLog)
	e.GET("/healthz", func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
	})
	if cfg.Proxy != nil {
		if len(cfg.Faults) > 0 || cfg.SkipValidation {
			return nil, configErrorf("a proxy injects no faults and always validates: leave Faults and SkipValidation unset")
		}
		if cfg.Proxy.AccessKey != "" && len(cfg.Tokens) == 0 && len(cfg.Keys) == 0 {
			return nil, configErrorf("a proxy that signs with its own key must authenticate its clients: set Tokens or Keys (the default token would make it an open relay)")
		}
		if len(cfg.Tokens) == 0 {
			s.cfg.Tokens = map[string]string{} // Keys only: DefaultToken must not open the relay
		}
		px, err := s.newProxy(*cfg.Proxy)
		if err != nil {
			return nil, err
		}
		px.register(e)
		s.echo, s.proxy = e, px
		return s, nil
	}
	api := e.Group("", s.authenticate, s.injectFaults)
	if !cfg.SkipValidation {
		api.Use(validation.Middleware(engine, validation.WithClock(s.cfg.Now)))
	}
	devserverecho.RegisterHandlers(api, devserverecho.NewStrictHandler(&devServerAPI{s}, nil))
	clouddcecho.RegisterHandlers(api, clouddcecho.NewStrictHandler(&cloudDCAPI{s}, nil))
	ecsecho.RegisterHandlers(api, ecsecho.NewStrictHandler(&ecsAPI{s}, nil))
	s.echo = e
	return s, nil
}

// Jobs returns how many ECS jobs a project has; tests of clients use it to
// check that retries created nothing twice.
func (s *Server) Jobs(project string) int {
	s.jobs.mu.Lock()
	defer s.jobs.mu.Unlock()
	s.jobs.sweep(s.now())
	return s.jobs.count(project)
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.echo }

// ListenAndServe listens on the TCP address addr and serves until ctx is
// done, then shuts down gracefully, giving requests in flight up to grace
// to finish. Config.HTTP bounds each connection. The names follow
// net/http: ListenAndServe takes an address, Serve a listener.
func (s *Server) ListenAndServe(ctx context.Context, addr string, grace time.Duration) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return s.Serve(ctx, ln, grace)
}

// Serve is ListenAndServe on a listener the caller opened. When ctx ends it
// stops accepting, lets the requests in flight finish for up to grace, then
// closes the connections still open (cancelling their requests' contexts)
// and returns nil: a client cut off at the end of the grace period is not
// the server's failure. It returns an error only when serving fails.
func (s *Server) Serve(ctx context.Context, ln net.Listener, grace time.Duration) error {
	base, cutOff := context.WithCancel(context.Background())
	defer cutOff()
	l := s.limits
	srv := &http.Server{
		Handler:           s.echo,
		ReadHeaderTimeout: l.ReadHeaderTimeout,
		ReadTimeout:       l.ReadTimeout,
		WriteTimeout:      l.WriteTimeout,
		IdleTimeout:       l.IdleTimeout,
		MaxHeaderBytes:    l.MaxHeaderBytes,
		BaseContext:       func(net.Listener) context.Context { return base },
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
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
	err := srv.Shutdown(shutdownCtx)
	if errors.Is(err, context.DeadlineExceeded) {
		s.log.Warn("grace period over: closing the connections still open", "grace", grace.String())
		cutOff()
		err = srv.Close()
	}
	if s.proxy != nil {
		s.proxy.settle() // the drift checks of answers already sent
	}
	if err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// withDefaults fills the zero fields from DefaultHTTPLimits and refuses
// negative ones.
func (l HTTPLimits) withDefaults() (HTTPLimits, error) {
	d := DefaultHTTPLimits
	for _, f := range []struct {
		name     string
		val, def *time.Duration
	}{
		{"ReadHeaderTimeout", &l.ReadHeaderTimeout, &d.ReadHeaderTimeout},
		{"ReadTimeout", &l.ReadTimeout, &d.ReadTimeout},
		{"WriteTimeout", &l.WriteTimeout, &d.WriteTimeout},
		{"IdleTimeout", &l.IdleTimeout, &d.IdleTimeout},
	} {
		switch {
		case *f.val < 0:
			return l, configErrorf("HTTP.%s %s: must not be negative", f.name, *f.val)
		case *f.val == 0:
			*f.val = *f.def
		}
	}
	switch {
	case l.MaxHeaderBytes < 0:
		return l, configErrorf("HTTP.MaxHeaderBytes %d: must not be negative", l.MaxHeaderBytes)
	case l.MaxHeaderBytes == 0:
		l.MaxHeaderBytes = d.MaxHeaderBytes
	}
	return l, nil
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
