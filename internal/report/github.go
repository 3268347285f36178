package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/hwspec/compute/internal/safetext"
	"github.com/hwspec/compute/validate"
)

// githubWriter writes GitHub Actions workflow commands, one annotation per
// finding: ::error file=F,line=L,col=C,title=RULE::message. Strings from
// the input are passed through Clean first (so a control character shows
// as an escape, never as itself), then escaped by GitHub's rules for
// command properties and data (those of @actions/core).
type githubWriter struct {
	bw *bufio.Writer
}

func newGitHub(w io.Writer) *githubWriter { return &githubWriter{bw: bufio.NewWriter(w)} }

func (g *githubWriter) Write(res Result) error {
	file := escapeProperty(safetext.Escape(res.File))
	for _, f := range res.Errors {
		cmd := "error"
		if f.Severity == validate.Warning {
			cmd = "warning"
		}
		props := []string{"file=" + file}
		if f.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", f.Line))
			if f.Column > 0 {
				props = append(props, fmt.Sprintf("col=%d", f.Column))
			}
		}
		props = append(props, "title="+escapeProperty(safetext.Escape(f.Rule)))
		msg := entryPrefix(res) + subject(f) + ": " + f.Message
		fmt.Fprintf(g.bw, "::%s %s::%s\n", cmd, strings.Join(props, ","), escapeData(safetext.Escape(msg)))
	}
	return nil
}

func (g *githubWriter) Close(s Summary) error {
	fmt.Fprintf(g.bw, "::notice title=validate::%s\n", summaryLine(s))
	return g.bw.Flush()
}

var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// escapeData escapes a workflow command's message.
func escapeData(s string) string { return dataEscaper.Replace(s) }

// escapeProperty escapes a workflow command's property value.
func escapeProperty(s string) string { return propertyEscaper.Replace(s) }
