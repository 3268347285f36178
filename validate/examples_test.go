package validate_test

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hwspec/compute/httpfile"
	"github.com/hwspec/compute/spec"
	"github.com/hwspec/compute/validate"
)

// TestExampleFiles validates every request under spec/examples and checks
// that the findings are exactly the ones its @expect lines name.
func TestExampleFiles(t *testing.T) {
	e := newEngine(t)
	files, err := fs.Glob(spec.Examples(), "*/*.http")
	if err != nil || len(files) == 0 {
		t.Fatalf("no example files: %v", err)
	}
	for _, name := range files {
		data, err := fs.ReadFile(spec.Examples(), name)
		if err != nil {
			t.Fatal(err)
		}
		reqs, err := httpfile.Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, r := range reqs {
			t.Run(fmt.Sprintf("%s/%d_%s", name, r.Index, r.Title), func(t *testing.T) {
				expects, err := r.Expectations()
				if err != nil {
					t.Fatal(err)
				}
				res := engineFor(t, e, r).Validate(validate.Request{Method: r.Method, Target: r.Target, Header: r.Header, Body: r.Body})
				var want, got []string
				for _, x := range expects {
					if x.Kind != "valid" {
						want = append(want, x.String())
					}
				}
				for _, f := range res.Findings {
					where := f.Name
					if f.In == validate.InBody {
						where = f.Pointer
					}
					kind := "invalid"
					if f.Severity == validate.Warning {
						kind = "warning"
					}
					got = append(got, httpfile.Expectation{Kind: kind, In: f.In, Where: where, Rule: f.Rule}.String())
				}
				slices.Sort(want)
				slices.Sort(got)
				if !slices.Equal(want, got) {
					t.Errorf("line %d: findings differ\nwant: %s\ngot:  %s\nmessages:\n%s", r.Line, strings.Join(want, "\n      "), strings.Join(got, "\n      "), messages(res.Findings))
				}
			})
		}
	}
}

func messages(fs []validate.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s\n", f)
	}
	return b.String()
}

// engineFor returns the shared engine, or one whose clock is the request's
// @now instant when it has one.
func engineFor(t testing.TB, shared *validate.Engine, r httpfile.Request) *validate.Engine {
	t.Helper()
	now, ok, err := r.Now()
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		return shared
	}
	e, err := validate.New(validate.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func newEngine(t testing.TB) *validate.Engine {
	t.Helper()
	e, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	return e
}
