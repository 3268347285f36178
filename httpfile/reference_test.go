package httpfile

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"strings"
)

// referenceParse is the whole-file parser that Reader replaced, kept to
// hold Reader to the same answers (FuzzReaderMatchesReference).
func referenceParse(data []byte) ([]Request, error) {
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
