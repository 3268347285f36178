// Command localserver runs the local stand-in for the ModelArts DevServer,
// CloudDC and ECS APIs (package server) on localhost.
//
//	localserver [flags]
//
// Flags (each can also come from the environment variable in brackets):
//
//	-addr ADDR            listen address (HWSPEC_ADDR; default 127.0.0.1:8080)
//	-create-delay D       how long servers stay CREATING / pending (HWSPEC_CREATE_DELAY; 3s)
//	-delete-delay D       how long servers stay DELETING / shutting-down (HWSPEC_DELETE_DELAY; 2s)
//	-job-step D           how long an ECS job stays INIT, then RUNNING (HWSPEC_JOB_STEP; 2s)
//	-token TOKEN=PROJECT  accept an X-Auth-Token for a project; repeatable (HWSPEC_TOKENS, comma-separated)
//	-key AK:SK=PROJECT    accept AK/SK signatures for a project; repeatable (HWSPEC_KEYS, comma-separated)
//	-fault OP:STATUS[+][:TIMES[:DELAY]]
//	                      inject a fault; repeatable (HWSPEC_FAULTS, comma-separated);
//	                      "+" does the work, then answers STATUS (a lost answer)
//	-log-format F         text or json (HWSPEC_LOG_FORMAT; text, json with -upstream)
//	-retention D          how long finished records stay visible before they are freed:
//	                      terminated instances, finished jobs, expired client tokens (HWSPEC_RETENTION; 1h)
//	-read-header-timeout D  time to send a request's headers (HWSPEC_READ_HEADER_TIMEOUT; 10s)
//	-read-timeout D       time to send a whole request, body included (HWSPEC_READ_TIMEOUT; 30s)
//	-write-timeout D      time from the end of the headers to the end of the answer (HWSPEC_WRITE_TIMEOUT; 30s)
//	-idle-timeout D       how long a keep-alive connection may wait for its next request (HWSPEC_IDLE_TIMEOUT; 60s)
//	-max-header-bytes N   cap on the request line and headers; more is answered 431 (HWSPEC_MAX_HEADER_BYTES; 65536)
//	-shutdown-grace D     on SIGINT/SIGTERM, how long requests in flight may finish (HWSPEC_SHUTDOWN_GRACE; 10s)
//	-upstream URL         be a validating reverse proxy in front of URL instead of a simulation
//	                      (HWSPEC_UPSTREAM): valid requests are forwarded unchanged, invalid ones
//	                      answered in the service's error format and never forwarded
//	-upstream-timeout D   how long the upstream may take to answer; then 504 (HWSPEC_UPSTREAM_TIMEOUT; 25s);
//	                      must be shorter than -write-timeout
//	-upstream-key AK:SK   with -upstream: re-sign forwarded requests with this key (HWSPEC_UPSTREAM_KEY),
//	                      after authenticating each client with -token / -key (then required)
//	-report-only          with -upstream: forward invalid requests too, only logging their findings
//	                      (HWSPEC_REPORT_ONLY=true)
//	-version              print the module version the program was built from (go install …@v1.2.3
//	                      prints v1.2.3; a build from a checkout prints "(devel)"), and exit
//
// With -upstream, the server simulates nothing: -fault is refused, and the
// upstream authenticates the forwarded requests, with the client's
// credentials (-token and -key are refused) or, with -upstream-key, with
// the proxy's signature once -token or -key has authenticated the client
// (so that the proxy never relays its key for anyone who asks). The
// log (JSON lines by default) records each refused or report-only request
// with its findings, and each upstream answer that does not match the spec
// ("spec drift"). Only GET /healthz and GET /metrics (the proxy's counters,
// Prometheus text format) are answered locally.
//
// With no -token, the token "local-dev-token" is accepted for the project
// 0123456789abcdef0123456789abcdef. GET /healthz answers {"status":"ok"}.
// SIGINT or SIGTERM shut the server down gracefully: it stops accepting,
// lets requests in flight finish for up to -shutdown-grace, closes the
// connections still open and exits 0 (a client cut off then is not a
// failure of the server). Exit status 2 means a flag or a fault was refused
// (an unknown operation, a malformed spec); 1, that serving failed (the
// address is taken, …).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hwspec/compute/internal/version"
	"github.com/hwspec/compute/server"
)

func main() { os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr)) }

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// options are what parse reads besides the server's Config.
type options struct {
	addr  string
	grace time.Duration
}

// errVersion is parse's answer to -version.
var errVersion = errors.New("-version")

func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cfg, opts, err := parse(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if errors.Is(err, errVersion) {
		fmt.Fprintln(stdout, version.String("localserver"))
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "localserver:", err)
		return 2
	}
	srv, err := server.New(cfg)
	var refused *server.ConfigError
	if errors.As(err, &refused) {
		fmt.Fprintln(stderr, "localserver:", err)
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "localserver:", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := srv.ListenAndServe(ctx, opts.addr, opts.grace); err != nil {
		fmt.Fprintln(stderr, "localserver:", err)
		return 1
	}
	return 0
}

