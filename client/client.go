// Package client is the Go client for the ModelArts DevServer, CloudDC and
// ECS APIs: the generated clients of gen/ wrapped with what a provisioning
// program needs.
//
//   - One place for the region or explicit endpoints, the project, the
//     credentials (an IAM token or AK/SK signing with SDK-HMAC-SHA256), the
//     HTTP client, the user agent and a per-attempt timeout.
//   - Pre-flight validation with this module's engine (package validate): a
//     request that breaks a documented rule fails with a *ValidationError
//     and never touches the network. WithoutValidation turns it off.
//   - Safe retries on 429, 5xx and transport errors, with exponential
//     backoff and jitter, honouring Retry-After, bounded by attempts and by
//     the context — but only where a retry cannot create a duplicate: reads,
//     deletes, and ECS creates, which always carry an X-Client-Token (one
//     per call, the same on every retry). DevServer and CloudDC creates are
//     retried only when the service certainly did not act on them (429, or
//     the connection was never made).
//   - One error type, *APIError, parsed from each service's error body.
//   - Opt-in response checks with the same engine: WithResponseCheck
//     reports how each answer compares with the spec's documented
//     responses, WithStrictResponses (strict mode) makes an answer that
//     drifts from them an error, a *ResponseError. Off by default.
//   - Waiters for an ECS job, a DevServer status and a CloudDC instance
//     state, with polling backoff and context cancellation.
//
// # Method names
//
// Each method that calls an operation is named by the operation's
// operationId in the spec: ECS().CreateServers, DevServer().ShowDevServer,
// CloudDC().ShowInstanceStatus. The operationId is the name the rest of the
// module already uses for the operation (a ValidationError's Operation, the
// local server's faults, the validate CLI's -list-operations, the spec
// documents) and the name of the matching call in Huawei's SDK, so one name
// finds it everywhere. Waiters, which call no operation of their own, are
// Wait followed by what they wait for: WaitJob, WaitDevServer,
// WaitInstance.
package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hwspec/compute/gen/clouddc"
	"github.com/hwspec/compute/gen/devserver"
	"github.com/hwspec/compute/gen/ecs"
	"github.com/hwspec/compute/validate"
)

// Client talks to the three services for one project. It is safe for
// concurrent use.
type Client struct {
	cfg       config
	engine    *validate.Engine // nil: no pre-flight validation and no response checks
	preflight bool             // validate requests before sending them

	ecs       *ecs.ClientWithResponses
	devserver *devserver.ClientWithResponses
	clouddc   *clouddc.ClientWithResponses
}

// Credentials authenticate requests.
type Credentials struct {
	// Token is an IAM token, sent as X-Auth-Token.
	Token string
	// AccessKey and SecretKey sign requests with SDK-HMAC-SHA256 when no
	// Token is set.
	AccessKey, SecretKey string
}

// RetryPolicy bounds retries.
type RetryPolicy struct {
	// MaxAttempts counts the first attempt too; 1 disables retries.
	MaxAttempts int
	// BaseDelay is the wait before the first retry; each retry waits up to
	// twice as long (full jitter), at most MaxDelay.
	BaseDelay, MaxDelay time.Duration
}

// DefaultRetryPolicy makes up to 4 attempts, waiting about 0.2 s, 0.4 s and
// 0.8 s (with jitter) unless the service says otherwise in Retry-After.
var DefaultRetryPolicy = RetryPolicy{MaxAttempts: 4, BaseDelay: 200 * time.Millisecond, MaxDelay: 10 * time.Second}

type config struct {
	project     string
	region      string
	endpoints   map[Service]string // service → base URL
	creds       Credentials
	httpClient  *http.Client
	userAgent   string
	timeout     time.Duration
	retry       RetryPolicy
	noPreflight bool
	engine      *validate.Engine
	report      func(ResponseCheck) // WithResponseCheck
	strict      bool                // WithStrictResponses
	now         func() time.Time
	errs        []error // options that could not apply, reported by New
}

// Option configures a Client.
type Option func(*config)

// WithRegion sets the region, from which the endpoints are derived:
// https://ecs.<region>.myhuaweicloud.com, https://modelarts.<region>…,
// https://clouddc.<region>….
func WithRegion(region string) Option { return func(c *config) { c.region = region } }

// Service names one of the three services.
type Service string

// The services, as in spec.APIs.
const (
	ServiceECS       Service = "ecs"
	ServiceDevServer Service = "devserver"
	ServiceCloudDC   Service = "clouddc"
)

// WithEndpoint sets the base URL of one service, overriding the region's.
// New fails on a service that is not one of the Service constants.
func WithEndpoint(service Service, baseURL string) Option {
	return func(c *config) {
		if _, ok := endpointHosts[service]; !ok {
			c.errs = append(c.errs, fmt.Errorf("client: WithEndpoint: unknown service %q (want %q, %q or %q)",
				service, ServiceECS, ServiceDevServer, ServiceCloudDC))
			return
		}
		c.endpoints[service] = strings.TrimRight(baseURL, "/")
	}
}

// WithBaseURL sends every service's requests to one base URL, such as the
// local server's.
func WithBaseURL(baseURL string) Option {
	return func(c *config) {
		for _, s := range services {
			c.endpoints[s] = strings.TrimRight(baseURL, "/")
		}
	}
}

