package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/hwspec/compute/har"
	"github.com/hwspec/compute/httpfile"
	"github.com/hwspec/compute/internal/report"
	"github.com/hwspec/compute/internal/safetext"
	"github.com/hwspec/compute/validate"
)

// reporter writes items in one of the report formats as they come and
// counts them.
type reporter struct {
	w         report.Writer
	stderr    io.Writer
	sum       report.Summary
	lastFile  string
	failed    bool // an input could not be read: exit 2
	err       error
	responses string // -responses
}

func (r *reporter) add(it item) {
	if it.problem != nil {
		r.addProblem(it)
		return
	}
	if it.skipped > 0 {
		r.sum.SkippedEntries += it.skipped
		return
	}
	if it.file != r.lastFile || it.index == 0 {
		r.sum.Files++
		r.lastFile = it.file
	}
	res := report.Result{File: it.file, Index: it.index, Valid: true}
	if it.req != nil {
		res.Method, res.Path = it.req.Method, withoutPassword(it.req.Target)
	}
	if it.entry != nil {
		res.Method, res.Path, res.Entry = it.entry.Method, it.entry.URL, entryName(it.entry)
		res.Response = r.responseCheck(it.entry, it.res, it.redirect)
	}
	if it.res.Operation != nil {
		res.Operation = it.res.Operation.ID
	}
	for _, f := range it.res.Findings {
		rf := place(it.req, f)
		if it.entry != nil { // the entry's place; the finding names the rest
			rf.Line, rf.Column = it.entry.Line, it.entry.Column
		}
		if rf.Severity == validate.Error {
			res.Valid = false
		}
		res.Errors = append(res.Errors, rf)
	}
	r.sum.Requests++
	if res.Valid {
		r.sum.Valid++
	} else {
		r.sum.Invalid++
	}
	r.write(res)
}

// withoutPassword hides the password of a URL's user information
// ("https://user:xxxxx@host/…"): a secret never appears in a report. The
// path and query, which are validated, are as they were.
func withoutPassword(raw string) string {
	if !strings.Contains(raw, "@") {
		return raw // no user information: most URLs, not parsed
	}
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			return u.Redacted()
		}
	}
	return raw
}

// responseCheck says how a HAR entry's response was checked (nil when it
// was not considered: -responses=off, or an entry that is no operation's)
// and counts it; redirect is checkResponse's answer.
func (r *reporter) responseCheck(e *har.Entry, res validate.Result, redirect bool) *report.ResponseCheck {
	if !considerResponse(r.responses, res) {
		return nil
	}
	resp := e.Response
	if redirect {
		r.sum.Redirects++
		what := "a redirect"
		if resp.Status == http.StatusNotModified {
			what = "not modified, the answer to a conditional request"
		}
		return &report.ResponseCheck{Status: resp.Status, NotChecked: fmt.Sprintf("status %d (%s), which the operation does not document", resp.Status, what)}
	}
	if resp == nil || !resp.Answered() {
		r.sum.Unanswered++
		rc := &report.ResponseCheck{NotChecked: "no response recorded"}
		if resp != nil {
			rc.Status, rc.NotChecked = resp.Status, "no answer"
			if resp.Failure != "" {
				rc.NotChecked += " (" + safetext.CutRunes(resp.Failure, 160) + ")"
			}
		}
		return rc
	}
	rc := &report.ResponseCheck{Status: resp.Status, Checked: true, Drifted: slices.ContainsFunc(res.Findings, report.IsResponse)}
	r.sum.Responses++
	if rc.Drifted {
		r.sum.Drifted++
	}
	if resp.Incomplete != "" {
		r.sum.BodiesNotChecked++
		rc.NotChecked = "body not checked: " + resp.Incomplete
	}
	return rc
}

// addProblem reports a problem with an input in the format, and on
// standard error for people and scripts that read only that.
func (r *reporter) addProblem(it item) {
	p := *it.problem
	if p.Rule == ruleSkipped && p.Severity == validate.Warning {
		r.sum.Skipped++
	} else {
		r.sum.InputErrors++
		r.failed = true
	}
	warnProblem(r.stderr, it.file, p)
	r.write(report.Result{File: it.file, Index: it.index, Valid: p.Severity != validate.Error, Errors: []validate.Finding{p}})
}

