package report

import (
	"bufio"
	"fmt"
	"io"

	"github.com/hwspec/compute/internal/safetext"
	"github.com/hwspec/compute/validate"
)

// textWriter writes one line per finding, "file:line:col: in where: message
// [rule]" ("warning: " before warnings), then a summary line. Every
// string from the input is passed through Clean, and a line never starts
// as a workflow command.
type textWriter struct {
	bw *bufio.Writer
}

func newText(w io.Writer) *textWriter { return &textWriter{bw: bufio.NewWriter(w)} }

func (t *textWriter) Write(res Result) error {
	file := CleanFile(res.File)
	for _, f := range res.Errors {
		level := ""
		if f.Severity == validate.Warning {
			level = "warning: "
		}
		fmt.Fprintf(t.bw, "%s: %s%s%s: %s [%s]\n", location(file, f.Line, f.Column), level, safetext.Escape(entryPrefix(res)), safetext.Escape(subject(f)), safetext.Escape(f.Message), safetext.Escape(f.Rule))
	}
	return nil
}

func (t *textWriter) Close(s Summary) error {
	fmt.Fprintln(t.bw, summaryLine(s))
	return t.bw.Flush()
}
