package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/hwspec/compute/server"
)

// A test of provisioning code walks a DevServer through its lifecycle on a
// clock it moves, without waiting for the delays.
func ExampleManualClock() {
	clock := server.NewManualClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	srv, err := server.New(server.Config{Now: clock.Now})
	if err != nil {
		panic(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	base := ts.URL + "/v1/" + server.DefaultProject + "/dev-servers"
	call := func(method, url, body string) map[string]any {
		req, _ := http.NewRequest(method, url, strings.NewReader(body))
		req.Header.Set("X-Auth-Token", server.DefaultToken)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		return out
	}

	created := call("POST", base, `{"name": "dev-1", "flavor": "Si2.large.4",
		"image_id": "c90fb553-2cdb-4b81-b56a-ef68812c6cf7", "key_pair_name": "kp",
		"network": {"vpc_id": "05982b48-a70f-43a1-a2b0-1fe36a236172",
			"subnet_id": "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
			"security_group_id": "150a2c76-1334-45f6-b28f-419f9b1d1742"}}`)
	show := base + "/" + created["id"].(string)
	fmt.Println(call("GET", show, "")["status"])
	clock.Advance(time.Minute)
	fmt.Println(call("GET", show, "")["status"])
	// Output:
	// CREATING
	// RUNNING
}

// A process of your own that serves until SIGINT or SIGTERM, with tighter
// limits than the defaults, a shorter retention and an injected fault. A
// fault on an operation that does not exist would be a *ConfigError.
func ExampleServer_ListenAndServe() {
	// README:serve
	srv, err := server.New(server.Config{
		HTTP:      server.HTTPLimits{ReadTimeout: 5 * time.Second, IdleTimeout: 30 * time.Second}, // zero fields: the defaults
		Retention: 10 * time.Minute,
		Faults:    []server.Fault{{Operation: "CreateServers", Status: 429, Times: 2}},
	})
	if err != nil { // a *server.ConfigError: an unknown operation, a negative timeout, …
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := srv.ListenAndServe(ctx, "127.0.0.1:8080", 10*time.Second); err != nil { // nil after a shutdown, even one that cut clients off
		log.Fatal(err)
	}
	// README:end
}