func parse(args []string, getenv func(string) string, stderr io.Writer) (server.Config, options, error) {
	fs := flag.NewFlagSet("localserver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	d := server.DefaultDelays
	addr := fs.String("addr", env("HWSPEC_ADDR", "127.0.0.1:8080"), "listen address")
	create := fs.String("create-delay", env("HWSPEC_CREATE_DELAY", d.Create.String()), "how long servers stay CREATING / pending")
	del := fs.String("delete-delay", env("HWSPEC_DELETE_DELAY", d.Delete.String()), "how long servers stay DELETING / shutting-down")
	step := fs.String("job-step", env("HWSPEC_JOB_STEP", d.JobStep.String()), "how long an ECS job stays INIT, then RUNNING")
	logFormat := fs.String("log-format", env("HWSPEC_LOG_FORMAT", ""), "log format: text or json (default text, json with -upstream)")
	retention := fs.String("retention", env("HWSPEC_RETENTION", server.DefaultRetention.String()), "how long finished records stay visible before they are freed")
	l := server.DefaultHTTPLimits
	readHeader := fs.String("read-header-timeout", env("HWSPEC_READ_HEADER_TIMEOUT", l.ReadHeaderTimeout.String()), "time to send a request's headers")
	read := fs.String("read-timeout", env("HWSPEC_READ_TIMEOUT", l.ReadTimeout.String()), "time to send a whole request, body included")
	write := fs.String("write-timeout", env("HWSPEC_WRITE_TIMEOUT", l.WriteTimeout.String()), "time from the end of the headers to the end of the answer")
	idle := fs.String("idle-timeout", env("HWSPEC_IDLE_TIMEOUT", l.IdleTimeout.String()), "how long a keep-alive connection may wait for its next request")
	maxHeader := fs.String("max-header-bytes", env("HWSPEC_MAX_HEADER_BYTES", strconv.Itoa(l.MaxHeaderBytes)), "cap on the request line and headers (more: 431)")
	grace := fs.String("shutdown-grace", env("HWSPEC_SHUTDOWN_GRACE", "10s"), "on SIGINT/SIGTERM, how long requests in flight may finish")
	var tokens, keys, faults listFlag
	fs.Var(&tokens, "token", "TOKEN=PROJECT: accept an X-Auth-Token for a project (repeatable)")
	fs.Var(&keys, "key", "AK:SK=PROJECT: accept AK/SK signatures for a project (repeatable)")
	fs.Var(&faults, "fault", "OP:STATUS[+][:TIMES[:DELAY]]: inject a fault (repeatable); STATUS+ does the work, then answers STATUS (a lost answer)")
	upstream := fs.String("upstream", env("HWSPEC_UPSTREAM", ""), "be a validating reverse proxy in front of `URL` instead of a simulation (valid requests forwarded unchanged, invalid ones refused)")
	upstreamTimeout := fs.String("upstream-timeout", env("HWSPEC_UPSTREAM_TIMEOUT", server.DefaultUpstreamTimeout.String()), "with -upstream: how long the upstream may take to answer, then 504 (shorter than -write-timeout)")
	upstreamKey := fs.String("upstream-key", env("HWSPEC_UPSTREAM_KEY", ""), "`AK:SK`: with -upstream, re-sign forwarded requests with this key, after authenticating clients with -token / -key (then required)")
	reportOnly := fs.Bool("report-only", false, "with -upstream: forward invalid requests too, only logging their findings (HWSPEC_REPORT_ONLY=true)")
	showVersion := fs.Bool("version", false, "print the version of this module the program was built from, and exit")
	var opts options
	if err := fs.Parse(args); err != nil {
		return server.Config{}, opts, err
	}
	if *showVersion {
		return server.Config{}, opts, errVersion
	}
	if fs.NArg() > 0 {
		return server.Config{}, opts, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	for _, pair := range [][2]any{{&tokens, "HWSPEC_TOKENS"}, {&keys, "HWSPEC_KEYS"}, {&faults, "HWSPEC_FAULTS"}} {
		l := pair[0].(*listFlag)
		if len(*l) == 0 && getenv(pair[1].(string)) != "" {
			*l = strings.Split(getenv(pair[1].(string)), ",")
		}
	}
	var cfg server.Config
	var err error
	delays := server.Delays{}
	for _, x := range []struct {
		name string
		src  string
		dst  *time.Duration
	}{{"-create-delay", *create, &delays.Create}, {"-delete-delay", *del, &delays.Delete}, {"-job-step", *step, &delays.JobStep}} {
		if *x.dst, err = time.ParseDuration(x.src); err != nil || *x.dst < 0 {
			return cfg, opts, fmt.Errorf("%s %q: want a duration such as 2s", x.name, x.src)
		}
	}
	// Zero means "the default" in server.Config, so a flag must be
	// positive: -read-timeout 0 must not quietly mean 30s.
	for _, x := range []struct {
		name string
		src  string
		dst  *time.Duration
	}{
		{"-retention", *retention, &cfg.Retention},
		{"-read-header-timeout", *readHeader, &cfg.HTTP.ReadHeaderTimeout},
		{"-read-timeout", *read, &cfg.HTTP.ReadTimeout},
		{"-write-timeout", *write, &cfg.HTTP.WriteTimeout},
		{"-idle-timeout", *idle, &cfg.HTTP.IdleTimeout},
		{"-shutdown-grace", *grace, &opts.grace},
	} {
		if *x.dst, err = time.ParseDuration(x.src); err != nil || *x.dst <= 0 {
			return cfg, opts, fmt.Errorf("%s %q: want a positive duration such as 30s", x.name, x.src)
		}
	}
	if cfg.HTTP.MaxHeaderBytes, err = strconv.Atoi(*maxHeader); err != nil || cfg.HTTP.MaxHeaderBytes <= 0 {
		return cfg, opts, fmt.Errorf("-max-header-bytes %q: want a positive number of bytes such as 65536", *maxHeader)
	}
	cfg.Delays = &delays
	cfg.Tokens = map[string]string{}
	for _, t := range tokens {
		tok, project, ok := strings.Cut(t, "=")
		if !ok || tok == "" || project == "" {
			return cfg, opts, fmt.Errorf("-token %q: want TOKEN=PROJECT", t)
		}
		cfg.Tokens[tok] = project
	}
	cfg.Keys = map[string]server.Key{}
	for _, k := range keys {
		pair, project, ok := strings.Cut(k, "=")
		ak, sk, ok2 := strings.Cut(pair, ":")
		if !ok || !ok2 || ak == "" || sk == "" || project == "" {
			return cfg, opts, fmt.Errorf("-key: want AK:SK=PROJECT")
		}
		cfg.Keys[ak] = server.Key{Secret: sk, Project: project}
	}
	for _, f := range faults {
		fault, err := server.ParseFault(f)
		if err != nil {
			return cfg, opts, err
		}
		cfg.Faults = append(cfg.Faults, fault)
	}
	if *upstream != "" {
		if err := proxyConfig(&cfg, *upstream, *upstreamTimeout, *upstreamKey, *reportOnly || getenv("HWSPEC_REPORT_ONLY") == "true", tokens, keys, faults); err != nil {
			return cfg, opts, err
		}
	} else if *reportOnly || *upstreamKey != "" {
		return cfg, opts, errors.New("-report-only and -upstream-key: only with -upstream")
	}
	switch *logFormat {
	case "":
		if cfg.Proxy != nil {
			cfg.Logger = slog.New(slog.NewJSONHandler(stderr, nil))
		} else {
			cfg.Logger = slog.New(slog.NewTextHandler(stderr, nil))
		}
	case "text":
		cfg.Logger = slog.New(slog.NewTextHandler(stderr, nil))
	case "json":
		cfg.Logger = slog.New(slog.NewJSONHandler(stderr, nil))
	default:
		return cfg, opts, fmt.Errorf("-log-format %q: want text or json", *logFormat)
	}
	opts.addr = *addr
	return cfg, opts, nil
}

// proxyConfig makes cfg a proxy's (cfg.Tokens and cfg.Keys are already
// parsed). Faults are refused; so are -token and -key unless the proxy
// signs with -upstream-key, when they are required.
func proxyConfig(cfg *server.Config, upstream, timeout, key string, reportOnly bool, tokens, keys, faults listFlag) error {
	if len(faults) > 0 {
		return errors.New("-upstream: -fault is for the simulation")
	}
	var ak, sk string
	if key != "" {
		var ok bool
		if ak, sk, ok = strings.Cut(key, ":"); !ok || ak == "" || sk == "" {
			return errors.New("-upstream-key: want AK:SK")
		}
		if len(tokens) == 0 && len(keys) == 0 {
			return errors.New("-upstream-key: the proxy must authenticate its clients before it signs for them: give -token or -key")
		}
	} else if len(tokens) > 0 || len(keys) > 0 {
		return errors.New("-upstream: -token and -key only with -upstream-key; without it the upstream authenticates the client's own credentials")
	}
	// The messages do not repeat the URL: it could hold a password.
	u, err := url.Parse(upstream)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return errors.New("-upstream: want an http or https URL with a host and no user or password, such as https://ecs.ap-southeast-1.myhuaweicloud.com")
	}
	d, err := time.ParseDuration(timeout)
	if err != nil || d <= 0 {
		return fmt.Errorf("-upstream-timeout %q: want a positive duration such as 25s", timeout)
	}
	cfg.Proxy = &server.Proxy{Upstream: u, Timeout: d, ReportOnly: reportOnly, AccessKey: ak, SecretKey: sk}
	return nil
}
