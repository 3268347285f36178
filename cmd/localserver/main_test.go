package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hwspec/compute/server"
)

// TestMain runs the command itself when the test binary is started as a
// child by TestSIGTERMWithASlowClient, so that a real signal reaches a real
// process.
func TestMain(m *testing.M) {
	if os.Getenv("HWSPEC_LOCALSERVER_CHILD") == "1" {
		main()
	}
	os.Exit(m.Run())
}

func TestParse(t *testing.T) {
	env := map[string]string{"HWSPEC_TOKENS": "t1=p1,t2=p2", "HWSPEC_JOB_STEP": "0s", "HWSPEC_IDLE_TIMEOUT": "5s"}
	getenv := func(k string) string { return env[k] }
	cfg, opts, err := parse([]string{"-addr", "127.0.0.1:9999", "-create-delay", "1s", "-key", "AK:SK=p1", "-fault", "CreateServers:429:2", "-log-format", "json",
		"-retention", "10m", "-read-timeout", "3s", "-write-timeout", "4s", "-max-header-bytes", "8192", "-shutdown-grace", "2s"}, getenv, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if opts.addr != "127.0.0.1:9999" || cfg.Delays.Create != time.Second || cfg.Delays.JobStep != 0 || cfg.Delays.Delete != 2*time.Second {
		t.Errorf("addr %q, delays %+v", opts.addr, *cfg.Delays)
	}
	if cfg.Tokens["t1"] != "p1" || cfg.Tokens["t2"] != "p2" || cfg.Keys["AK"].Secret != "SK" || cfg.Keys["AK"].Project != "p1" {
		t.Errorf("tokens %v keys %v", cfg.Tokens, cfg.Keys)
	}
	if len(cfg.Faults) != 1 || cfg.Faults[0].String() != "CreateServers:429:2" {
		t.Errorf("faults %v", cfg.Faults)
	}
	want := server.HTTPLimits{ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 3 * time.Second, WriteTimeout: 4 * time.Second, IdleTimeout: 5 * time.Second, MaxHeaderBytes: 8192}
	if cfg.HTTP != want || cfg.Retention != 10*time.Minute || opts.grace != 2*time.Second {
		t.Errorf("limits %+v, retention %s, grace %s", cfg.HTTP, cfg.Retention, opts.grace)
	}
}

// TestParseDefaults: with no flags, the limits are the server's defaults,
// stated explicitly (a zero would also mean the default, but -h prints
// these).
func TestParseDefaults(t *testing.T) {
	cfg, opts, err := parse(nil, func(string) string { return "" }, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.HTTP != server.DefaultHTTPLimits || cfg.Retention != server.DefaultRetention || opts.grace != 10*time.Second || opts.addr != "127.0.0.1:8080" {
		t.Errorf("limits %+v, retention %s, grace %s, addr %s", cfg.HTTP, cfg.Retention, opts.grace, opts.addr)
	}
}

func TestParseErrors(t *testing.T) {
	none := func(string) string { return "" }
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-token", "no-equals"}, "TOKEN=PROJECT"},
		{[]string{"-key", "AK=p"}, "AK:SK=PROJECT"},
		{[]string{"-fault", "CreateServers"}, "OPERATION:STATUS"},
		{[]string{"-fault", "CreateServers:+429"}, "STATUS"},
		{[]string{"-create-delay", "soon"}, "-create-delay"},
		{[]string{"-log-format", "xml"}, "-log-format"},
		{[]string{"-retention", "0s"}, "-retention"},
		{[]string{"-retention", "-1h"}, "-retention"},
		{[]string{"-read-header-timeout", "never"}, "-read-header-timeout"},
		{[]string{"-read-timeout", "0"}, "-read-timeout"},
		{[]string{"-write-timeout", "-5s"}, "-write-timeout"},
		{[]string{"-idle-timeout", "1"}, "-idle-timeout"},
		{[]string{"-max-header-bytes", "0"}, "-max-header-bytes"},
		{[]string{"-max-header-bytes", "64k"}, "-max-header-bytes"},
		{[]string{"-shutdown-grace", "0s"}, "-shutdown-grace"},
		{[]string{"extra"}, "unexpected argument"},
	} {
		if _, _, err := parse(tc.args, none, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err %v, want one naming %q", tc.args, err, tc.want)
		}
	}
}

// TestRunRefuses: a refused flag or fault is exit 2 with a message, before
// anything listens. A fault on an operation that does not exist used to
// start a server on which it never fired.
func TestRunRefuses(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{args: []string{"-fault", "x"}, want: "OPERATION:STATUS"},
		{args: []string{"-fault", "Nope:429"}, want: `unknown operation "Nope"`},
		{args: []string{"-fault", "createservers:429:2"}, want: "did you mean CreateServers?"},
		{env: map[string]string{"HWSPEC_FAULTS": "CreateServers:429,ShowJobs:500"}, want: `unknown operation "ShowJobs"`},
	} {
		var stderr bytes.Buffer
		getenv := func(k string) string { return tc.env[k] }
		// The address is taken by no one; the run must not get that far.
		args := append([]string{"-addr", "256.0.0.1:1"}, tc.args...)
		if code := run(args, getenv, io.Discard, &stderr); code != 2 || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%v %v: exit %d: %s", tc.args, tc.env, code, stderr.String())
		}
	}
}

