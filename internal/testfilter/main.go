// Command testfilter reads "go test -json" on standard input and prints what
// plain "go test" would: the output of failed tests and one line per package.
// It also lists every skipped test with its reason, on standard output and,
// when -skips names a file, appended to it, so that "make check" can say at
// the end which checks did not run and why.
//
//	go test -json ./... | go run ./internal/testfilter -skips bin/check-skipped.txt
//
// Exit status: 0 when every package passed, 1 otherwise (a failed test or
// build, or no test events at all).
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	skips := flag.String("skips", "", "append the skipped tests and their reasons to this file")
	flag.Parse()
	var log io.Writer = io.Discard
	if *skips != "" {
		f, err := os.OpenFile(*skips, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			fmt.Fprintln(os.Stderr, "testfilter:", err)
			os.Exit(2)
		}
		defer f.Close()
		log = f
	}
	ok, err := filter(os.Stdin, os.Stdout, log)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testfilter:", err)
		os.Exit(1)
	}
	if !ok {
		os.Exit(1)
	}
}

// event is one line of "go test -json" (cmd/test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

// filter copies the plain-"go test" view of in to out, writes one line per
// skipped test to skips, and reports whether everything passed.
func filter(in io.Reader, out, skips io.Writer) (bool, error) {
	buffered := map[string][]string{} // output of each running test, by package and name
	var skipped []string
	passed, seen := true, false
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if err := json.Unmarshal(line, &e); err != nil || e.Action == "" {
			fmt.Fprintln(out, string(line)) // not an event: go test's own message
			continue
		}
		seen = true
		key := e.Package + " " + e.Test
		switch {
		case e.Action == "output" && e.Test != "":
			buffered[key] = append(buffered[key], e.Output)
		case e.Action == "output" && e.Output == "PASS\n":
			// plain go test prints only the package's "ok" line
		case e.Action == "output" || e.Action == "build-output":
			fmt.Fprint(out, e.Output)
		case e.Action == "fail" || e.Action == "build-fail":
			passed = false
			fmt.Fprint(out, strings.Join(buffered[key], ""))
			delete(buffered, key)
		case e.Action == "skip" && e.Test != "":
			skipped = append(skipped, fmt.Sprintf("%s %s: %s", e.Package, e.Test, reason(buffered[key])))
			delete(buffered, key)
		case e.Action == "pass" || e.Action == "skip":
			delete(buffered, key)
		}
	}
	if err := sc.Err(); err != nil {
		return false, err
	}
	if len(skipped) > 0 {
		fmt.Fprintf(out, "skipped %d test(s):\n", len(skipped))
		for _, s := range skipped {
			fmt.Fprintln(out, "  "+s)
			fmt.Fprintln(skips, s)
		}
	}
	return passed && seen, nil
}

// reason picks the skip message from a skipped test's output: the last line
// that is not go test's own "=== RUN" or "--- SKIP" line.
func reason(output []string) string {
	for i := len(output) - 1; i >= 0; i-- {
		l := strings.TrimSpace(output[i])
		if l == "" || strings.HasPrefix(l, "=== ") || strings.HasPrefix(l, "--- ") {
			continue
		}
		return l
	}
	return "(no reason given)"
}
