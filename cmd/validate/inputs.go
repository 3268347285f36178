package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/hwspec/compute/internal/report"
	"github.com/hwspec/compute/validate"
)

// The rule ids of findings about an input as a whole rather than a request.
// They are reported in every format, like a request's findings.
const (
	ruleUnreadable = "input.unreadable" // cannot be opened or read, or is not a regular file
	ruleSyntax     = "input.syntax"     // not a .http file (the line says where), or a bad @now
	ruleSkipped    = "input.skipped"    // met while walking a directory and not validated
	ruleEmpty      = "input.empty"      // a directory argument without a request file, or a HAR file without a request to an operation
)

// inputRules describes the input.* rule ids.
var inputRules = map[string]string{
	ruleUnreadable: "an input that cannot be opened or read, or is not a regular file, or a request body a HAR entry stores beside the file that cannot be read",
	ruleSyntax:     "an input that is not a well-formed .http or HAR file",
	ruleSkipped:    "a file that was not validated: a bare JSON body without -operation, or a FIFO or device met while walking a directory",
	ruleEmpty:      "a directory with no request file to validate, or a HAR file with no request to one of the operations",
}

// input is one file to validate, or a problem found while gathering.
type input struct {
	path    string // as given or found; "-" is standard input
	json    bool   // a bare JSON body rather than a .http file
	har     bool   // a HAR file
	problem *validate.Finding
}

func (in input) display() string { return display(in.path) }

func display(path string) string {
	if path == "-" {
		return "<stdin>"
	}
	return path
}

// problemAt is a finding about a whole input.
func problemAt(rule string, sev validate.Severity, line int, format string, args ...any) *validate.Finding {
	f := &validate.Finding{In: report.InFile, Rule: rule, Severity: sev, Message: fmt.Sprintf(format, args...)}
	if line > 0 {
		f.Line, f.Column = line, 1
	}
	return f
}

// gather expands the PATH arguments and calls emit for each input, in
// order: files as given, directories walked in lexical order for .http,
// .har and .json files. It stops when emit returns false. Nothing here
// opens a file: a FIFO met while walking is skipped on its type alone.
func gather(paths []string, haveOperation bool, emit func(input) bool) {
	for _, p := range paths {
		if p == "-" {
			if !emit(input{path: "-", json: haveOperation}) {
				return
			}
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			if !emit(input{path: p, problem: problemAt(ruleUnreadable, validate.Error, 0, "cannot read: %s", errText(err))}) {
				return
			}
			continue
		}
		if !info.IsDir() {
			if !emit(named(p, info, haveOperation)) {
				return
			}
			continue
		}
		if !walk(p, haveOperation, emit) {
			return
		}
	}
}

// named classifies a file given by name.
func named(path string, info fs.FileInfo, haveOperation bool) input {
	if !info.Mode().IsRegular() {
		return input{path: path, problem: problemAt(ruleUnreadable, validate.Error, 0, "not a regular file (%s); give a .http file, a .json body or a directory", kind(info.Mode()))}
	}
	if filepath.Ext(path) == ".json" && !haveOperation {
		return input{path: path, problem: problemAt(ruleSkipped, validate.Error, 0, "a bare JSON body needs -operation")}
	}
	if filepath.Ext(path) == ".har" {
		return input{path: path, har: true}
	}
	return input{path: path, json: haveOperation && filepath.Ext(path) != ".http"}
}

// walk emits the inputs under dir; a directory without a file to validate
// is a problem (a mistyped CI path must not pass).
func walk(dir string, haveOperation bool, emit func(input) bool) bool {
	found, skipped, stop, unreadable := 0, 0, false, false
	send := func(in input) error {
		if in.problem == nil {
			found++
		} else if in.problem.Rule == ruleSkipped {
			skipped++
		}
		if !emit(in) {
			stop = true
			return fs.SkipAll
		}
		return nil
	}
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			unreadable = unreadable || path == dir
			send(input{path: path, problem: problemAt(ruleUnreadable, validate.Error, 0, "cannot read: %s", errText(err))})
			if stop {
				return fs.SkipAll
			}
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		ext := filepath.Ext(path)
		if d.IsDir() || (ext != ".http" && ext != ".json" && ext != ".har") {
			return nil
		}
		mode := d.Type()
		if mode&fs.ModeSymlink != 0 {
			info, err := os.Stat(path)
			if err != nil {
				return send(input{path: path, problem: problemAt(ruleUnreadable, validate.Error, 0, "cannot read: %s", errText(err))})
			}
			mode = info.Mode().Type()
		}
		switch {
		case mode.IsDir():
			return nil // a link to a directory is not followed, as WalkDir does not
		case !mode.IsRegular():
			return send(input{path: path, problem: problemAt(ruleSkipped, validate.Warning, 0, "skipped: not a regular file (%s)", kind(mode))})
		case ext == ".json" && !haveOperation:
			return send(input{path: path, problem: problemAt(ruleSkipped, validate.Warning, 0, "skipped: a bare JSON body needs -operation")})
		}
		return send(input{path: path, json: ext == ".json", har: ext == ".har"})
	})
	if !stop && !unreadable && found == 0 {
		msg := "no .http, .har or .json file to validate in this directory"
		if skipped > 0 {
			msg = fmt.Sprintf("no file validated in this directory (%d skipped)", skipped)
		}
		return emit(input{path: dir, problem: problemAt(ruleEmpty, validate.Error, 0, "%s", msg)})
	}
	return !stop
}

// kind names a non-regular file mode.
func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m.IsDir():
		return "a directory"
	}
	return "not a regular file"
}

// errText is an error's text without the path that the caller prints
// anyway.
func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Op + ": " + pe.Err.Error()
	}
	return err.Error()
}

// openRegular opens a file for reading without blocking on a FIFO (the
// open is non-blocking), and refuses anything but a regular file (a FIFO,
// device or directory swapped in after gather looked at it). It returns
// the size the file had when opened.
func openRegular(path string) (*os.File, int64, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|nonBlock, 0)
	if err != nil {
		return nil, 0, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return nil, 0, fmt.Errorf("not a regular file (%s)", kind(info.Mode()))
	}
	return f, info.Size(), nil
}

// readBody reads a bare JSON body, keeping at most max+1 bytes (enough for
// the engine to see it is too large) and counting the rest; a UTF-8 byte
// order mark at the start is dropped.
func readBody(r io.Reader, max int) (body []byte, size int64, err error) {
	body, err = io.ReadAll(io.LimitReader(r, int64(max)+1+int64(len(bom))))
	if err != nil {
		return nil, 0, err
	}
	hadBOM := strings.HasPrefix(string(body[:min(len(body), len(bom))]), bom)
	if hadBOM {
		body = body[len(bom):]
	}
	size = int64(len(body))
	if len(body) > max {
		body = body[:max+1]
		rest, err := io.Copy(io.Discard, r)
		if err != nil {
			return nil, 0, err
		}
		size += rest
	}
	return body, size, nil
}

const bom = "\ufeff"
