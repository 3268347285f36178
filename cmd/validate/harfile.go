package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"

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
// engine's body limit, as a .http file's are. A body Playwright stored
// beside the HAR file (content "attach") is read from there (see
// readAttached); a request body that cannot be is input.unreadable for
// its entry, and one that cannot be decoded (postData of an encoding other
// than base64) input.syntax, and the entry is then not validated. An
// entry that is no operation's is skipped whatever its body.
func (w *worker) processHAR(src io.Reader, path, file string, out chan<- item) {
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
		e.URL = withoutPassword(e.URL) // every report names the entry by its URL
		if e.Method == "OPTIONS" && e.Header.Get("Access-Control-Request-Method") != "" {
			skipped++
			continue
		}
		if (e.BodyFile != "" || e.BodyError != "") && w.engine.Route(e.Method, e.URL) != nil {
			var p *validate.Finding
			if e.BodyError != "" {
				p = problemAt(ruleSyntax, validate.Error, e.Line, "%s: %s", entryName(e), e.BodyError)
			} else if body, size, err := w.readAttached(path, e.BodyFile); err != nil {
				p = problemAt(ruleUnreadable, validate.Error, e.Line, "%s: the request body stored beside the HAR file (postData._file) cannot be read: %s", entryName(e), err)
			} else {
				e.Body, e.BodySize = body, size
			}
			if p != nil {
				validated++
				p.Column = e.Column
				out <- item{file: file, index: e.Index, problem: p}
				continue
			}
		}
		res := w.engine.Validate(validate.Request{Method: e.Method, Target: e.URL, Header: e.Header, Body: e.Body, BodySize: e.BodySize, Now: e.Started})
		if res.Operation == nil && len(res.Findings) == 1 && (res.Findings[0].Rule == validate.RouteUnknownRule || res.Findings[0].Rule == validate.RouteTargetRule) {
			skipped++
			continue
		}
		validated++
		redirect := w.checkResponse(path, e, &res)
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
// A 3xx status the operation does not document is not drift (the
// engine's response.redirect warning): a redirect is answered before the
// operation is reached, and the browser records the request it then makes
// as an entry of its own, whose response is checked; a 304 Not Modified
// answers a conditional request the browser's cache made. Nothing is added
// for it, and checkResponse reports true, so the summary counts it.
func (w *worker) checkResponse(path string, e *har.Entry, res *validate.Result) (redirect bool) {
	resp := e.Response
	if !considerResponse(w.c.responses, *res) || resp == nil || !resp.Answered() {
		return false
	}
	if resp.BodyFile != "" && resp.Failure == "" {
		body, size, err := w.readAttached(path, resp.BodyFile)
		if err != nil {
			resp.Incomplete = "stored beside the HAR file (content._file), which cannot be read: " + err.Error()
		} else {
			resp.Body, resp.BodySize, resp.Incomplete = body, size, ""
		}
	}
	rr, err := w.engine.ValidateResponse(res.Operation.ID, validate.Response{Status: resp.Status, Header: resp.Header, Body: resp.Body, BodySize: resp.BodySize, BodyIncomplete: resp.Incomplete != ""})
	if err != nil {
		return false // not reached: the operation is the engine's own
	}
	if len(rr.Findings) == 1 && rr.Findings[0].Rule == validate.ResponseRedirectRule {
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

// attachedName is how Playwright names a body it stores beside the HAR
// file (recordHar content "attach"): the SHA-1 of the body in hex and an
// extension.
var attachedName = regexp.MustCompile(`^[0-9a-f]{40}(\.[A-Za-z0-9_-]{1,16})?$`)

// readAttached reads a body stored beside the HAR file at harPath, keeping
// at most the engine's body limit and one byte more, and returns its size.
// It reads only a name as Playwright writes them, from the HAR file's own
// directory, and not through a symbolic link, so that a HAR file cannot
// make the command read any other file.
func (w *worker) readAttached(harPath, name string) ([]byte, int64, error) {
	if !attachedName.MatchString(name) {
		return nil, 0, fmt.Errorf("%q is not a name Playwright gives a body it attaches (the SHA-1 of the body and an extension), so it is not read", safetext.CutRunes(name, 60))
	}
	p := filepath.Join(filepath.Dir(harPath), name)
	link, err := os.Lstat(p)
	switch {
	case err != nil:
		return nil, 0, errors.New(errText(err))
	case link.Mode()&os.ModeSymlink != 0:
		return nil, 0, fmt.Errorf("%s is a symbolic link, which is not followed", name)
	}
	f, size, err := openRegular(p)
	if err != nil {
		return nil, 0, errors.New(errText(err))
	}
	defer f.Close()
	if info, err := f.Stat(); err != nil || !os.SameFile(link, info) {
		return nil, 0, fmt.Errorf("%s changed while it was opened", name)
	}
	body, err := io.ReadAll(io.LimitReader(f, int64(w.limit)+1))
	if err != nil {
		return nil, 0, errors.New(errText(err))
	}
	if len(body) == 0 {
		body = nil
	}
	return body, max(size, int64(len(body))), nil
}
