package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/hwspec/compute/server/validation"
	"github.com/hwspec/compute/validate"
)

// TestBodySizeSameEverywhere: one body over the engine's limit gets the
// same body.size message, byte for byte, from every front-end: the engine
// given the body whole, this command (a .http file and a bare JSON body,
// each read only up to the limit), the engine's RoundTripper and the
// server middleware (each read only up to the limit). The engine makes the
// message; a front-end passes the size it knows (the Content-Length, or
// what it counted), so a body of known size reads "has N bytes" and a
// chunked one, of which the front-end read only the first bytes, "has more
// than" the limit.
func TestBodySizeSameEverywhere(t *testing.T) {
	engine, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	limit := engine.Limits().MaxBodyBytes
	const path = "/v1.1/0123456789abcdef0123456789abcdef/cloudservers"
	body := `{"server":{"name":"` + strings.Repeat("x", 2*limit) + `"}}`
	known := fmt.Sprintf("the body has %d bytes, more than the limit of %d", len(body), limit)
	unknown := fmt.Sprintf("the body has more than %d bytes, the limit", limit)
	header := func() http.Header {
		return http.Header{"Content-Type": {"application/json"}, "X-Auth-Token": {"t"}}
	}
	// chunked hides the body's length from http.NewRequest (ContentLength 0
	// on a client request, -1 on a server one: unknown either way).
	chunked := func() io.Reader { return io.MultiReader(strings.NewReader(body)) }

	frontEnds := []struct {
		name    string
		want    string
		message func(t *testing.T) string
	}{
		{"engine, whole body", known, func(t *testing.T) string {
			res := engine.Validate(validate.Request{Method: "POST", Target: path, Header: header(), Body: []byte(body)})
			return bodySizeMessage(t, res.Findings)
		}},
		{"validate, .http file", known, func(t *testing.T) string {
			in := "POST " + path + " HTTP/1.1\nContent-Type: application/json\nX-Auth-Token: t\n\n" + body + "\n"
			return cliMessage(t, in, "-format", "json", "-")
		}},
		{"validate -operation, bare JSON body", known, func(t *testing.T) string {
			return cliMessage(t, body, "-format", "json", "-operation", "CreateServers", "-")
		}},
		{"NewTransport, Content-Length", known, func(t *testing.T) string {
			return transportMessage(t, engine, strings.NewReader(body))
		}},
		{"NewTransport, chunked", unknown, func(t *testing.T) string {
			return transportMessage(t, engine, chunked())
		}},
		{"middleware, Content-Length", known, func(t *testing.T) string {
			return middlewareMessage(t, engine, strings.NewReader(body), int64(len(body)))
		}},
		{"middleware, chunked", unknown, func(t *testing.T) string {
			return middlewareMessage(t, engine, chunked(), -1)
		}},
	}
	for _, fe := range frontEnds {
		t.Run(fe.name, func(t *testing.T) {
			if got := fe.message(t); got != fe.want {
				t.Errorf("body.size message\n got %q\nwant %q", got, fe.want)
			}
		})
	}
}

// bodySizeMessage returns the message of the one body.size finding.
func bodySizeMessage(t *testing.T, fs []validate.Finding) string {
	t.Helper()
	for _, f := range fs {
		if f.Rule == validate.BodySizeRule {
			return f.Message
		}
	}
	t.Fatalf("no body.size finding in %v", fs)
	return ""
}

// cliMessage runs this command on stdin and returns the message of its
// body.size finding from the JSON report.
func cliMessage(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	code, out, errOut := runCLI(t, stdin, args...)
	if code != 1 {
		t.Fatalf("exit %d, want 1: %s", code, errOut)
	}
	var rep struct {
		Results []struct{ Errors []validate.Finding } `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Results) != 1 {
		t.Fatalf("report %.500s: %v", out, err)
	}
	return bodySizeMessage(t, rep.Results[0].Errors)
}

// transportMessage sends the body through NewTransport and returns the
// message of the body.size finding of its refusal.
func transportMessage(t *testing.T, engine *validate.Engine, body io.Reader) string {
	t.Helper()
	req, err := http.NewRequest("POST", "https://ecs.example.com/v1.1/0123456789abcdef0123456789abcdef/cloudservers", body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header = http.Header{"Content-Type": {"application/json"}, "X-Auth-Token": {"t"}}
	next := roundTripFunc(func(*http.Request) (*http.Response, error) {
		t.Fatal("the request was sent")
		return nil, nil
	})
	_, err = validate.NewTransport(engine, next).RoundTrip(req)
	var refused *validate.RequestError
	if !errors.As(err, &refused) {
		t.Fatalf("RoundTrip: %v, want a *RequestError", err)
	}
	return bodySizeMessage(t, refused.Result.Findings)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// middlewareMessage serves the body through the validation middleware and
// returns the message of the body.size detail of its 413 (ECS format).
func middlewareMessage(t *testing.T, engine *validate.Engine, body io.Reader, contentLength int64) string {
	t.Helper()
	e := echo.New()
	e.Use(validation.Middleware(engine))
	e.Any("/*", func(echo.Context) error {
		t.Fatal("the request reached the handler")
		return nil
	})
	req := httptest.NewRequest("POST", "/v1.1/0123456789abcdef0123456789abcdef/cloudservers", body)
	req.ContentLength = contentLength
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Auth-Token", "t")
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413: %s", rec.Code, rec.Body)
	}
	var answer struct {
		Error struct {
			Details []struct{ Code, Message string }
		}
	}
	if err := json.NewDecoder(bytes.NewReader(rec.Body.Bytes())).Decode(&answer); err != nil {
		t.Fatal(err)
	}
	for _, d := range answer.Error.Details {
		if d.Code == validate.BodySizeRule {
			// The detail is the finding as Finding.String writes it.
			msg, ok := strings.CutPrefix(d.Message, validate.InBody+": ")
			msg, ok2 := strings.CutSuffix(msg, " ["+validate.BodySizeRule+"]")
			if !ok || !ok2 {
				t.Fatalf("detail %q is not a body finding", d.Message)
			}
			return msg
		}
	}
	t.Fatalf("no body.size detail in %s", rec.Body)
	return ""
}
