package report

import (
	"bufio"
	"fmt"
	"github.com/hwspec/compute/validate"
	"io"
	"strings"
)

// writeGitHub writes GitHub Actions workflow commands, one annotation per
// finding: ::error file=F,line=L,col=C,title=RULE::message.
func writeGitHub(w io.Writer, r Report) error {
	bw := bufio.NewWriter(w)
	for _, res := range r.Results {
		for _, f := range res.Errors {
			cmd := "error"
			if f.Severity == validate.Warning {
				cmd = "warning"
			}
			props := []string{"file=" + escapeProperty(res.File)}
			if f.Line > 0 {
				props = append(props, fmt.Sprintf("line=%d", f.Line))
				if f.Column > 0 {
					props = append(props, fmt.Sprintf("col=%d", f.Column))
				}
			}
			props = append(props, "title="+escapeProperty(f.Rule))
			msg := subject(f) + ": " + f.Message
			fmt.Fprintf(bw, "::%s %s::%s\n", cmd, strings.Join(props, ","), escapeData(msg))
		}
	}
	s := r.Summary
	fmt.Fprintf(bw, "::notice title=validate::%d files, %d requests: %d valid, %d invalid\n", s.Files, s.Requests, s.Valid, s.Invalid)
	return bw.Flush()
}

// escapeData escapes a workflow command's message.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
