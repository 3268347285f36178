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
//	-log-format F         text or json (HWSPEC_LOG_FORMAT; text)
//
// With no -token, the token "local-dev-token" is accepted for the project
// 0123456789abcdef0123456789abcdef. GET /healthz answers {"status":"ok"}.
// SIGINT or SIGTERM shut the server down gracefully.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/hwspec/compute/server"
)

func main() { os.Exit(run(os.Args[1:], os.Getenv, os.Stderr)) }

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func run(args []string, getenv func(string) string, stderr io.Writer) int {
	cfg, addr, err := parse(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "localserver:", err)
		return 2
	}
	srv, err := server.New(cfg)
	if err != nil {
		fmt.Fprintln(stderr, "localserver:", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := srv.Serve(ctx, addr, 10*time.Second); err != nil {
		fmt.Fprintln(stderr, "localserver:", err)
		return 1
	}
	return 0
}

func parse(args []string, getenv func(string) string, stderr io.Writer) (server.Config, string, error) {
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
	logFormat := fs.String("log-format", env("HWSPEC_LOG_FORMAT", "text"), "log format: text or json")
	var tokens, keys, faults listFlag
	fs.Var(&tokens, "token", "TOKEN=PROJECT: accept an X-Auth-Token for a project (repeatable)")
	fs.Var(&keys, "key", "AK:SK=PROJECT: accept AK/SK signatures for a project (repeatable)")
	fs.Var(&faults, "fault", "OP:STATUS[:TIMES[:DELAY]]: inject a fault (repeatable)")
	if err := fs.Parse(args); err != nil {
		return server.Config{}, "", err
	}
	if fs.NArg() > 0 {
		return server.Config{}, "", fmt.Errorf("unexpected argument %q", fs.Arg(0))
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
			return cfg, "", fmt.Errorf("%s %q: want a duration such as 2s", x.name, x.src)
		}
	}
	cfg.Delays = &delays
	cfg.Tokens = map[string]string{}
	for _, t := range tokens {
		tok, project, ok := strings.Cut(t, "=")
		if !ok || tok == "" || project == "" {
			return cfg, "", fmt.Errorf("-token %q: want TOKEN=PROJECT", t)
		}
		cfg.Tokens[tok] = project
	}
	cfg.Keys = map[string]server.Key{}
	for _, k := range keys {
		pair, project, ok := strings.Cut(k, "=")
		ak, sk, ok2 := strings.Cut(pair, ":")
		if !ok || !ok2 || ak == "" || sk == "" || project == "" {
			return cfg, "", fmt.Errorf("-key: want AK:SK=PROJECT")
		}
		cfg.Keys[ak] = server.Key{Secret: sk, Project: project}
	}
	for _, f := range faults {
		fault, err := server.ParseFault(f)
		if err != nil {
			return cfg, "", err
		}
		cfg.Faults = append(cfg.Faults, fault)
	}
	switch *logFormat {
	case "text":
		cfg.Logger = slog.New(slog.NewTextHandler(stderr, nil))
	case "json":
		cfg.Logger = slog.New(slog.NewJSONHandler(stderr, nil))
	default:
		return cfg, "", fmt.Errorf("-log-format %q: want text or json", *logFormat)
	}
	return cfg, *addr, nil
}
