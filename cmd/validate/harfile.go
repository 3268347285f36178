package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/hwspec/compute/har"
	"github.com/hwspec/compute/internal/safetext"
	"github.com/hwspec/compute/validate"
)

// processHAR validates the entries of a HAR file that are requests to one
// of the operations, one entry at a time, and counts the others as
// skipped. An entry is for these APIs when its path is one of theirs: an
// entry whose path matches no operation (another service, a static file,
// a token call to IAM) or whose URL is not a URL is skipped, and so is a
// CORS preflight (OPTIONS with Access-Control-Request-Method), which the
// browser sends and the caller does not write; any other method on one of
// their paths is validated and reported (route.method). A request is
// validated at the instant it was sent (the entry's startedDateTime), so
// that time windows hold as they did then.
//
// The entry's recorded response is then checked against the operation's
// documented responses (see checkResponse). Bodies are kept up to the
// engine's body limit, as a .http file's are.
func (w *worker) processHAR(src io.Reader, file string, out chan<- item) {
	r := har.NewReader(src)
	r.MaxBodyBytes = w.limit
	validated, skipped := 0, 0
	defer func() {
		if skipped > 0 {
			out <- item{file: file, skipped: skipped}
		}
	}()
	for {
		e, err := r.Next()
		if err == io.EOF {
			break
		}
		var syntax *har.Error
		if errors.As(err, &syntax) {
			p := problemAt(ruleSyntax, validate.Error, syntax.Line, "%s", syntax.Msg)
			p.Column = syntax.Column
			out <- item{file: file, problem: p}
			return
		}
		if err != nil {
			out <- item{file: file, problem: problemAt(ruleUnreadable, validate.Error, 0, "cannot read: %s", errText(err))}
			return
		}
		if e.Method == "OPTIONS" && e.Header.Get("Access-Control-Request-Method") != "" {
			skipped++
			continue
		}
		res := w.engine.Validate(validate.Request{Method: e.Method, Target: e.URL, Header: e.Header, Body: e.Body, BodySize: e.BodySize, Now: e.Started})
		if res.Operation == nil && len(res.Findings) == 1 && (res.Findings[0].Rule == validate.RouteUnknownRule || res.Findings[0].Rule == validate.RouteTargetRule) {
			skipped++
			continue
		}
		validated++
		redirect := w.checkResponse(e, &res)
		res.Body, e.Body, e.Header = nil, nil, nil // not reported: free them before the item waits its turn
		if e.Response != nil {
			e.Response.Body, e.Response.Header = nil, nil
		}
		out <- item{file: file, index: e.Index, entry: e, res: res, redirect: redirect}
	}
	if validated == 0 {
		out <- item{file: file, problem: problemAt(ruleEmpty, validate.Error, 0, "no entry of this HAR file is a request to one of the operations (%d %s skipped)", skipped, plural(skipped, "entry", "entries"))}
	}
}

// considerResponse reports whether the response of a HAR entry whose
// request gave res is checked: with -responses other than off, when the
// request is one of the operations'.
func considerResponse(mode string, res validate.Result) bool {
	return mode != responsesOff && res.Operation != nil
}

// checkResponse checks the recorded response of an entry against the
// responses its operation documents and adds the findings (rules
// response.*) to the request's: as warnings, or as errors with
// -responses=error. A request that got no answer has nothing to check; a
// body that was not recorded whole is not checked, its status and headers
// are.
//
// A 3xx status the operation does not document is not drift: a redirect
// (a gateway sending http to https, a login page) is answered before the
// operation is reached, and the browser records the request it then
// makes as an entry of its own, whose response is checked; a 304 Not
// Modified answers a conditional request the browser's cache made, with
// no body. Nothing is added for it, and checkResponse reports true.
func (w *worker) checkResponse(e *har.Entry, res *validate.Result) (redirect bool) {
	resp := e.Response
	if !considerResponse(w.c.responses, *res) || resp == nil || !resp.Answered() {
		return false
	}
	rr, err := w.engine.ValidateResponse(res.Operation.ID, validate.Response{Status: resp.Status, Header: resp.Header, Body: resp.Body, BodySize: resp.BodySize, BodyIncomplete: resp.Incomplete != ""})
	if err != nil {
		return false // not reached: the operation is the engine's own
	}
	if resp.Status >= 300 && resp.Status < 400 && len(rr.Findings) == 1 && rr.Findings[0].Rule == validate.ResponseStatusRule {
		return true
	}
	for _, f := range rr.Findings {
		if w.c.responses == responsesWarn {
			f.Severity = validate.Warning
		}
		res.Findings = append(res.Findings, f)
	}
	return false
}

// entryName names a HAR entry in a report: "entry 3 (POST https://…)",
// with the URL cut to a readable length.
func entryName(e *har.Entry) string {
	return fmt.Sprintf("entry %d (%s %s)", e.Index, safetext.CutRunes(e.Method, 16), safetext.CutRunes(e.URL, 160))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
