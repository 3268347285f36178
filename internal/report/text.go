package report

import (
	"bufio"
	"fmt"
	"github.com/hwspec/compute/validate"
	"io"
)

// writeText writes one line per finding, "file:line:col: in where: message
// [rule]" ("warning: " before warnings), then a summary line.
func writeText(w io.Writer, r Report) error {
	bw := bufio.NewWriter(w)
	for _, res := range r.Results {
		for _, f := range res.Errors {
			level := ""
			if f.Severity == validate.Warning {
				level = "warning: "
			}
			fmt.Fprintf(bw, "%s: %s%s: %s [%s]\n", location(res.File, f.Line, f.Column), level, subject(f), f.Message, f.Rule)
		}
	}
	s := r.Summary
	fmt.Fprintf(bw, "%d %s, %d %s: %d valid, %d invalid\n", s.Files, plural(s.Files, "file", "files"), s.Requests, plural(s.Requests, "request", "requests"), s.Valid, s.Invalid)
	return bw.Flush()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
