package validation_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/hwspec/compute/gen/ecs"
	"github.com/hwspec/compute/gen/ecs/ecsecho"
	"github.com/hwspec/compute/server/validation"
	"github.com/hwspec/compute/validate"
)

// myECS is an implementation of the generated ECS server interface.
type myECS struct{}

func (myECS) CreateServers(context.Context, ecsecho.CreateServersRequestObject) (ecsecho.CreateServersResponseObject, error) {
	job := "ff808082739334d80173943ec9b42130"
	return ecsecho.CreateServers200JSONResponse{JobID: &job}, nil
}

func (myECS) ShowJob(context.Context, ecsecho.ShowJobRequestObject) (ecsecho.ShowJobResponseObject, error) {
	return ecsecho.ShowJob200JSONResponse{}, nil
}

// The middleware answers an invalid request the way ECS does, and hands a
// valid one to the handler.
func ExampleMiddleware() {
	engine, err := validate.New()
	if err != nil {
		panic(err)
	}
	e := echo.New()
	e.Use(validation.Middleware(engine))
	ecsecho.RegisterHandlers(e, ecsecho.NewStrictHandler(myECS{}, nil))

	const body = `{"server":{"imageRef":"67f433d8-ed0e-4321-a8a2-a71838539e09","flavorRef":"s6.small.1","name":"web",
		"vpcid":"2a6f4aa6-d93e-45f5-a8cb-b030dbf8cd68","nics":[{"subnet_id":"ef039b60-6a14-42d1-963b-687b627fea08"}],
		"root_volume":{"volumetype":"SSD"},"count":COUNT}}`
	for _, count := range []string{"2", "0"} {
		body := strings.Replace(body, "COUNT", count, 1)
		req := httptest.NewRequest(http.MethodPost, "/v1.1/0123456789abcdef0123456789abcdef/cloudservers", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Auth-Token", "token")
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		var answer struct {
			JobID string           `json:"job_id"`
			Error ecs.EcsErrorBody `json:"error"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil {
			panic(err)
		}
		if answer.Error.Code == "" {
			fmt.Println(rec.Code, "job", answer.JobID)
			continue
		}
		fmt.Println(rec.Code, answer.Error.Code)
		for _, d := range *answer.Error.Details {
			fmt.Println("  ", d.Code)
		}
	}
	// Output:
	// 200 job ff808082739334d80173943ec9b42130
	// 400 Ecs.0005
	//    schema.minimum
}
