// Command validate checks requests to the ModelArts DevServer, CloudDC and
// ECS APIs against this module's specs, for use in CI.
//
//	validate [flags] PATH...
//
// A PATH is a .http file (one or more requests), a .har file (an HTTP
// Archive recorded by browser devtools, Playwright, Charles or mitmproxy:
// the requests of its entries for these APIs are validated and their
// recorded responses checked against the spec, see -responses; the other
// entries are skipped and counted; bodies Playwright stored beside it are
// read from its directory), a .json body (needs -operation), a directory
// (walked recursively for .http, .har and .json files), or "-" for
// standard input (a .http text, or a JSON body with -operation).
//
// Flags:
//
//	-operation ID          operationId for bare JSON bodies (e.g. CreateServers)
//	-format F              text (default), json, sarif or github
//	-allow-unknown-fields  report unknown fields as warnings instead of errors
//	-list-operations       print every operation with its method and path
//	-expect                check each request's "# @expect" comments instead
//	                       of reporting validity (how the repository checks its
//	                       own examples)
//	-version               print the version of this module the program was
//	                       built from (go install …@v1.2.3 prints v1.2.3)
//	-responses MODE        how the recorded response of each HAR entry for an
//	                       operation is checked: warn (the default: findings
//	                       are warnings, which never change the exit status,
//	                       so a recording does not fail CI because the
//	                       service drifted from its documentation), error
//	                       (findings are errors: the entry is invalid), off
//
// Exit status: 0 when every request is valid, 1 when at least one is
// invalid (or, with -responses=error, a response drifted), 2 for a usage
// error, an input that cannot be read or parsed, a directory argument
// without a request file, or a .har file without a request to one of the
// operations. A problem with an input is reported in
// every format (rules input.*) and on standard error, and the
// other inputs are still validated; a bare .json body without -operation,
// a FIFO or a device met while walking a directory is skipped with a
// notice. Inputs are read request by request and the report is written as
// it goes, so memory does not grow with the input. Values of passwords and
// other secrets never appear in any output, and no string from the input
// is printed with a raw control character.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/hwspec/compute/internal/report"
	"github.com/hwspec/compute/internal/version"
	"github.com/hwspec/compute/validate"
)

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

// loadEngine loads and compiles the specs; FuzzCLI replaces it with one
// that returns an engine it built once.
var loadEngine = func(opts ...validate.Option) (*validate.Engine, error) { return validate.New(opts...) }

// config is what the flags say.
type config struct {
	operation          string
	format             string
	allowUnknownFields bool
	listOperations     bool
	expect             bool
	version            bool
	responses          string // how HAR responses are checked: responsesWarn, responsesError or responsesOff
	paths              []string
}

// The values of -responses.
const (
	responsesWarn  = "warn"  // checked, findings reported as warnings: never the exit status
	responsesError = "error" // checked, findings are errors: a drifted response makes its entry invalid
	responsesOff   = "off"   // not checked
)

var responsesModes = []string{responsesWarn, responsesError, responsesOff}

