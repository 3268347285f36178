// Package httpfile reads .http files: one or more HTTP requests written as
// text, the format of the JetBrains and VS Code REST clients.
//
// A file holds requests separated by lines starting with "###" (the rest of
// such a line is the next request's title). Each request is an optional block
// of comment lines ("#" or "//"), a request line "METHOD target [HTTP/x.y]",
// header lines "Name: value", a blank line, and the body up to the next
// separator. Comments directly inside the header block are skipped.
// Positions (1-based lines) are kept so that findings can point into the file.
package httpfile

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"strings"
)

// Request is one request of a .http file.
type Request struct {
	// Index is the 0-based position of the request in its file.
	Index int
	// Title is the text after the "###" separator that opens the request.
	Title string
	// Comments are the comment lines before the request line, without the
	// comment marker and surrounding space.
	Comments []string
	Method   string
	// Target is the request target as written (path and query, or an
	// absolute URL).
	Target string
	Header http.Header
	// Body is the body from its first non-blank line, without trailing
	// white space; line and column positions within it map onto the file
	// from BodyLine.
	Body []byte
	// Line is the line of the request line; BodyLine the first line of the
	// body (0 when there is none).
	Line     int
	BodyLine int
	// HeaderLines maps each header name (canonical form) to the line of its
	// first occurrence.
	HeaderLines map[string]int
}

// Error is a syntax error at a line of a .http file.
type Error struct {
	Line int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// MaxLineBytes is the longest line Parse accepts.
const MaxLineBytes = 4 << 20

// Parse reads every request of a .http file.
func Parse(data []byte) ([]Request, error) {
	var (
		reqs  []Request
		cur   *Request
		state int // 0: before request line, 1: headers, 2: body
		body  []string
		title string
		notes []string
	)
	const (
		preamble = iota
		headers
		inBody
	)
	flush := func() {
		if cur == nil {
			return
		}
		cur.Body = bytes.TrimRight([]byte(strings.Join(body, "\n")), " \t\r\n")
		if len(cur.Body) == 0 {
			cur.Body, cur.BodyLine = nil, 0
		}
		reqs = append(reqs, *cur)
		cur, body = nil, nil
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), MaxLineBytes)
	lineNo := 0
	for sc.Scan() {
		lineNo++
		line := strings.TrimSuffix(sc.Text(), "\r")
		if strings.HasPrefix(line, "###") {
			flush()
			state = preamble
			title = strings.TrimSpace(strings.TrimLeft(line, "#"))
			notes = nil
			continue
		}
		switch state {
		case preamble:
			trimmed := strings.TrimSpace(line)
			switch {
			case trimmed == "":
			case strings.HasPrefix(trimmed, "#"):
				notes = append(notes, strings.TrimSpace(strings.TrimPrefix(trimmed, "#")))
			case strings.HasPrefix(trimmed, "//"):
				notes = append(notes, strings.TrimSpace(strings.TrimPrefix(trimmed, "//")))
			default:
				method, target, err := parseRequestLine(trimmed)
				if err != nil {
					return nil, &Error{Line: lineNo, Msg: err.Error()}
				}
				cur = &Request{Index: len(reqs), Title: title, Comments: notes, Method: method, Target: target, Header: http.Header{}, HeaderLines: map[string]int{}, Line: lineNo}
				title, notes = "", nil
				state = headers
			}
		case headers:
			trimmed := strings.TrimSpace(line)
			switch {
			case trimmed == "":
				state = inBody
			case strings.HasPrefix(trimmed, "#") || strings.HasPrefix(trimmed, "//"):
			default:
				name, value, ok := strings.Cut(line, ":")
				name = strings.TrimSpace(name)
				if !ok || name == "" || strings.ContainsAny(name, " \t") {
					return nil, &Error{Line: lineNo, Msg: fmt.Sprintf("want a header line \"Name: value\", got %q", truncate(line))}
				}
				cur.Header.Add(name, strings.TrimSpace(value))
				if canonical := http.CanonicalHeaderKey(name); cur.HeaderLines[canonical] == 0 {
					cur.HeaderLines[canonical] = lineNo
				}
			}
		case inBody:
			if cur.BodyLine == 0 && strings.TrimSpace(line) != "" {
				cur.BodyLine = lineNo
			}
			if cur.BodyLine != 0 {
				body = append(body, line)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &Error{Line: lineNo + 1, Msg: err.Error()}
	}
	flush()
	if len(reqs) == 0 {
		return nil, &Error{Line: 1, Msg: "no request in the file"}
	}
	return reqs, nil
}

func parseRequestLine(line string) (method, target string, err error) {
	fields := strings.Fields(line)
	if len(fields) < 2 || len(fields) > 3 {
		return "", "", fmt.Errorf("want a request line \"METHOD /path HTTP/1.1\", got %q", truncate(line))
	}
	method = fields[0]
	for _, r := range method {
		if r < 'A' || r > 'Z' {
			return "", "", fmt.Errorf("method %q: want an upper-case HTTP method", truncate(method))
		}
	}
	if len(fields) == 3 && !strings.HasPrefix(fields[2], "HTTP/") {
		return "", "", fmt.Errorf("want HTTP/x.y after the target, got %q", truncate(fields[2]))
	}
	return method, fields[1], nil
}

func truncate(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}
