package validate_test

import (
	"fmt"
	"net/http"
	"time"

	"github.com/hwspec/compute/validate"
)

// Build the engine once, then validate whole requests with it: the
// findings say where (Where), what rule, and what would be valid.
func ExampleEngine_Validate() {
	engine, err := validate.New()
	if err != nil {
		panic(err)
	}
	res := engine.Validate(validate.Request{
		Method: "POST",
		Target: "/v1.1/0123456789abcdef0123456789abcdef/cloudservers",
		Header: http.Header{"X-Auth-Token": {"token"}, "Content-Type": {"application/json"}},
		Body: []byte(`{"server": {"imageRef": "67f433d8-ed0e-4321-a8a2-a71838539e09", "flavorRef": "s6.small.1",
			"name": "web", "vpcid": "2a6f4aa6-d93e-45f5-a8cb-b030dbf8cd68",
			"nics": [{"subnet_id": "ef039b60-6a14-42d1-963b-687b627fea08"}],
			"root_volume": {"volumetype": "SSD"}, "count": 0}}`),
	})
	fmt.Println(res.Operation.ID, res.Valid())
	for _, f := range res.Findings {
		fmt.Println(f.In, f.Where(), f.Rule, f.Severity)
	}
	// Output:
	// CreateServers false
	// body /server/count schema.minimum error
}

// ValidateBody checks a bare JSON body for a named operation.
func ExampleEngine_ValidateBody() {
	engine, err := validate.New()
	if err != nil {
		panic(err)
	}
	res, err := engine.ValidateBody("CreateDevServer", []byte(`{"name": "dev-1"}`))
	if err != nil { // an unknown operation, or one that takes no body
		panic(err)
	}
	for _, f := range res.Findings {
		fmt.Printf("%q %s\n", f.Where(), f.Rule) // "" is the whole body
	}
	// Output:
	// "" devserver.server.login-method
	// "/flavor" schema.required
	// "/image_id" schema.required
	// "/network" schema.required
}

// A request can name the instant it is validated at, for time windows such
// as ECS auto_terminate_time (30 minutes to 3 years ahead): one engine
// serves every clock.
func ExampleRequest_now() {
	engine, err := validate.New()
	if err != nil {
		panic(err)
	}
	for _, now := range []time.Time{
		time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 31, 23, 50, 0, 0, time.UTC),
	} {
		res := engine.Validate(validate.Request{
			Method: "POST",
			Target: "/v1.1/0123456789abcdef0123456789abcdef/cloudservers",
			Header: http.Header{"X-Auth-Token": {"token"}, "Content-Type": {"application/json"}},
			Body: []byte(`{"server": {"imageRef": "67f433d8-ed0e-4321-a8a2-a71838539e09", "flavorRef": "s6.small.1",
				"name": "web", "vpcid": "2a6f4aa6-d93e-45f5-a8cb-b030dbf8cd68",
				"nics": [{"subnet_id": "ef039b60-6a14-42d1-963b-687b627fea08"}],
				"root_volume": {"volumetype": "SSD"}, "auto_terminate_time": "2027-01-01T00:00:00Z"}}`),
			Now: now,
		})
		fmt.Println(now.Format(time.DateTime), res.Valid())
	}
	// Output:
	// 2026-11-23 00:00:00 true
	// 2026-12-31 23:50:00 false
}
