package validate

import (
	"net/http"
	"os"
	"runtime"
	"testing"
)

// cachedSchemas counts the entries of the open-schema cache.
func cachedSchemas() int {
	n := 0
	openSchemas.Range(func(_, _ any) bool { n++; return true })
	return n
}

// TestOpenSchemaCacheLetsGo: the open copies of a discarded engine's
// response schemas leave the cache once the engine is collected.
func TestOpenSchemaCacheLetsGo(t *testing.T) {
	data, err := os.ReadFile("testdata/response/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	before := cachedSchemas()
	func() {
		e, err := FromSources([]Source{{Name: "response", Data: data}})
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if _, err := e.ValidateResponse("PutThing", Response{Status: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"name":"a"}`)}); err != nil {
				t.Fatal(err)
			}
		}
		if got := cachedSchemas(); got != before+1 {
			t.Fatalf("%d cached schemas after two checks of one response, want %d", got, before+1)
		}
	}()
	// Cleanups run on their own goroutine after a collection; a few rounds
	// give it the chance. The loop is bounded by rounds, not by time.
	for i := 0; i < 100 && cachedSchemas() > before; i++ {
		runtime.GC()
		runtime.Gosched()
	}
	if got := cachedSchemas(); got != before {
		t.Errorf("%d cached schemas after the engine was collected, want %d", got, before)
	}
}
