package server

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault makes an operation fail on purpose, so that clients can test their
// retry and failure paths.
type Fault struct {
	// Operation is the operationId it applies to (e.g. CreateServers).
	Operation string
	// Status is the HTTP status to answer with (429, 500, 503, …); 0 serves
	// the request normally after Delay.
	Status int
	// Times is how many calls it applies to, then it is spent; 0 means
	// every call.
	Times int
	// Delay is how long to wait before answering: longer than a client's
	// timeout, it is a timeout.
	Delay time.Duration
	// After serves the request first and then answers with Status instead
	// of the real answer: the work is done but the answer is lost, the case
	// idempotency tokens exist for.
	After bool
}

// ParseFault reads a fault from its command-line form
// OPERATION:STATUS[:TIMES[:DELAY]], e.g. "CreateServers:429:2" (the first
// two calls answer 429), "ShowJob:500" (every call answers 500),
// "CreateInstance:0:1:30s" (the first call waits 30 s, then is served). A
// "+" after the status ("CreateServers:500+:1") serves the request and then
// answers with the status: the answer is lost, the work is done.
func ParseFault(s string) (Fault, error) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 4 || parts[0] == "" {
		return Fault{}, fmt.Errorf("fault %q: want OPERATION:STATUS[:TIMES[:DELAY]]", s)
	}
	f := Fault{Operation: parts[0]}
	status, after := strings.CutSuffix(parts[1], "+")
	f.After = after
	var err error
	if f.Status, err = strconv.Atoi(status); err != nil || (f.Status != 0 && (f.Status < 400 || f.Status > 599)) {
		return Fault{}, fmt.Errorf("fault %q: STATUS must be 0 or 400-599", s)
	}
	if len(parts) > 2 {
		if f.Times, err = strconv.Atoi(parts[2]); err != nil || f.Times < 0 {
			return Fault{}, fmt.Errorf("fault %q: TIMES must be a count (0: every call)", s)
		}
	}
	if len(parts) > 3 {
		if f.Delay, err = time.ParseDuration(parts[3]); err != nil || f.Delay < 0 {
			return Fault{}, fmt.Errorf("fault %q: DELAY must be a duration such as 30s", s)
		}
	}
	if f.Status == 0 && f.Delay == 0 {
		return Fault{}, fmt.Errorf("fault %q: a fault needs a STATUS or a DELAY", s)
	}
	if f.After && f.Status == 0 {
		return Fault{}, fmt.Errorf("fault %q: '+' needs a STATUS", s)
	}
	return f, nil
}

// String returns the fault in its command-line form.
func (f Fault) String() string {
	after := ""
	if f.After {
		after = "+"
	}
	s := fmt.Sprintf("%s:%d%s:%d", f.Operation, f.Status, after, f.Times)
	if f.Delay > 0 {
		s += ":" + f.Delay.String()
	}
	return s
}

// faults holds the rules and how often each has fired.
type faults struct {
	mu    sync.Mutex
	rules []Fault
	fired []int
}

func newFaults(rules []Fault) *faults {
	return &faults{rules: rules, fired: make([]int, len(rules))}
}

func (f *faults) empty() bool { return len(f.rules) == 0 }

// take returns the first rule for op that is not spent, and counts it.
func (f *faults) take(op string) (Fault, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, r := range f.rules {
		if r.Operation == op && (r.Times == 0 || f.fired[i] < r.Times) {
			f.fired[i]++
			return r, true
		}
	}
	return Fault{}, false
}
