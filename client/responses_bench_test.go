package client_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hwspec/compute/client"
)

// BenchmarkShowJobResponseCheck measures a ShowJob call over loopback
// without response checks, reporting every answer, and in strict mode, to
// show what checking an answer adds to a call. The answer is a job with
// two sub-jobs, as the service documents it.
func BenchmarkShowJobResponseCheck(b *testing.B) {
	const job = `{"job_id":"ff808082739334d80173943ec9b42130","job_type":"createServer","status":"SUCCESS",` +
		`"begin_time":"2024-12-19T08:00:00.000+0000","end_time":"2024-12-19T08:01:00.000+0000","entities":{"sub_jobs_total":2,"sub_jobs":[` +
		`{"job_id":"ff808082739334d80173943ec9b42131","job_type":"createSingleServer","status":"SUCCESS","entities":{"server_id":"d69b3955-b0c0-401c-993f-66787d76dbee"}},` +
		`{"job_id":"ff808082739334d80173943ec9b42132","job_type":"createSingleServer","status":"SUCCESS","entities":{"server_id":"e3e3efbc-e058-4917-b589-3866dbc3ce3f"}}]}}`
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(job))
	}))
	defer hs.Close()
	for _, bc := range []struct {
		name string
		opts []client.Option
	}{
		{"off", nil},
		{"report", []client.Option{client.WithResponseCheck(func(client.ResponseCheck) {})}},
		{"strict", []client.Option{client.WithStrictResponses()}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c := newClient(b, hs.URL, append([]client.Option{client.WithEngine(engine(b))}, bc.opts...)...)
			ctx := context.Background()
			for b.Loop() {
				if _, err := c.ECS().ShowJob(ctx, "ff808082739334d80173943ec9b42130"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
