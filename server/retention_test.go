package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hwspec/compute/internal/fixture"
)

// counts are the records a server holds, summed over projects, and the
// removals it has scheduled.
type counts struct {
	devservers, instances, jobs, tokens, scheduled int
}

func countRecords(s *Server) counts {
	var c counts
	s.devservers.mu.Lock()
	for _, r := range s.devservers.byProject {
		c.devservers += len(r.m)
	}
	c.scheduled += s.devservers.due.Len()
	s.devservers.mu.Unlock()
	s.instances.mu.Lock()
	for _, r := range s.instances.byProject {
		c.instances += len(r.m)
	}
	c.scheduled += s.instances.due.Len()
	s.instances.mu.Unlock()
	s.jobs.mu.Lock()
	for _, r := range s.jobs.byProject {
		c.jobs += len(r.m)
	}
	for _, r := range s.jobs.tokens.byProject {
		c.tokens += len(r.m)
	}
	c.scheduled += s.jobs.due.Len() + s.jobs.tokens.due.Len()
	s.jobs.mu.Unlock()
	return c
}

// direct sends one request straight to the server's handler (middleware,
// validation and all) and returns the status and body.
func direct(s *Server, method, path, body string, header ...string) (int, string) {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("X-Auth-Token", DefaultToken)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

func jsonOf(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

var (
	devServerBody = jsonOf(fixture.DevServerCreate("dev-1"))
	instanceBody  = jsonOf(fixture.CloudDCCreate("node-1"))
	ecsCreateBody = jsonOf(fixture.ECSCreate(2))
)

// idOf reads one string member of a JSON answer.
func idOf(t testing.TB, body, member string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	id, _ := m[member].(string)
	if id == "" {
		t.Fatalf("no %s in %s", member, body)
	}
	return id
}

func retentionServer(t testing.TB, retention time.Duration) (*Server, *ManualClock) {
	t.Helper()
	clock := NewManualClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	srv, err := New(Config{
		Delays:    &Delays{Create: 5 * time.Second, Delete: 5 * time.Second, JobStep: 2 * time.Second},
		Now:       clock.Now,
		Retention: retention,
	})
	if err != nil {
		t.Fatal(err)
	}
	return srv, clock
}

// step is one call and what it must answer; advance moves the clock first.
type step struct {
	advance      time.Duration
	method, path string
	body         string
	header       []string
	status       int
	contains     string
	after        counts // the records held after the call
}

func runSteps(t *testing.T, srv *Server, clock *ManualClock, steps []step) {
	t.Helper()
	for i, s := range steps {
		clock.Advance(s.advance)
		status, body := direct(srv, s.method, s.path, s.body, s.header...)
		if status != s.status || !strings.Contains(body, s.contains) {
			t.Fatalf("step %d (%s %s after %s): %d %s, want %d with %q", i, s.method, s.path, s.advance, status, body, s.status, s.contains)
		}
		if got := countRecords(srv); got != s.after {
			t.Fatalf("step %d (%s %s): records %+v, want %+v", i, s.method, s.path, got, s.after)
		}
	}
}

// TestRetention walks each kind of record to the moment it is freed, on
// a clock the test moves. Before, nothing was ever freed: a terminated
// instance answered terminated forever, an expired token Ecs.0124 forever.
func TestRetention(t *testing.T) {
	const retention = 10 * time.Minute
	base := "/v1/" + DefaultProject
	t.Run("DevServer: freed when its deletion ends", func(t *testing.T) {
		srv, clock := retentionServer(t, retention)
		_, live := direct(srv, "POST", base+"/dev-servers", devServerBody)
		_, body := direct(srv, "POST", base+"/dev-servers", devServerBody)
		id, liveID := idOf(t, body, "id"), idOf(t, live, "id")
		runSteps(t, srv, clock, []step{
			{0, "DELETE", base + "/dev-servers/" + id, "", nil, 200, `"DELETING"`, counts{devservers: 2, scheduled: 1}},
			{5*time.Second - 1, "GET", base + "/dev-servers/" + id, "", nil, 200, `"DELETING"`, counts{devservers: 2, scheduled: 1}},
			{1, "GET", base + "/dev-servers/" + id, "", nil, 404, "ModelArts.6309", counts{devservers: 1}},
			{0, "DELETE", base + "/dev-servers/" + id, "", nil, 404, "ModelArts.6309", counts{devservers: 1}},
			{0, "GET", base + "/dev-servers", "", nil, 200, `"total":1`, counts{devservers: 1}},
			{retention, "GET", base + "/dev-servers/" + liveID, "", nil, 200, `"RUNNING"`, counts{devservers: 1}},
		})
	})
	t.Run("CloudDC: terminated for the retention period, then 404", func(t *testing.T) {
		srv, clock := retentionServer(t, retention)
		_, body := direct(srv, "POST", base+"/instances", instanceBody)
		id := idOf(t, body, "instance_id")
		status := base + "/instances/" + id + "/status"
		runSteps(t, srv, clock, []step{
			{5 * time.Second, "DELETE", base + "/instances/" + id, "", nil, 204, "", counts{instances: 1, scheduled: 1}},
			{5 * time.Second, "GET", status, "", nil, 200, `"terminated"`, counts{instances: 1, scheduled: 1}},
			{retention - 1, "GET", status, "", nil, 200, `"terminated"`, counts{instances: 1, scheduled: 1}},
			{1, "GET", status, "", nil, 404, "iMetal.0100", counts{}},
			{0, "DELETE", base + "/instances/" + id, "", nil, 404, "iMetal.0100", counts{}},
		})
	})
	t.Run("ECS job without a token: the retention period after it ends", func(t *testing.T) {
		srv, clock := retentionServer(t, retention)
		_, body := direct(srv, "POST", "/v1.1/"+DefaultProject+"/cloudservers", ecsCreateBody)
		job := base + "/jobs/" + idOf(t, body, "job_id")
		runSteps(t, srv, clock, []step{
			{4 * time.Second, "GET", job, "", nil, 200, `"SUCCESS"`, counts{jobs: 1, scheduled: 1}},
			{retention - 1, "GET", job, "", nil, 200, `"SUCCESS"`, counts{jobs: 1, scheduled: 1}},
			{1, "GET", job, "", nil, 404, "Ecs.0114", counts{}},
		})
	})
	t.Run("ECS X-Client-Token: 8 h, then Ecs.0124 for the retention period, then forgotten", func(t *testing.T) {
		srv, clock := retentionServer(t, retention)
		token := []string{"X-Client-Token", "46436810-d999-454c-bd85-e515fd258600"}
		create := "/v1.1/" + DefaultProject + "/cloudservers"
		_, body := direct(srv, "POST", create, ecsCreateBody, token...)
		jobID := idOf(t, body, "job_id")
		job := base + "/jobs/" + jobID
		both := counts{jobs: 1, tokens: 1, scheduled: 2}
		runSteps(t, srv, clock, []step{
			// The job outlives its own retention while its token can
			// still answer with it.
			{4*time.Second + retention, "GET", job, "", nil, 200, `"SUCCESS"`, both},
			{0, "POST", create, ecsCreateBody, token, 200, jobID, both},
			{tokenLifetime - retention - 4*time.Second, "POST", create, ecsCreateBody, token, 200, jobID, both}, // 8 h exactly
			{time.Second, "POST", create, ecsCreateBody, token, 400, "Ecs.0124", both},
			{retention - time.Second - 1, "GET", job, "", nil, 200, `"SUCCESS"`, both},
			{1, "GET", job, "", nil, 404, "Ecs.0114", counts{}},
			// Forgotten: the same token starts a new job.
			{0, "POST", create, ecsCreateBody, token, 200, `"job_id"`, both},
		})
	})
}

// TestListCostFollowsLiveResources: after a churn of creates and deletes,
// a project's map holds its live servers only, and has been rebuilt, so a
// list walks what is live (a Go map keeps its buckets after deletes).
// Before, a list walked every server ever created.
func TestListCostFollowsLiveResources(t *testing.T) {
	srv, clock := retentionServer(t, time.Minute)
	base := "/v1/" + DefaultProject + "/dev-servers"
	for range 3 {
		direct(srv, "POST", base, devServerBody)
	}
	var ids []string
	for range 500 {
		_, body := direct(srv, "POST", base, devServerBody)
		ids = append(ids, idOf(t, body, "id"))
	}
	for _, id := range ids {
		if status, body := direct(srv, "DELETE", base+"/"+id, ""); status != 200 {
			t.Fatalf("delete: %d %s", status, body)
		}
	}
	clock.Advance(5 * time.Second)
	if status, body := direct(srv, "GET", base+"?limit=100", ""); status != 200 || !strings.Contains(body, `"total":3`) {
		t.Fatalf("list: %d %s", status, body)
	}
	srv.devservers.mu.Lock()
	r := srv.devservers.byProject[DefaultProject]
	n, peak := len(r.m), r.peak
	srv.devservers.mu.Unlock()
	if n != 3 || peak > minRebuild {
		t.Fatalf("the project's map holds %d records, peak %d: want 3, and a rebuild once it fell to a quarter", n, peak)
	}
}

// soak runs n create/delete cycles of every API through the handler, the
// clock moving a minute per cycle: a DevServer and a CloudDC instance are
// created and deleted, an ECS create carries a fresh X-Client-Token.
func soak(b *testing.B, srv *Server, clock *ManualClock, n int) {
	base := "/v1/" + DefaultProject
	for range n {
		_, body := direct(srv, "POST", base+"/dev-servers", devServerBody)
		direct(srv, "DELETE", base+"/dev-servers/"+idOf(b, body, "id"), "")
		_, body = direct(srv, "POST", base+"/instances", instanceBody)
		direct(srv, "DELETE", base+"/instances/"+idOf(b, body, "instance_id"), "")
		if status, body := direct(srv, "POST", "/v1.1/"+DefaultProject+"/cloudservers", ecsCreateBody, "X-Client-Token", newID()); status != 200 {
			b.Fatalf("ECS create: %d %s", status, body)
		}
		clock.Advance(time.Minute)
	}
}

// heapAfterGC is the live heap once garbage is collected.
func heapAfterGC() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkSoak measures what a server retains after a create/delete soak
// (custom metrics: retained-MB, the live heap it added; records, what its
// stores hold; B/cycle, what a cycle allocates), for soaks of growing
// length, with the default
// retention and with a retention too long to end (what every soak did
// before records were reclaimed). Run it with -benchtime=1x.
func BenchmarkSoak(b *testing.B) {
	for _, r := range []struct {
		name      string
		retention time.Duration
	}{{"retention=1h", time.Hour}, {"retention=never", 100 * 365 * 24 * time.Hour}} {
		for _, cycles := range []int{1000, 4000, 16000} {
			b.Run(fmt.Sprintf("%s/cycles=%d", r.name, cycles), func(b *testing.B) {
				var retained, allocated uint64
				var held counts
				for b.Loop() {
					b.StopTimer()
					before := heapAfterGC()
					srv, clock := retentionServer(b, r.retention)
					var m0, m1 runtime.MemStats
					runtime.ReadMemStats(&m0)
					b.StartTimer()
					soak(b, srv, clock, cycles)
					b.StopTimer()
					runtime.ReadMemStats(&m1)
					allocated += m1.TotalAlloc - m0.TotalAlloc
					// Sweep as the next requests would, then measure.
					direct(srv, "GET", "/v1/"+DefaultProject+"/dev-servers", "")
					direct(srv, "GET", "/v1/"+DefaultProject+"/instances/x/status", "")
					direct(srv, "GET", "/v1/"+DefaultProject+"/jobs/x", "")
					if after := heapAfterGC(); after > before {
						retained = after - before
					}
					held = countRecords(srv)
					runtime.KeepAlive(srv)
					b.StartTimer()
				}
				b.ReportMetric(float64(retained)/(1<<20), "retained-MB")
				b.ReportMetric(float64(held.devservers+held.instances+held.jobs+held.tokens), "records")
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*cycles), "ns/cycle")
				b.ReportMetric(float64(allocated)/float64(b.N*cycles), "B/cycle")
			})
		}
	}
}

// BenchmarkListDevServers lists a project's ten live servers after a
// history of created and deleted ones: with records reclaimed, the time
// does not depend on the history. (Before, a list walked every server ever
// created: 11 ms after a 60 s soak.)
func BenchmarkListDevServers(b *testing.B) {
	for _, history := range []int{0, 10000} {
		b.Run(fmt.Sprintf("history=%d", history), func(b *testing.B) {
			srv, clock := retentionServer(b, time.Hour)
			base := "/v1/" + DefaultProject + "/dev-servers"
			for range 10 {
				direct(srv, "POST", base, devServerBody)
			}
			for range history {
				_, body := direct(srv, "POST", base, devServerBody)
				direct(srv, "DELETE", base+"/"+idOf(b, body, "id"), "")
			}
			clock.Advance(time.Minute)
			for b.Loop() {
				if status, body := direct(srv, "GET", base+"?limit=10", ""); status != http.StatusOK || !strings.Contains(body, `"total":10`) {
					b.Fatalf("%d %s", status, body)
				}
			}
		})
	}
}
