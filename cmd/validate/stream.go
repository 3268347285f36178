package main

import (
	"errors"
	"io"
	"runtime"
	"sync"
	"time"

	"github.com/hwspec/compute/har"
	"github.com/hwspec/compute/httpfile"
	"github.com/hwspec/compute/validate"
)

// item is one thing to report, in output order: a validated request (req
// is nil for a bare JSON body) or a problem with an input.
type item struct {
	file    string // as displayed
	index   int    // the request's index in its file
	req     *httpfile.Request
	entry   *har.Entry // instead of req, for a HAR file
	skipped int        // HAR entries not for these APIs (nothing else is set)
	res     validate.Result
	problem *validate.Finding
	// redirect: the entry's response is a 3xx its operation does not
	// document, not checked (see checkResponse).
	redirect bool
}

// job is a batch of inputs on its way through a worker; their items
// arrive on out, which the worker closes when the batch is done.
type job struct {
	ins []input
	out chan item
}

// itemsPerJob bounds the items a worker may have ready for a batch that
// is not yet being written; with the number of workers and of queued
// batches it bounds what the pipeline holds, whatever the number and size
// of the inputs.
const itemsPerJob = 8

// maxBatch bounds the inputs of one batch. Inputs are handed to a worker
// one at a time while one is idle, and in batches while all are busy, so
// that many small files cost few hand-overs and a few large ones still
// spread over the workers.
const maxBatch = 64

// stream validates the inputs that gather emits on a pool of workers and
// calls each with every item in input order, as soon as it is its turn.
// Memory is bounded by the workers' current requests plus what the
// channels hold; no input is read whole.
func stream(engine *validate.Engine, c config, stdin io.Reader, each func(item)) {
	workers := runtime.GOMAXPROCS(0)
	work := make(chan *job)
	order := make(chan *job, 2*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newWorker(engine, c, stdin)
			for j := range work {
				for _, in := range j.ins {
					w.process(in, j.out)
				}
				close(j.out)
			}
		}()
	}
	go func() {
		var batch []input
		send := func(block bool) {
			j := &job{ins: batch, out: make(chan item, itemsPerJob)}
			if block {
				work <- j
			} else {
				select {
				case work <- j:
				default:
					return // every worker is busy: the batch grows
				}
			}
			order <- j
			batch = nil
		}
		gather(c.paths, c.operation != "", func(in input) bool {
			batch = append(batch, in)
			send(len(batch) == maxBatch)
			return true
		})
		if len(batch) > 0 {
			send(true)
		}
		close(work)
		close(order)
	}()
	for j := range order {
		for it := range j.out {
			each(it)
		}
	}
	wg.Wait()
}

// worker validates inputs, reusing one .http reader for all of them.
type worker struct {
	engine *validate.Engine
	c      config
	stdin  io.Reader
	reader *httpfile.Reader
	limit  int
}

func newWorker(engine *validate.Engine, c config, stdin io.Reader) *worker {
	limit := engine.Limits().MaxBodyBytes
	r := httpfile.NewReader(nil)
	r.MaxBodyBytes = limit
	return &worker{engine: engine, c: c, stdin: stdin, reader: r, limit: limit}
}

func (w *worker) process(in input, out chan<- item) {
	file := in.display()
	if in.problem != nil {
		out <- item{file: file, problem: in.problem}
		return
	}
	src := w.stdin
	if in.path != "-" {
		f, size, err := openRegular(in.path)
		if err != nil {
			out <- item{file: file, problem: problemAt(ruleUnreadable, validate.Error, 0, "cannot read: %s", errText(err))}
			return
		}
		defer f.Close()
		// The file is read up to the size it had when opened: its end is
		// known without one more read, and a file that grows while it is
		// read does not keep the run going.
		src = io.LimitReader(f, size)
	}
	if in.har {
		w.processHAR(src, in.path, file, out)
		return
	}
	if in.json {
		body, size, err := readBody(src, w.limit)
		if err != nil {
			out <- item{file: file, problem: problemAt(ruleUnreadable, validate.Error, 0, "cannot read: %s", errText(err))}
			return
		}
		res, err := w.engine.ValidateBodySize(w.c.operation, body, size)
		if err != nil { // the operation was checked before any input was read
			out <- item{file: file, problem: problemAt(ruleUnreadable, validate.Error, 0, "%v", err)}
			return
		}
		res.Body = nil
		out <- item{file: file, res: res}
		return
	}
	w.reader.Reset(src)
	for {
		r, err := w.reader.Next()
		if err == io.EOF {
			return
		}
		var syntax *httpfile.Error
		if errors.As(err, &syntax) {
			out <- item{file: file, problem: problemAt(ruleSyntax, validate.Error, syntax.Line, "%s", syntax.Msg)}
			return
		}
		if err != nil {
			out <- item{file: file, problem: problemAt(ruleUnreadable, validate.Error, 0, "cannot read: %s", errText(err))}
			return
		}
		var now time.Time // zero: the engine's clock
		if w.c.expect {
			if now, _, err = r.Now(); err != nil {
				out <- item{file: file, problem: problemAt(ruleSyntax, validate.Error, r.Line, "%v", err)}
				return
			}
		}
		res := w.engine.Validate(validate.Request{Method: r.Method, Target: r.Target, Header: r.Header, Body: r.Body, BodySize: r.BodySize, Now: now})
		hintOperations(&res)
		res.Body, r.Body = nil, nil // not reported: free them before the item waits its turn
		out <- item{file: file, index: r.Index, req: r, res: res}
	}
}

// hintOperations points a request that matches no operation to this
// command's -list-operations; the engine, which serves other front-ends
// too, names no flag.
func hintOperations(res *validate.Result) {
	for i, f := range res.Findings {
		if f.Rule == validate.RouteUnknownRule {
			res.Findings[i].Message += " (see -list-operations)"
		}
	}
}
