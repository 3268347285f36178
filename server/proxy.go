package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hwspec/compute/aksk"
	"github.com/hwspec/compute/server/apierror"
	"github.com/hwspec/compute/server/validation"
	"github.com/hwspec/compute/validate"
)

// DefaultUpstreamTimeout is Proxy.Timeout when it is zero: under
// DefaultHTTPLimits.WriteTimeout, so that a 504 can still be written.
const DefaultUpstreamTimeout = 25 * time.Second

// Proxy makes the server a validating reverse proxy in front of the real
// services (or anything that speaks their API) instead of a simulation.
//
// Every request goes through the validation middleware, as in simulation
// mode. An invalid one is answered in its service's error format and never
// forwarded; a valid one is forwarded to Upstream with its method, path,
// query, headers and body unchanged (the client's X-Auth-Token, and an
// AK/SK signature that covers no Host header, stay valid). The Host header
// becomes the upstream's, and hop-by-hop headers (Connection, Keep-Alive,
// TE, Trailer, Transfer-Encoding, Upgrade, Proxy-*) and inbound
// X-Forwarded-* headers are dropped, as net/http/httputil.ReverseProxy does.
// Without AccessKey the proxy authenticates nobody: the upstream does.
//
// With AccessKey and SecretKey the proxy re-signs every forwarded request
// with them (SDK-HMAC-SHA256, as the official Go SDK signs: no Host), after
// removing the client's credentials (X-Auth-Token, Authorization,
// X-Sdk-Date, X-Sdk-Content-Sha256, X-Security-Token). That makes signatures
// over the proxy's own Host usable behind it. It then authenticates its own
// clients first, with Config.Tokens and Config.Keys (which must not be
// empty) and the project isolation of simulation mode, so that it never
// relays its credentials for anyone who asks.
//
// An upstream that cannot be reached is answered 502, one that takes longer
// than Timeout 504, both in the service's error format (the *.9999 fault
// codes). Answers to requests that route to an operation are checked
// against the spec's responses (validate.Engine.ValidateResponse) and any
// finding is logged as "spec drift"; the answer reaches the client
// unchanged either way, and the check runs once it has been passed on,
// in the background (at most GOMAXPROCS checks at once; beyond, on the
// request's goroutine). Serve waits for the checks in flight when it
// shuts down.
//
// GET /metrics serves, in the Prometheus text format, the counters
// hwspec_proxy_validated_total, hwspec_proxy_refused_total,
// hwspec_proxy_forwarded_total and hwspec_proxy_drifted_total, labelled by
// operation ("" for a request that routes to none), with the Go runtime's
// and the process's. GET /healthz and GET /metrics are answered locally.
type Proxy struct {
	// Upstream is the URL requests are forwarded to: http or https, a
	// host, and optionally a path that prefixes every request's path.
	Upstream *url.URL
	// Timeout bounds each forwarded request, from sending it to the end of
	// the upstream's answer (0: DefaultUpstreamTimeout). It must be shorter
	// than HTTP.WriteTimeout.
	Timeout time.Duration
	// ReportOnly forwards invalid requests too, and only logs their
	// findings, so that a team can measure before it enforces. Bodies over
	// the engine's MaxBodyBytes are still refused (413): the proxy does
	// not hold more than that in memory.
	ReportOnly bool
	// AccessKey and SecretKey, when set, are the upstream credentials the
	// proxy re-signs forwarded requests with.
	AccessKey, SecretKey string
	// Transport sends the forwarded requests (nil: a clone of
	// http.DefaultTransport).
	Transport http.RoundTripper
}

// proxy is a Server's Proxy mode.
type proxy struct {
	s          *Server
	rp         *httputil.ReverseProxy
	timeout    time.Duration
	reportOnly bool
	ak, sk     string // the upstream key; "" passes the client's credentials through
	metrics    *proxyMetrics
	// checking holds a token for each drift check running in the
	// background; its capacity bounds them.
	checking chan struct{}
}

// forwardKey is the context key of a forwarded request's forwardInfo.
type forwardKey struct{}

// forwardInfo is what the response check and the error handler need to
// know about a forwarded request.
type forwardInfo struct {
	operation string // "" when the request routes to no operation
	api       string
	requestID string
	answer    *answer // the upstream's answer, when it is to be checked
}