func (r *reporter) write(res report.Result) {
	if r.err == nil {
		r.err = r.w.Write(res)
	}
}

// warnProblem writes one line about a problem with an input on standard
// error: "validate: FILE[:LINE]: message", or "validate: notice: ..." for
// a skipped file.
func warnProblem(stderr io.Writer, file string, p validate.Finding) {
	level := ""
	if p.Severity == validate.Warning {
		level = "notice: "
	}
	where := safetext.Escape(file)
	if p.Line > 0 {
		where += fmt.Sprintf(": line %d", p.Line)
	}
	fmt.Fprintf(stderr, "validate: %s%s: %s\n", level, where, safetext.Escape(p.Message))
}

// place moves a finding's position from the body (or the request) to the
// input file.
func place(req *httpfile.Request, f validate.Finding) validate.Finding {
	if req == nil {
		return f // a bare JSON body: positions are the file's own
	}
	switch f.In {
	case validate.InBody:
		switch {
		case f.Line > 0 && req.BodyLine > 0:
			f.Line = req.BodyLine + f.Line - 1
		case req.BodyLine > 0:
			f.Line, f.Column = req.BodyLine, 1
		default:
			f.Line, f.Column = req.Line, 1
		}
	case validate.InHeader:
		f.Line, f.Column = req.Line, 1
		if l := req.HeaderLines[http.CanonicalHeaderKey(f.Name)]; l > 0 {
			f.Line = l
		}
	default: // path and query: the request target
		f.Line, f.Column = req.Line, len(req.Method)+2
	}
	return f
}

// expecter compares every request's findings with its "# @expect"
// comments and reports the requests that differ, as they come.
type expecter struct {
	w                       io.Writer
	stderr                  io.Writer
	requests, files, differ int
	lastFile                string
	failed                  bool
}

func (e *expecter) add(it item) {
	file := report.CleanFile(it.file)
	if it.problem != nil {
		if it.problem.Severity == validate.Error {
			e.failed = true
		}
		warnProblem(e.stderr, it.file, *it.problem)
		return
	}
	if it.skipped > 0 {
		return
	}
	if it.file != e.lastFile || it.index == 0 {
		e.files++
		e.lastFile = it.file
	}
	e.requests++
	if it.entry != nil {
		fmt.Fprintf(e.w, "%s: %s: a HAR entry has no @expect comments\n", file, safetext.Escape(entryName(it.entry)))
		e.differ++
		return
	}
	if it.req == nil {
		fmt.Fprintf(e.w, "%s: a bare JSON body has no @expect comments\n", file)
		e.differ++
		return
	}
	want, err := expected(it.req)
	if err != nil {
		fmt.Fprintf(e.w, "%s:%d: %s\n", file, it.req.Line, safetext.Escape(err.Error()))
		e.differ++
		return
	}
	got := actual(it.res)
	if !slices.Equal(want, got) {
		e.differ++
		for i := range want {
			want[i] = safetext.Escape(want[i])
		}
		for i := range got {
			got[i] = safetext.Escape(got[i])
		}
		fmt.Fprintf(e.w, "%s:%d: %q: findings differ from @expect\n  want: %s\n  got:  %s\n", file, it.req.Line, it.req.Title,
			strings.Join(want, "\n        "), strings.Join(got, "\n        "))
	}
}

// close writes the summary line and returns the exit status.
func (e *expecter) close() int {
	if e.differ > 0 {
		fmt.Fprintf(e.w, "%d of %d requests in %d files differ from their @expect comments\n", e.differ, e.requests, e.files)
		return 1
	}
	fmt.Fprintf(e.w, "%d requests in %d files: every @expect comment holds\n", e.requests, e.files)
	return 0
}

func expected(r *httpfile.Request) ([]string, error) {
	xs, err := r.Expectations()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, x := range xs {
		if x.Kind != "valid" {
			out = append(out, x.String())
		}
	}
	slices.Sort(out)
	return out, nil
}

func actual(res validate.Result) []string {
	var out []string
	for _, f := range res.Findings {
		kind := "invalid"
		if f.Severity == validate.Warning {
			kind = "warning"
		}
		out = append(out, httpfile.Expectation{Kind: kind, In: f.In, Where: f.Where(), Rule: f.Rule}.String())
	}
	slices.Sort(out)
	return out
}
