package server

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hwspec/compute/validate"
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
// answers with the status: the answer is lost, the work is done. STATUS and
// TIMES are plain decimal digits. Whether OPERATION exists is checked by
// New, which knows the operations.
func ParseFault(s string) (Fault, error) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 4 || parts[0] == "" {
		return Fault{}, fmt.Errorf("fault %q: want OPERATION:STATUS[:TIMES[:DELAY]]", s)
	}
	f := Fault{Operation: parts[0]}
	status, after := strings.CutSuffix(parts[1], "+")
	f.After = after
	var ok bool
	if f.Status, ok = decimal(status, 3); !ok {
		return Fault{}, fmt.Errorf("fault %q: STATUS must be 0 or 400-599", s)
	}
	if len(parts) > 2 {
		if f.Times, ok = decimal(parts[2], 9); !ok {
			return Fault{}, fmt.Errorf("fault %q: TIMES must be a count (0: every call)", s)
		}
	}
	if len(parts) > 3 {
		var err error
		if f.Delay, err = time.ParseDuration(parts[3]); err != nil || f.Delay < 0 {
			return Fault{}, fmt.Errorf("fault %q: DELAY must be a duration such as 30s", s)
		}
	}
	if err := f.check(); err != nil {
		return Fault{}, fmt.Errorf("fault %q: %v", s, err)
	}
	return f, nil
}

// decimal reads 1 to maxDigits ASCII digits (no sign, no spaces).
func decimal(s string, maxDigits int) (int, bool) {
	if s == "" || len(s) > maxDigits || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// check reports what is wrong with a fault's values, whatever their source.
func (f Fault) check() error {
	switch {
	case f.Status != 0 && (f.Status < 400 || f.Status > 599):
		return fmt.Errorf("STATUS must be 0 or 400-599")
	case f.Times < 0:
		return fmt.Errorf("TIMES must be a count (0: every call)")
	case f.Delay < 0:
		return fmt.Errorf("DELAY must be a duration such as 30s")
	case f.Status == 0 && f.Delay == 0:
		return fmt.Errorf("a fault needs a STATUS or a DELAY")
	case f.After && f.Status == 0:
		return fmt.Errorf("'+' needs a STATUS")
	}
	return nil
}

// checkFaults refuses a fault with bad values or on an operation the
// engine does not have: such a fault would never fire, and a test of
// retries would pass for the wrong reason.
func checkFaults(rules []Fault, engine *validate.Engine) error {
	for _, f := range rules {
		if engine.Operation(f.Operation) == nil {
			var ids []string
			hint := ""
			for _, op := range engine.Operations() {
				ids = append(ids, op.ID)
				if strings.EqualFold(op.ID, f.Operation) {
					hint = fmt.Sprintf(" (did you mean %s?)", op.ID)
				}
			}
			slices.Sort(ids)
			return configErrorf("fault %q: unknown operation %q%s; the operations are %s", f.String(), f.Operation, hint, strings.Join(ids, ", "))
		}
		if err := f.check(); err != nil {
			return configErrorf("fault %q: %v", f.String(), err)
		}
	}
	return nil
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

// saturatingAdd adds two non-negative durations, stopping at the largest
// one: a fault's DELAY may be as long as time.ParseDuration allows.
func saturatingAdd(a, b time.Duration) time.Duration {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}