// answer is what the drift check needs of an upstream's answer: its status
// and header, and the bytes of its body as they were passed on: the body
// whole, or its first limit+1 bytes.
type answer struct {
	status int
	header http.Header
	head   []byte   // a body of known length: in one buffer of that size
	parts  [][]byte // another: the pieces read, copied
	size   int      // the bytes kept in head and parts
	limit  int
	end    error // io.EOF once the body has been read to its end, or what stopped it
}

// body is the bytes kept, in one slice.
func (a *answer) body() []byte {
	if len(a.parts) == 0 {
		return a.head
	}
	b := make([]byte, 0, a.size)
	b = append(b, a.head...)
	for _, p := range a.parts {
		b = append(b, p...)
	}
	return b
}

// answerBody is an upstream answer's body that keeps what it passes on in
// its answer.
type answerBody struct {
	io.ReadCloser
	a *answer
}

// Read reads the body on to the client and keeps its first limit+1 bytes.
// A body of unknown length is kept in pieces joined once, for the check:
// about twice its size allocated in all, where a growing slice would copy
// it over and over.
func (t *answerBody) Read(p []byte) (int, error) {
	n, err := t.ReadCloser.Read(p)
	a := t.a
	if room := a.limit + 1 - a.size; room > 0 && n > 0 {
		keep := p[:min(n, room)]
		if len(a.head)+len(keep) <= cap(a.head) {
			a.head = append(a.head, keep...)
		} else {
			a.parts = append(a.parts, append([]byte(nil), keep...))
		}
		a.size += len(keep)
	}
	if err != nil && a.end == nil {
		a.end = err
	}
	return n, err
}

// invalidKey is the echo.Context key under which report-only mode keeps
// the result of an invalid request it forwards.
const invalidKey = "hwspec.server.proxy.invalid"

func (s *Server) newProxy(p Proxy) (*proxy, error) {
	u := p.Upstream
	if u == nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		shown := "none"
		if u != nil {
			shown = u.Redacted()
		}
		return nil, configErrorf("upstream %s: want an http or https URL with a host and no user, query or fragment, such as https://ecs.ap-southeast-1.myhuaweicloud.com", shown)
	}
	timeout := p.Timeout
	switch {
	case timeout < 0:
		return nil, configErrorf("upstream timeout %s: must not be negative", timeout)
	case timeout == 0:
		timeout = DefaultUpstreamTimeout
	}
	if timeout >= s.limits.WriteTimeout {
		return nil, configErrorf("upstream timeout %s: must be shorter than the write timeout (%s), so that a 504 can still be written", timeout, s.limits.WriteTimeout)
	}
	transport := p.Transport
	if transport == nil {
		transport = newUpstreamTransport()
	}
	if (p.AccessKey == "") != (p.SecretKey == "") {
		return nil, configErrorf("upstream key: set both the access key and the secret key, or neither")
	}
	px := &proxy{s: s, timeout: timeout, reportOnly: p.ReportOnly, ak: p.AccessKey, sk: p.SecretKey, metrics: newProxyMetrics(),
		checking: make(chan struct{}, runtime.GOMAXPROCS(0))}
	px.rp = &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(u)
			if px.ak != "" {
				px.resign(pr.Out)
			}
		},
		Transport:      transport,
		BufferPool:     &bufferPool{},
		ModifyResponse: px.keepAnswer,
		ErrorHandler:   px.upstreamFailed,
	}
	return px, nil
}

// register routes every request but GET /healthz and GET /metrics through
// validation (and with an upstream key, authentication first) to the
// upstream.
func (px *proxy) register(e *echo.Echo) {
	s := px.s
	e.GET("/metrics", echo.WrapHandler(px.metrics.handler()))
	chain := []echo.MiddlewareFunc{px.countRefused}
	if px.ak != "" {
		chain = append(chain, s.authenticate)
	}
	chain = append(chain, validation.Middleware(s.engine,
		validation.WithClock(s.cfg.Now),
		validation.WithErrorHandler(px.invalid)))
	e.Any("/*", px.forward, chain...)
}

// clientCredentials are the headers of a client's credentials, removed
// before the proxy signs a request with its own.
var clientCredentials = []string{"X-Auth-Token", "Authorization", aksk.DateHeader, "X-Sdk-Content-Sha256", "X-Security-Token"}

// resign replaces the client's credentials on an outgoing request by the
// upstream key's signature. The body is the one the validation middleware
// already holds in memory (at most MaxBodyBytes).
func (px *proxy) resign(out *http.Request) {
	var body []byte
	if out.Body != nil {
		body, _ = io.ReadAll(out.Body) // an in-memory reader: it does not fail
		out.Body.Close()
		out.Body = io.NopCloser(bytes.NewReader(body))
		out.ContentLength = int64(len(body))
	}
	for _, h := range clientCredentials {
		out.Header.Del(h)
	}
	aksk.Sign(out, body, px.ak, px.sk, px.s.now())
}

