package report

import (
	"strings"
	"unicode"

	"github.com/hwspec/compute/internal/safetext"
)

// lineStart makes a file name safe to begin a line with. GitHub Actions
// reads a line as a workflow command when, after leading white space, it
// starts with "::" (or the older "##["); a relative file name that would do
// that gets "./" in front, which names the same file.
func lineStart(file string) string {
	rest := strings.TrimLeftFunc(file, unicode.IsSpace)
	if strings.HasPrefix(rest, "::") || strings.HasPrefix(rest, "##[") || len(rest) != len(file) {
		return "./" + file
	}
	return file
}

// CleanFile is safetext.Escape for a file name that may begin a line of text: one
// that would start as a workflow command gets "./" in front.
func CleanFile(file string) string { return lineStart(safetext.Escape(file)) }
