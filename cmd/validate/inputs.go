package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hwspec/compute/httpfile"
	"github.com/hwspec/compute/internal/report"
	"github.com/hwspec/compute/validate"
)

// maxFileBytes bounds what is read from one input; the engine's body limit
// is far below it.
const maxFileBytes = 64 << 20

// input is one file to validate.
type input struct {
	path string // as given or found; "-" is standard input
	json bool   // a bare JSON body rather than a .http file
}

func (in input) display() string {
	if in.path == "-" {
		return "<stdin>"
	}
	return in.path
}

// checked is one validated request.
type checked struct {
	req *httpfile.Request // nil for a bare JSON body
	res validate.Result
}

// outcome is what became of one input.
type outcome struct {
	in     input
	checks []checked
	err    error // the input could not be read or parsed
}

// gather expands the PATH arguments: files as given, directories walked in
// lexical order for .http and .json files.
func gather(paths []string, haveOperation bool) ([]input, error) {
	var out []input
	stdin := false
	for _, p := range paths {
		if p == "-" {
			if stdin {
				return nil, errors.New("standard input (-) given twice")
			}
			stdin = true
			out = append(out, input{path: "-", json: haveOperation})
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			in, err := classify(p, haveOperation, true)
			if err != nil {
				return nil, err
			}
			out = append(out, in)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				return nil
			}
			ext := filepath.Ext(path)
			if ext != ".http" && ext != ".json" {
				return nil
			}
			in, err := classify(path, haveOperation, false)
			if err != nil {
				return err
			}
			out = append(out, in)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func classify(path string, haveOperation, explicit bool) (input, error) {
	switch filepath.Ext(path) {
	case ".json":
		if !haveOperation {
			return input{}, fmt.Errorf("%s: a bare JSON body needs -operation", path)
		}
		return input{path: path, json: true}, nil
	case ".http":
		return input{path: path}, nil
	}
	if explicit {
		return input{path: path, json: haveOperation}, nil
	}
	return input{}, fmt.Errorf("%s: not a .http or .json file", path)
}

// validateAll validates the inputs in parallel; outcomes keep the inputs'
// order, so output is deterministic.
func validateAll(engine *validate.Engine, inputs []input, c config, stdin io.Reader) []outcome {
	outcomes := make([]outcome, len(inputs))
	engines := &clockEngines{shared: engine, byNow: map[time.Time]*validate.Engine{}}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(inputs), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				outcomes[i] = validateInput(engines, inputs[i], c, stdin)
			}
		}()
	}
	for i := range inputs {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return outcomes
}

func validateInput(engines *clockEngines, in input, c config, stdin io.Reader) outcome {
	data, err := readInput(in, stdin)
	if err != nil {
		return outcome{in: in, err: err}
	}
	if in.json {
		res, err := engines.shared.ValidateBody(c.operation, data)
		if err != nil {
			return outcome{in: in, err: fmt.Errorf("%s: %w", in.display(), err)}
		}
		return outcome{in: in, checks: []checked{{res: res}}}
	}
	reqs, err := httpfile.Parse(data)
	if err != nil {
		return outcome{in: in, err: fmt.Errorf("%s: %w", in.display(), err)}
	}
	out := outcome{in: in}
	for i := range reqs {
		r := &reqs[i]
		engine := engines.shared
		if c.expect {
			if engine, err = engines.forRequest(r); err != nil {
				return outcome{in: in, err: fmt.Errorf("%s: %w", in.display(), err)}
			}
		}
		res := engine.Validate(validate.Request{Method: r.Method, Target: r.Target, Header: r.Header, Body: r.Body})
		out.checks = append(out.checks, checked{req: r, res: res})
	}
	return out
}

func readInput(in input, stdin io.Reader) ([]byte, error) {
	var r io.Reader = stdin
	if in.path != "-" {
		f, err := os.Open(in.path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.display(), err)
	}
	if len(data) > maxFileBytes {
		return nil, fmt.Errorf("%s: larger than %d bytes", in.display(), maxFileBytes)
	}
	return data, nil
}

// clockEngines hands out engines whose clock is an example's "# @now"
// instant, built once per instant.
type clockEngines struct {
	shared *validate.Engine
	mu     sync.Mutex
	byNow  map[time.Time]*validate.Engine
}

