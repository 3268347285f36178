// Command speclint checks the embedded spec documents against the
// conventions of spec/README.md (see package internal/speclint) and exits 1
// when it finds a problem. `make lint` runs it.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/hwspec/compute/internal/speclint"
	"github.com/hwspec/compute/validate"
)

func main() { os.Exit(run(os.Stdout, os.Stderr)) }

func run(stdout, stderr io.Writer) int {
	e, err := validate.New()
	if err != nil {
		fmt.Fprintln(stderr, "speclint:", err)
		return 1
	}
	problems := speclint.Lint(e)
	for _, p := range problems {
		fmt.Fprintln(stdout, p)
	}
	if len(problems) > 0 {
		fmt.Fprintf(stderr, "speclint: %d problem(s)\n", len(problems))
		return 1
	}
	fmt.Fprintf(stdout, "speclint: %d documents, %d operations: ok\n", len(e.APIs()), len(e.Operations()))
	return 0
}