// TestHelpAndVersion: -h documents every form of -fault that the README
// does (the "+" of a lost answer was missing), and -version prints the
// module version from the build information.
func TestHelpAndVersion(t *testing.T) {
	none := func(string) string { return "" }
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-h"}, none, &stdout, &stderr); code != 0 {
		t.Fatalf("-h: exit %d", code)
	}
	for _, want := range []string{"OP:STATUS[+][:TIMES[:DELAY]]", "STATUS+ does the work, then answers STATUS", "-version", "-upstream URL", "-upstream-timeout", "-upstream-key AK:SK", "-report-only"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("-h lacks %q:\n%s", want, stderr.String())
		}
	}
	stdout.Reset()
	stderr.Reset()
	if code := run([]string{"-version"}, none, &stdout, &stderr); code != 0 || !strings.HasPrefix(stdout.String(), "localserver ") || !strings.Contains(stdout.String(), "(go1.") || stderr.Len() != 0 {
		t.Fatalf("-version: exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
}

// TestSIGTERMWithASlowClient starts the command as a process, opens a
// request whose body never comes, sends SIGTERM and requires a prompt exit
// with status 0: the slow client is cut off at the end of the grace period,
// which is not a failure. (Before, the command waited for the client for
// its whole 10 s grace period and then exited 1.)
func TestSIGTERMWithASlowClient(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second) // a hang guard, not a measurement
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-addr", "127.0.0.1:0", "-shutdown-grace", "200ms", "-read-timeout", "1h")
	cmd.Env = append(os.Environ(), "HWSPEC_LOCALSERVER_CHILD=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stderr)
	var addr string
	var log strings.Builder
	for addr == "" && lines.Scan() {
		fmt.Fprintln(&log, lines.Text())
		if m := regexp.MustCompile(`msg=listening addr=(\S+)`).FindStringSubmatch(lines.Text()); m != nil {
			addr = m[1]
		}
	}
	if addr == "" {
		cmd.Process.Kill()
		t.Fatalf("no listening line:\n%s", log.String())
	}
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// A request whose 100-byte body stops after one byte. Expect:
	// 100-continue makes the server say when its handler starts reading
	// the body: from then on the request is surely in flight.
	fmt.Fprintf(conn, "POST /v1/%s/instances HTTP/1.1\r\nHost: x\r\nX-Auth-Token: %s\r\nContent-Type: application/json\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n",
		server.DefaultProject, server.DefaultToken)
	br := bufio.NewReader(conn)
	if status, err := br.ReadString('\n'); err != nil || !strings.Contains(status, "100 Continue") {
		t.Fatalf("want 100 Continue, got %q %v", status, err)
	}
	fmt.Fprint(conn, "{")
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for lines.Scan() { // until the child closes stderr
		fmt.Fprintln(&log, lines.Text())
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit: %v (want status 0)\n%s", err, log.String())
	}
	if !strings.Contains(log.String(), "grace period over") {
		t.Errorf("the slow client was not cut off at the end of the grace period:\n%s", log.String())
	}
}

// TestParseUpstream: -upstream makes a proxy's Config, logging JSON lines
// by default; the simulation's flags are refused with it, and a bad URL is
// refused without being repeated (it could hold a password).
func TestParseUpstream(t *testing.T) {
	none := func(string) string { return "" }
	cfg, _, err := parse([]string{"-upstream", "https://ecs.example.com/base", "-upstream-timeout", "5s", "-report-only"}, none, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if p := cfg.Proxy; p == nil || p.Upstream.String() != "https://ecs.example.com/base" || p.Timeout != 5*time.Second || !p.ReportOnly {
		t.Fatalf("proxy %+v", cfg.Proxy)
	}
	if _, ok := cfg.Logger.Handler().(*slog.JSONHandler); !ok {
		t.Errorf("log handler %T, want JSON by default with -upstream", cfg.Logger.Handler())
	}
	cfg, _, err = parse([]string{"-upstream", "https://ecs.example.com", "-upstream-key", "AKUP:SKUP", "-token", "t=p"}, none, &bytes.Buffer{})
	if err != nil || cfg.Proxy.AccessKey != "AKUP" || cfg.Proxy.SecretKey != "SKUP" || cfg.Tokens["t"] != "p" {
		t.Errorf("-upstream-key: %+v %v %v", cfg.Proxy, cfg.Tokens, err)
	}
	env := map[string]string{"HWSPEC_UPSTREAM": "http://127.0.0.1:9", "HWSPEC_REPORT_ONLY": "true"}
	if cfg, _, err := parse(nil, func(k string) string { return env[k] }, &bytes.Buffer{}); err != nil || cfg.Proxy == nil || !cfg.Proxy.ReportOnly || cfg.Proxy.Timeout != server.DefaultUpstreamTimeout {
		t.Errorf("from the environment: %+v %v", cfg.Proxy, err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-upstream", "ecs.example.com"}, "want an http or https URL"},
		{[]string{"-upstream", "https://me:secret@ecs.example.com"}, "no user or password"},
		{[]string{"-upstream", "https://ecs.example.com", "-upstream-timeout", "0s"}, "-upstream-timeout"},
		{[]string{"-upstream", "https://ecs.example.com", "-token", "t=p"}, "-token and -key only with -upstream-key"},
		{[]string{"-upstream", "https://ecs.example.com", "-key", "A:S=p"}, "-token and -key only with -upstream-key"},
		{[]string{"-upstream", "https://ecs.example.com", "-fault", "CreateServers:500"}, "-fault is for the simulation"},
		{[]string{"-upstream", "https://ecs.example.com", "-upstream-key", "AK:secret"}, "give -token or -key"},
		{[]string{"-upstream", "https://ecs.example.com", "-upstream-key", "secret", "-token", "t=p"}, "want AK:SK"},
		{[]string{"-report-only"}, "only with -upstream"},
		{[]string{"-upstream-key", "AK:secret"}, "only with -upstream"},
	} {
		_, _, err := parse(tc.args, none, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "secret") {
			t.Errorf("%v: err %v, want one naming %q", tc.args, err, tc.want)
		}
	}
	var stderr bytes.Buffer
	if code := run([]string{"-addr", "256.0.0.1:1", "-upstream", "https://ecs.example.com", "-upstream-timeout", "40s"}, none, io.Discard, &stderr); code != 2 || !strings.Contains(stderr.String(), "shorter than the write timeout") {
		t.Errorf("-upstream-timeout over -write-timeout: exit %d: %s", code, stderr.String())
	}
}
