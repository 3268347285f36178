package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	env := map[string]string{"HWSPEC_TOKENS": "t1=p1,t2=p2", "HWSPEC_JOB_STEP": "0s"}
	getenv := func(k string) string { return env[k] }
	cfg, addr, err := parse([]string{"-addr", "127.0.0.1:9999", "-create-delay", "1s", "-key", "AK:SK=p1", "-fault", "CreateServers:429:2", "-log-format", "json"}, getenv, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if addr != "127.0.0.1:9999" || cfg.Delays.Create != time.Second || cfg.Delays.JobStep != 0 || cfg.Delays.Delete != 2*time.Second {
		t.Errorf("addr %q, delays %+v", addr, *cfg.Delays)
	}
	if cfg.Tokens["t1"] != "p1" || cfg.Tokens["t2"] != "p2" || cfg.Keys["AK"].Secret != "SK" || cfg.Keys["AK"].Project != "p1" {
		t.Errorf("tokens %v keys %v", cfg.Tokens, cfg.Keys)
	}
	if len(cfg.Faults) != 1 || cfg.Faults[0].String() != "CreateServers:429:2" {
		t.Errorf("faults %v", cfg.Faults)
	}
}

func TestParseErrors(t *testing.T) {
	none := func(string) string { return "" }
	for _, args := range [][]string{
		{"-token", "no-equals"},
		{"-key", "AK=p"},
		{"-fault", "CreateServers"},
		{"-create-delay", "soon"},
		{"-log-format", "xml"},
		{"extra"},
	} {
		if _, _, err := parse(args, none, &bytes.Buffer{}); err == nil {
			t.Errorf("%v: accepted", args)
		}
	}
}

func TestRunUsage(t *testing.T) {
	var stderr bytes.Buffer
	if code := run([]string{"-fault", "x"}, func(string) string { return "" }, &stderr); code != 2 || !strings.Contains(stderr.String(), "OPERATION:STATUS") {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if code := run([]string{"-h"}, func(string) string { return "" }, &stderr); code != 0 {
		t.Fatalf("-h: exit %d", code)
	}
}