// invalid logs an invalid request's findings; it refuses the request, or
// in report-only mode forwards it.
func (px *proxy) invalid(c echo.Context, res validate.Result) error {
	attrs := []any{"request_id", c.Response().Header().Get("X-Request-Id"), "method", c.Request().Method}
	if res.Operation != nil {
		attrs = append(attrs, "operation", res.Operation.ID)
	}
	attrs = append(attrs, findingAttrs(res.Findings)...)
	op := ""
	if res.Operation != nil {
		op = res.Operation.ID
	}
	px.metrics.validated.WithLabelValues(op).Inc()
	if !px.reportOnly {
		px.s.log.Warn("invalid request refused", attrs...)
		return validation.Respond(c, res)
	}
	px.s.log.Warn("invalid request forwarded (report-only)", attrs...)
	c.Set(invalidKey, res)
	return px.forward(c)
}

// findingAttrs are the log attributes of findings: their rule ids and
// their text as Finding.String writes it, which never holds a secret's
// value.
func findingAttrs(fs []validate.Finding) []any {
	rules := make([]string, 0, len(fs))
	texts := make([]string, 0, len(fs))
	for _, f := range fs {
		rules = append(rules, f.Rule)
		texts = append(texts, f.String())
	}
	return []any{"rules", rules, "findings", texts}
}

// forward sends the request to the upstream and copies its answer back.
func (px *proxy) forward(c echo.Context) error {
	req := c.Request()
	info := &forwardInfo{api: apierror.APIOf(req.URL.Path), requestID: c.Response().Header().Get("X-Request-Id")}
	res, ok := c.Get(validation.ResultKey).(validate.Result)
	if !ok {
		res, _ = c.Get(invalidKey).(validate.Result)
	}
	if res.Operation != nil {
		info.operation, info.api = res.Operation.ID, res.Operation.API.Name
	}
	if ok {
		px.metrics.validated.WithLabelValues(info.operation).Inc()
	}
	px.metrics.forwarded.WithLabelValues(info.operation).Inc()
	c.Set(forwardedKey, true)
	// The answer carries the upstream's X-Request-Id, the one its
	// operators know; ours is only for answers the proxy writes itself.
	c.Response().Header().Del("X-Request-Id")
	ctx, cancel := context.WithTimeout(req.Context(), px.timeout)
	defer cancel()
	px.rp.ServeHTTP(c.Response(), req.WithContext(context.WithValue(ctx, forwardKey{}, info)))
	if info.answer != nil {
		px.checkAnswer(info)
	}
	return nil
}

// upstreamFailed answers a request the upstream did not answer: 504 after
// the timeout, 502 otherwise, nothing when the client has gone. The cause
// goes to the log only.
func (px *proxy) upstreamFailed(w http.ResponseWriter, r *http.Request, err error) {
	info, _ := r.Context().Value(forwardKey{}).(*forwardInfo)
	if info == nil {
		info = &forwardInfo{api: apierror.APIOf(r.URL.Path)}
	}
	status, msg := http.StatusBadGateway, "the upstream service could not be reached or gave no valid answer"
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		status, msg = http.StatusGatewayTimeout, "the upstream service did not answer within "+px.timeout.String()
	case errors.Is(err, context.Canceled):
		px.s.log.Info("client went away before the upstream answered", "request_id", info.requestID, "operation", info.operation)
		return
	}
	px.s.log.Error("upstream failed", "request_id", info.requestID, "operation", info.operation, "status", status, "error", err.Error())
	if info.requestID != "" {
		w.Header().Set("X-Request-Id", info.requestID)
	}
	if werr := apierror.Write(w, info.api, status, apierror.Code(info.api, apierror.Fault), msg); werr != nil {
		px.s.log.Error("writing an error response failed", "error", werr.Error())
	}
}