// WithToken authenticates with an IAM token.
func WithToken(token string) Option { return func(c *config) { c.creds = Credentials{Token: token} } }

// WithAccessKey authenticates by signing every request with an AK/SK pair.
func WithAccessKey(ak, sk string) Option {
	return func(c *config) { c.creds = Credentials{AccessKey: ak, SecretKey: sk} }
}

// WithHTTPClient sets the HTTP client (default: a new http.Client).
func WithHTTPClient(h *http.Client) Option { return func(c *config) { c.httpClient = h } }

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option { return func(c *config) { c.userAgent = ua } }

// WithTimeout bounds each attempt (default 30 s); the context bounds the
// whole call, retries included.
func WithTimeout(d time.Duration) Option { return func(c *config) { c.timeout = d } }

// WithRetry sets the retry policy (default DefaultRetryPolicy).
func WithRetry(p RetryPolicy) Option { return func(c *config) { c.retry = p } }

// WithEngine sets the engine of pre-flight validation and of response
// checks (default: a new one, validate.New()). Share one engine between
// clients, servers and middleware: building one loads and compiles every
// spec.
func WithEngine(e *validate.Engine) Option { return func(c *config) { c.engine = e } }

// WithoutValidation turns pre-flight validation off.
func WithoutValidation() Option { return func(c *config) { c.noPreflight = true } }

var services = []Service{ServiceECS, ServiceDevServer, ServiceCloudDC}

// endpointHosts are the host name prefixes of the services.
var endpointHosts = map[Service]string{ServiceECS: "ecs", ServiceDevServer: "modelarts", ServiceCloudDC: "clouddc"}

// New returns a client for a project.
func New(projectID string, opts ...Option) (*Client, error) {
	cfg := config{project: projectID, endpoints: map[Service]string{}, userAgent: "hwspec-client/1", timeout: 30 * time.Second, retry: DefaultRetryPolicy, now: time.Now}
	for _, o := range opts {
		o(&cfg)
	}
	if err := errors.Join(cfg.errs...); err != nil {
		return nil, err
	}
	if projectID == "" {
		return nil, errors.New("client: a project ID is required")
	}
	if cfg.creds.Token == "" && (cfg.creds.AccessKey == "" || cfg.creds.SecretKey == "") {
		return nil, errors.New("client: credentials are required: WithToken or WithAccessKey")
	}
	for _, s := range services {
		if cfg.endpoints[s] == "" {
			if cfg.region == "" {
				return nil, fmt.Errorf("client: no endpoint for %s: set WithRegion, WithEndpoint or WithBaseURL", s)
			}
			cfg.endpoints[s] = fmt.Sprintf("https://%s.%s.myhuaweicloud.com", endpointHosts[s], cfg.region)
		}
	}
	if cfg.httpClient == nil {
		cfg.httpClient = &http.Client{}
	}
	if cfg.retry.MaxAttempts < 1 {
		cfg.retry.MaxAttempts = 1
	}
	c := &Client{cfg: cfg, preflight: !cfg.noPreflight}
	if c.preflight || cfg.checking() {
		c.engine = cfg.engine
		if c.engine == nil {
			engine, err := validate.New()
			if err != nil {
				return nil, fmt.Errorf("client: loading the specs: %w", err)
			}
			c.engine = engine
		}
	}
	if cfg.checking() {
		for _, op := range operations {
			if c.engine.Operation(op) == nil {
				return nil, fmt.Errorf("client: the engine does not describe operation %s, whose answers WithResponseCheck and WithStrictResponses check", op)
			}
		}
	}
	d := &doer{c: c}
	var err error
	if c.ecs, err = ecs.NewClientWithResponses(cfg.endpoints[ServiceECS], ecs.WithHTTPClient(d)); err != nil {
		return nil, err
	}
	if c.devserver, err = devserver.NewClientWithResponses(cfg.endpoints[ServiceDevServer], devserver.WithHTTPClient(d)); err != nil {
		return nil, err
	}
	if c.clouddc, err = clouddc.NewClientWithResponses(cfg.endpoints[ServiceCloudDC], clouddc.WithHTTPClient(d)); err != nil {
		return nil, err
	}
	return c, nil
}

// ECS returns the ECS operations.
func (c *Client) ECS() *ECS { return &ECS{c: c} }

// DevServer returns the ModelArts DevServer operations.
func (c *Client) DevServer() *DevServer { return &DevServer{c: c} }

// CloudDC returns the CloudDC iMetal instance operations.
func (c *Client) CloudDC() *CloudDC { return &CloudDC{c: c} }

// retryMode says which failures of a call may be retried.
type retryMode int

const (
	// retryUnsent: a call that may not be repeated once the service could
	// have acted on it (a create without an idempotency token); retried
	// only when the service certainly did not act on it. It is the zero
	// value, so a call path that forgets to set its mode is never retried
	// into a duplicate.
	retryUnsent retryMode = iota
	// retrySafe: the call can be repeated without effect (reads, deletes,
	// ECS creates with their client token).
	retrySafe
)

// retryModeOf returns the retry mode of the call a context belongs to
// (retryUnsent for none).
func retryModeOf(ctx context.Context) retryMode {
	if cl := callOf(ctx); cl != nil {
		return cl.mode
	}
	return retryUnsent
}
