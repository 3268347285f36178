package readme_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hwspec/compute/server"
)

// TestManualClock is the README's in-process server on a clock the test
// moves (the whole program is ExampleManualClock in server/example_test.go).
func TestManualClock(t *testing.T) {
	// README:manual-clock
	clock := server.NewManualClock(time.Now())
	srv, _ := server.New(server.Config{Now: clock.Now}) // token server.DefaultToken, project server.DefaultProject
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	id := createDevServer(t, ts.URL) // CREATING
	clock.Advance(time.Minute)
	status := devServerStatus(t, ts.URL, id) // RUNNING
	// README:end
	if status != "RUNNING" {
		t.Fatalf("status %q after a minute, want RUNNING", status)
	}
}

// devServer calls the DevServer API of the local server at base.
func devServer(t *testing.T, method, url, body string) map[string]any {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Auth-Token", server.DefaultToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

func createDevServer(t *testing.T, base string) string {
	t.Helper()
	created := devServer(t, "POST", base+"/v1/"+server.DefaultProject+"/dev-servers", `{"name": "dev-1", "flavor": "Si2.large.4",
		"image_id": "c90fb553-2cdb-4b81-b56a-ef68812c6cf7", "key_pair_name": "kp",
		"network": {"vpc_id": "05982b48-a70f-43a1-a2b0-1fe36a236172",
			"subnet_id": "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
			"security_group_id": "150a2c76-1334-45f6-b28f-419f9b1d1742"}}`)
	id, _ := created["id"].(string)
	if status := devServerStatus(t, base, id); status != "CREATING" {
		t.Fatalf("a new DevServer is %q, want CREATING", status)
	}
	return id
}

func devServerStatus(t *testing.T, base, id string) string {
	t.Helper()
	status, _ := devServer(t, "GET", base+"/v1/"+server.DefaultProject+"/dev-servers/"+id, "")["status"].(string)
	return status
}