// keepAnswer prepares the drift check of the upstream's answer to a
// request that routes to an operation: the answer's body keeps its first
// MaxBodyBytes+1 bytes as they are copied to the client, unchanged.
func (px *proxy) keepAnswer(resp *http.Response) error {
	info, _ := resp.Request.Context().Value(forwardKey{}).(*forwardInfo)
	// A 101's body is the upgraded connection, which ReverseProxy needs
	// unwrapped; no operation of the specs switches protocols.
	if info == nil || info.operation == "" || resp.StatusCode == http.StatusSwitchingProtocols {
		return nil
	}
	limit := px.s.engine.Limits().MaxBodyBytes
	a := &answer{status: resp.StatusCode, header: resp.Header, limit: limit}
	if n := resp.ContentLength; n >= 0 && n <= int64(limit) {
		a.head = make([]byte, 0, n)
	}
	resp.Body = &answerBody{resp.Body, a}
	info.answer = a
	return nil
}

// checkAnswer checks a forwarded request's answer, once it has been passed
// on whole, off the answer's way: on a goroutine of its own while fewer
// than cap(px.checking) checks run so, else on the caller's (before its
// answer is flushed), so that the checks in flight stay bounded.
func (px *proxy) checkAnswer(info *forwardInfo) {
	select {
	case px.checking <- struct{}{}:
		go func() {
			defer func() { <-px.checking }()
			px.check(info)
		}()
	default:
		px.check(info)
	}
}

// settle waits for the drift checks running in the background to end.
// Every check of an answer a client has received whole has begun by then
// (a background one took its token before the answer's handler returned;
// another ran on the handler's goroutine): after settle its log lines and
// counters are there.
func (px *proxy) settle() {
	for range cap(px.checking) {
		px.checking <- struct{}{}
	}
	for range cap(px.checking) {
		<-px.checking
	}
}

// check validates an upstream's answer against the spec and logs its
// findings as spec drift. An answer over the engine's MaxBodyBytes, not
// read to its end, or in a content encoding other than gzip is logged as
// not checked.
func (px *proxy) check(info *forwardInfo) {
	a := info.answer
	// The log's attributes are built only for a line to write: a
	// conforming answer costs no logger.
	log := func() *slog.Logger {
		return px.s.log.With("request_id", info.requestID, "operation", info.operation, "status", a.status)
	}
	switch {
	case a.size > a.limit:
		log().Warn("response not checked: larger than the body limit", "limit", a.limit)
		return
	case !errors.Is(a.end, io.EOF):
		reason := "the answer was not read to its end"
		if a.end != nil {
			reason = a.end.Error()
		}
		log().Warn("response not checked: reading it failed", "error", reason)
		return
	}
	body, ok := decoded(a.body(), a.header.Get("Content-Encoding"), a.limit)
	if !ok {
		log().Warn("response not checked: content encoding not understood or too large", "content_encoding", a.header.Get("Content-Encoding"))
		return
	}
	res, err := px.s.engine.ValidateResponse(info.operation, validate.Response{Status: a.status, Header: a.header, Body: body})
	if err != nil {
		log().Error("response not checked", "error", err.Error())
		return
	}
	if !res.Valid() { // an undocumented redirect is a warning, not drift
		px.metrics.drifted.WithLabelValues(info.operation).Inc()
		log().Warn("spec drift", findingAttrs(res.Findings)...)
	}
}

// decoded undoes a gzip content encoding, reading at most limit bytes; ok
// is false for another encoding, a broken gzip stream or a larger body.
func decoded(body []byte, encoding string, limit int) ([]byte, bool) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "", "identity":
		return body, true
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, false
		}
		out, err := io.ReadAll(io.LimitReader(zr, int64(limit)+1))
		if err != nil || len(out) > limit {
			return nil, false
		}
		return out, true
	}
	return nil, false
}

// maxIdleUpstreamConns is how many idle connections to the upstream the
// proxy keeps: all of http.DefaultTransport's MaxIdleConns, where its
// MaxIdleConnsPerHost (2) would close, under concurrency, connections that
// the next requests then open again.
const maxIdleUpstreamConns = 100

// newUpstreamTransport is the transport of a Proxy without one: a clone
// of http.DefaultTransport that keeps maxIdleUpstreamConns idle
// connections to its one host.
func newUpstreamTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns, t.MaxIdleConnsPerHost = maxIdleUpstreamConns, maxIdleUpstreamConns
	return t
}

// bufferPool recycles the 32 KiB buffers ReverseProxy copies answers
// with, instead of allocating one per request.
type bufferPool struct{ p sync.Pool }

func (b *bufferPool) Get() []byte {
	if buf, ok := b.p.Get().(*[]byte); ok {
		return *buf
	}
	return make([]byte, 32<<10)
}

func (b *bufferPool) Put(buf []byte) { b.p.Put(&buf) }
