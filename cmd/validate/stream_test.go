package main

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"testing"
)

// countingWriter counts what is written to it; safe for concurrent use.
type countingWriter struct {
	mu sync.Mutex
	n  int
	b  bytes.Buffer
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.n += len(p)
	return w.b.Write(p)
}

func (w *countingWriter) written() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.n
}

// requestStream is a .http text of n invalid requests, made as it is
// read. When the reader reaches request check, it records how much output
// the CLI had written by then.
type requestStream struct {
	n, i, check int
	buf         []byte
	out         *countingWriter
	seen        int // output written when request check was read; -1 before
}

func (s *requestStream) Read(p []byte) (int, error) {
	for len(s.buf) == 0 {
		if s.i == s.n {
			return 0, io.EOF
		}
		if s.i == s.check {
			s.seen = s.out.written()
		}
		s.buf = []byte("###\nPOST /v1.1/0123456789abcdef0123456789abcdef/cloudservers HTTP/1.1\nContent-Type: application/json\nX-Auth-Token: t\n\n{\"server\":{\"name\":\"web\"}}\n")
		s.i++
	}
	n := copy(p, s.buf)
	s.buf = s.buf[n:]
	return n, nil
}

// TestOutputIsStreamed reads thousands of requests from standard input and
// checks that the report, in every format, was being written before the
// input was read to its end: the CLI does not hold the whole input or
// report in memory.
func TestOutputIsStreamed(t *testing.T) {
	for _, format := range []string{"text", "github", "json", "sarif"} {
		out := &countingWriter{}
		in := &requestStream{n: 3000, check: 2000, out: out, seen: -1}
		var errOut bytes.Buffer
		if code := run([]string{"-format", format, "-"}, in, out, &errOut); code != 1 {
			t.Fatalf("%s: exit %d, want 1: %s", format, code, errOut.String())
		}
		if in.seen <= 0 {
			t.Errorf("%s: nothing was written before request %d of %d was read", format, in.check, in.n)
		}
		if !strings.Contains(out.b.String(), "3000") {
			t.Errorf("%s: the summary does not count 3000 requests", format)
		}
	}
}

// bigBody is a .http request whose one-line body has size bytes, made as
// it is read.
type bigBody struct {
	head, tail string
	size       int
	sent       int
}

func (b *bigBody) Read(p []byte) (int, error) {
	total := len(b.head) + b.size + len(b.tail)
	if b.sent == total {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && b.sent < total {
		switch {
		case b.sent < len(b.head):
			k := copy(p[n:], b.head[b.sent:])
			n, b.sent = n+k, b.sent+k
		case b.sent < len(b.head)+b.size:
			k := min(len(p)-n, len(b.head)+b.size-b.sent)
			for i := range k {
				p[n+i] = 'x'
			}
			n, b.sent = n+k, b.sent+k
		default:
			k := copy(p[n:], b.tail[b.sent-len(b.head)-b.size:])
			n, b.sent = n+k, b.sent+k
		}
	}
	return n, nil
}

// TestLargerThanAnyLimit validates a 65 MiB request (more than the 64 MiB
// the CLI once read of a file, with a body on one line longer than
// httpfile.MaxLineBytes): it is read, not refused, and reported as a body
// over the limit with its real size.
func TestLargerThanAnyLimit(t *testing.T) {
	const size = 65 << 20
	in := &bigBody{head: "POST /v1.1/0123456789abcdef0123456789abcdef/cloudservers HTTP/1.1\nContent-Type: application/json\nX-Auth-Token: t\n\n{\"a\":\"", size: size, tail: "\"}\n"}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-"}, in, &stdout, &stderr); code != 1 {
		t.Fatalf("exit %d, want 1: %s%s", code, stdout.String(), stderr.String())
	}
	want := "the body has 68157448 bytes, more than the limit of 1048576 [body.size]"
	if !strings.Contains(stdout.String(), want) {
		t.Fatalf("output lacks %q:\n%s", want, stdout.String())
	}
}
