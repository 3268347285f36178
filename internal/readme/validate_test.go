package readme_test

import (
	"fmt"
	"net/http"

	"github.com/hwspec/compute/validate"
)

// validateRequest is the README's "From Go" example of the engine: it
// prints what is wrong with an ECS create request.
func validateRequest(projectID string, h http.Header, body []byte) error {
	// README:validate
	engine, err := validate.New() // loads and compiles the embedded specs once; safe for concurrent use
	if err != nil {
		return err
	}
	res := engine.Validate(validate.Request{Method: "POST", Target: "/v1.1/" + projectID + "/cloudservers", Header: h, Body: body})
	if !res.Valid() {
		for _, f := range res.Findings {
			fmt.Println(f) // body /server/name: must match the pattern ... [schema.pattern]
		}
	}
	// README:end
	return nil
}

func Example_validate() {
	h := http.Header{"X-Auth-Token": {"t"}, "Content-Type": {"application/json"}}
	body := `{"server": {"imageRef": "67f433d8-ed0e-4321-a8a2-a71838539e09", "flavorRef": "s6.small.1", "name": "web server",
		"vpcid": "2a6f4aa6-d93e-45f5-a8cb-b030dbf8cd68", "nics": [{"subnet_id": "ef039b60-6a14-42d1-963b-687b627fea08"}],
		"root_volume": {"volumetype": "SSD"}}}`
	if err := validateRequest("0123456789abcdef0123456789abcdef", h, []byte(body)); err != nil {
		panic(err)
	}
	// Output:
	// body /server/name: must match the pattern ^[A-Za-z0-9_.-]{1,128}$ [schema.pattern]
}
