package client

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/hwspec/compute/aksk"
	"github.com/hwspec/compute/validate"
)

// doer is the HttpRequestDoer of the generated clients: it validates the
// request before the first attempt, then sends it with credentials,
// retrying as the call's retry mode allows, and checks each answer when
// answers are checked.
type doer struct{ c *Client }

func (d *doer) Do(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body.Close()
	}
	if err := d.preflight(req, body); err != nil {
		return nil, err
	}
	ctx := req.Context()
	cl := callOf(ctx)
	mode := retryModeOf(ctx)
	policy := d.c.cfg.retry
	for attempt := 1; ; attempt++ {
		resp, err := d.attempt(req, body)
		drifted := err == nil && d.c.checkAnswer(cl, resp)
		if drifted || attempt >= policy.MaxAttempts || !retryable(mode, resp, err) {
			return resp, err
		}
		wait := backoff(policy, attempt)
		if resp != nil {
			if ra, ok := retryAfter(resp.Header.Get("Retry-After"), d.c.cfg.now()); ok {
				wait = min(ra, policy.MaxDelay) // the service's word, within the policy's bound
			}
			io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
			resp.Body.Close()
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// attempt sends the request once, with fresh credentials and a per-attempt
// timeout.
func (d *doer) attempt(orig *http.Request, body []byte) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(orig.Context(), d.c.cfg.timeout)
	req := orig.Clone(ctx)
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.ContentLength = int64(len(body))
	req.Header.Set("User-Agent", d.c.cfg.userAgent)
	if creds := d.c.cfg.creds; creds.Token != "" {
		req.Header.Set("X-Auth-Token", creds.Token)
	} else {
		aksk.Sign(req, body, creds.AccessKey, creds.SecretKey, d.c.cfg.now())
	}
	resp, err := d.c.cfg.httpClient.Do(req)
	if err != nil {
		cancel()
		return nil, err
	}
	// The attempt's timeout covers reading the body too; release it when
	// the caller closes the body. The body is read at most up to
	// MaxAnswerBytes, so a broken or hostile endpoint cannot fill memory.
	resp.Body = &answerBody{r: resp.Body, left: MaxAnswerBytes, cancel: cancel}
	return resp, nil
}

// MaxAnswerBytes bounds the body of an answer the client reads. Answers of
// these services are kilobytes (a full page of a list is under 1 MiB); a
// longer one fails the call with ErrAnswerTooLarge.
const MaxAnswerBytes = 32 << 20

// ErrAnswerTooLarge is the error of a call whose answer had a body longer
// than MaxAnswerBytes.
var ErrAnswerTooLarge = errors.New("client: the answer's body is longer than MaxAnswerBytes (32 MiB)")

// answerBody reads an answer's body up to a bound and cancels the
// attempt's context when closed.
type answerBody struct {
	r      io.ReadCloser
	left   int64
	cancel context.CancelFunc
}

func (b *answerBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One byte more tells a body of exactly the bound from a longer one.
		var one [1]byte
		n, err := b.r.Read(one[:])
		if n > 0 {
			return 0, ErrAnswerTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *answerBody) Close() error {
	err := b.r.Close()
	b.cancel()
	return err
}

// preflight validates the request with the engine; credentials are not
// checked, because the doer adds them.
func (d *doer) preflight(req *http.Request, body []byte) error {
	if !d.c.preflight {
		return nil
	}
	res := d.c.engine.Validate(validate.Request{Method: req.Method, Target: req.URL.RequestURI(), Header: req.Header, Body: body})
	var errs []validate.Finding
	for _, f := range res.Findings {
		if f.Severity == validate.Error && f.Rule != validate.SecurityMissingRule {
			errs = append(errs, f)
		}
	}
	if len(errs) > 0 {
		op := ""
		if res.Operation != nil {
			op = res.Operation.ID
		}
		return &ValidationError{Operation: op, Findings: errs}
	}
	return nil
}

// retryable decides whether a failed attempt may be repeated.
func retryable(mode retryMode, resp *http.Response, err error) bool {
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return false
		}
		return mode == retrySafe || notSent(err)
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return true // throttled before any work was done
	case resp.StatusCode >= 500:
		return mode == retrySafe
	}
	return false
}

// notSent reports whether a transport error happened before the request
// could reach the service: the connection was never made.
func notSent(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// backoff is exponential with full jitter: a random wait up to
// BaseDelay·2^(attempt-1), capped at MaxDelay.
func backoff(p RetryPolicy, attempt int) time.Duration {
	ceiling := p.BaseDelay << (attempt - 1)
	if ceiling <= 0 || ceiling > p.MaxDelay {
		ceiling = p.MaxDelay
	}
	if ceiling <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(ceiling))) + 1
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