func (c *clockEngines) forRequest(r *httpfile.Request) (*validate.Engine, error) {
	now, ok, err := r.Now()
	if err != nil || !ok {
		return c.shared, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.byNow[now]; e != nil {
		return e, nil
	}
	e, err := validate.New(validate.WithClock(func() time.Time { return now }))
	if err != nil {
		return nil, err
	}
	c.byNow[now] = e
	return e, nil
}

// buildReport turns outcomes into the report, placing findings in their
// files and applying -allow-unknown-fields.
func buildReport(outcomes []outcome, allowUnknown bool) report.Report {
	var rep report.Report
	for _, o := range outcomes {
		if o.err != nil {
			continue
		}
		rep.Summary.Files++
		for i, ch := range o.checks {
			res := report.Result{File: o.in.display(), Index: i, Valid: true}
			if ch.req != nil {
				res.Method, res.Path = ch.req.Method, ch.req.Target
			}
			if ch.res.Operation != nil {
				res.Operation = ch.res.Operation.ID
			}
			for _, f := range ch.res.Findings {
				rf := place(ch.req, f)
				if allowUnknown && f.Rule == "schema.additionalProperties" {
					rf.Severity = validate.Warning
				}
				if rf.Severity == validate.Error {
					res.Valid = false
				}
				res.Errors = append(res.Errors, rf)
			}
			rep.Summary.Requests++
			if res.Valid {
				rep.Summary.Valid++
			} else {
				rep.Summary.Invalid++
			}
			rep.Results = append(rep.Results, res)
		}
	}
	return rep
}

// place moves a finding's position from the body (or the request) to the
// input file.
func place(req *httpfile.Request, f validate.Finding) validate.Finding {
	if req == nil {
		return f // a bare JSON body: positions are the file's own
	}
	switch f.In {
	case validate.InBody:
		switch {
		case f.Line > 0 && req.BodyLine > 0:
			f.Line = req.BodyLine + f.Line - 1
		case req.BodyLine > 0:
			f.Line, f.Column = req.BodyLine, 1
		default:
			f.Line, f.Column = req.Line, 1
		}
	case validate.InHeader:
		f.Line, f.Column = req.Line, 1
		if l := req.HeaderLines[http.CanonicalHeaderKey(f.Name)]; l > 0 {
			f.Line = l
		}
	default: // path and query: the request target
		f.Line, f.Column = req.Line, len(req.Method)+2
	}
	return f
}

// checkExpectations compares every request's findings with its "# @expect"
// comments and reports the requests that differ.
func checkExpectations(w io.Writer, outcomes []outcome) int {
	requests, files, differ := 0, 0, 0
	for _, o := range outcomes {
		if o.err != nil {
			continue
		}
		files++
		for _, ch := range o.checks {
			requests++
			if ch.req == nil {
				fmt.Fprintf(w, "%s: a bare JSON body has no @expect comments\n", o.in.display())
				differ++
				continue
			}
			want, err := expected(ch.req)
			if err != nil {
				fmt.Fprintf(w, "%s:%d: %v\n", o.in.display(), ch.req.Line, err)
				differ++
				continue
			}
			got := actual(ch.res)
			if !slices.Equal(want, got) {
				differ++
				fmt.Fprintf(w, "%s:%d: %q: findings differ from @expect\n  want: %s\n  got:  %s\n", o.in.display(), ch.req.Line, ch.req.Title,
					strings.Join(want, "\n        "), strings.Join(got, "\n        "))
			}
		}
	}
	if differ > 0 {
		fmt.Fprintf(w, "%d of %d requests in %d files differ from their @expect comments\n", differ, requests, files)
		return 1
	}
	fmt.Fprintf(w, "%d requests in %d files: every @expect comment holds\n", requests, files)
	return 0
}

func expected(r *httpfile.Request) ([]string, error) {
	xs, err := r.Expectations()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, x := range xs {
		if x.Kind != "valid" {
			out = append(out, x.String())
		}
	}
	slices.Sort(out)
	return out, nil
}

func actual(res validate.Result) []string {
	var out []string
	for _, f := range res.Findings {
		where := f.Name
		if f.In == validate.InBody {
			where = f.Pointer
		}
		kind := "invalid"
		if f.Severity == validate.Warning {
			kind = "warning"
		}
		out = append(out, httpfile.Expectation{Kind: kind, In: f.In, Where: where, Rule: f.Rule}.String())
	}
	slices.Sort(out)
	return out
}
