package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
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