// engineOptions are the engine settings the flags ask for.
func (c config) engineOptions() []validate.Option {
	if c.allowUnknownFields {
		return []validate.Option{validate.WithUnknownFields(validate.Warning)}
	}
	return nil
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: validate [flags] PATH...\n\n"+
			"PATH is a .http file, a .har file (HTTP Archive: the request of each entry\n"+
			"for these APIs is validated and its recorded response checked against the\n"+
			"spec, see -responses; other entries are skipped and counted), a .json body\n"+
			"(needs -operation), a directory (walked for .http, .har and .json\n"+
			"files), or - for standard input.\n\nFlags:\n")
		fs.PrintDefaults()
		fmt.Fprintf(stderr, "\nExit status: 0 all valid, 1 at least one invalid request (or, with -responses=error,\na drifted response), 2 usage error, an input that cannot be read or parsed, a directory\nwithout a request file, or a .har file without a request to one of the operations.\n")
	}
	var c config
	fs.StringVar(&c.operation, "operation", "", "operationId for bare JSON bodies (e.g. CreateServers)")
	fs.StringVar(&c.format, "format", "text", "output format: "+strings.Join(report.Formats, ", "))
	fs.BoolVar(&c.allowUnknownFields, "allow-unknown-fields", false, "report unknown fields as warnings instead of errors")
	fs.BoolVar(&c.listOperations, "list-operations", false, "print every operation with its method and path")
	fs.BoolVar(&c.expect, "expect", false, "check each request's \"# @expect\" comments instead of reporting validity")
	fs.BoolVar(&c.version, "version", false, "print the version of this module the program was built from, and exit")
	fs.StringVar(&c.responses, "responses", responsesWarn, "`mode` of checking the recorded response of each HAR entry for an operation against\n"+
		"the spec: warn (findings are warnings, which never change the exit status, so a\n"+
		"recording does not fail CI because the service drifted from its documentation),\n"+
		"error (findings are errors: a drifted response makes its entry invalid, exit 1),\n"+
		"or off")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	c.paths = fs.Args()
	switch {
	case c.listOperations, c.version:
		return c, nil
	case len(c.paths) == 0:
		fs.Usage()
		return c, errors.New("no PATH given")
	case !slices.Contains(report.Formats, c.format):
		return c, fmt.Errorf("-format %q: want one of %s", c.format, strings.Join(report.Formats, ", "))
	case !slices.Contains(responsesModes, c.responses):
		return c, fmt.Errorf("-responses %q: want one of %s", c.responses, strings.Join(responsesModes, ", "))
	case c.expect && c.format != "text":
		return c, errors.New("-expect writes text only")
	}
	return c, nil
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "validate:", err)
		return 2
	}
	if c.version {
		fmt.Fprintln(stdout, version.String("validate"))
		return 0
	}
	defer tuneGC()()
	engine, err := loadEngine(c.engineOptions()...)
	if err != nil {
		fmt.Fprintln(stderr, "validate: loading the specs:", err)
		return 2
	}
	if c.listOperations {
		listOperations(stdout, engine)
		return 0
	}
	if c.operation != "" {
		if op := engine.Operation(c.operation); op == nil || op.RequestSchema() == nil {
			fmt.Fprintf(stderr, "validate: -operation %q is not an operation that takes a JSON body (see -list-operations)\n", c.operation)
			return 2
		}
	}
	if stdins := len(slices.DeleteFunc(slices.Clone(c.paths), func(p string) bool { return p != "-" })); stdins > 1 {
		fmt.Fprintln(stderr, "validate: standard input (-) given twice")
		return 2
	}
	if c.expect {
		e := &expecter{w: stdout, stderr: stderr}
		stream(engine, c, stdin, e.add)
		status := e.close()
		if e.failed {
			return 2
		}
		return status
	}
	tool := report.Tool{Name: "hwspec-validate", Version: version.Number(), InformationURI: "https://github.com/hwspec/compute"}
	info := func(id string) string {
		if d, ok := inputRules[id]; ok {
			return d
		}
		return engine.RuleInfo(id)
	}
	w, err := report.NewWriter(stdout, c.format, tool, info)
	if err != nil {
		fmt.Fprintln(stderr, "validate:", err)
		return 2
	}
	r := &reporter{w: w, stderr: stderr, responses: c.responses}
	stream(engine, c, stdin, r.add)
	if r.err == nil {
		r.err = w.Close(r.sum)
	}
	switch {
	case r.err != nil:
		fmt.Fprintln(stderr, "validate:", r.err)
		return 2
	case r.failed:
		return 2
	case r.sum.Invalid > 0:
		return 1
	}
	return 0
}

func listOperations(w io.Writer, e *validate.Engine) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "OPERATION\tMETHOD\tPATH\tAPI")
	for _, op := range e.Operations() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", op.ID, op.Method, op.Path, op.API.Name)
	}
	tw.Flush()
}

// tuneGC lets the heap grow to five times its live size between
// collections (GOGC=400) under a soft limit of 128 MiB, unless GOGC or
// GOMEMLIMIT is set, and returns a function that restores the settings.
// The CLI's live heap is small and bounded (the compiled specs and a few
// requests in flight), so this halves the collector's share of a run
// (BenchmarkFiles) for a few MB of peak memory (docs/benchmarks.md).
func tuneGC() (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	percent := debug.SetGCPercent(400)
	limit := debug.SetMemoryLimit(128 << 20)
	return func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
}
