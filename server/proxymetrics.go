package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// proxyMetrics are a proxy's counters, labelled by operation ("" for a
// request that routes to none, so the label has at most one value per
// operation of the specs, plus one). Each proxy has its own registry.
type proxyMetrics struct {
	reg *prometheus.Registry
	// validated counts requests the engine checked, valid or not.
	validated *prometheus.CounterVec
	// refused counts requests answered by the proxy itself: invalid,
	// oversized, unauthenticated.
	refused *prometheus.CounterVec
	// forwarded counts requests sent to the upstream.
	forwarded *prometheus.CounterVec
	// drifted counts upstream answers that do not match the spec.
	drifted *prometheus.CounterVec
}

func newProxyMetrics() *proxyMetrics {
	m := &proxyMetrics{reg: prometheus.NewRegistry()}
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	vec := func(name, help string) *prometheus.CounterVec {
		c := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "hwspec", Subsystem: "proxy", Name: name, Help: help}, []string{"operation"})
		m.reg.MustRegister(c)
		return c
	}
	m.validated = vec("validated_total", "Requests the engine checked, valid or not.")
	m.refused = vec("refused_total", "Requests the proxy answered itself and did not forward (invalid, oversized, unauthenticated).")
	m.forwarded = vec("forwarded_total", "Requests sent to the upstream.")
	m.drifted = vec("drifted_total", "Upstream answers that do not match the spec's responses (spec drift).")
	return m
}

// handler serves the counters in the Prometheus text format.
func (m *proxyMetrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// forwardedKey is the echo.Context key forward sets, so that countRefused
// can tell a refused request from a forwarded one.
const forwardedKey = "hwspec.server.proxy.forwarded"

// countRefused counts the requests that the middleware after it answers
// without forwarding them.
func (px *proxy) countRefused(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		if forwarded, _ := c.Get(forwardedKey).(bool); !forwarded {
			px.metrics.refused.WithLabelValues(px.operationOf(c.Request())).Inc()
		}
		return err
	}
}

// operationOf is the label of a request: its operation's id, or "".
func (px *proxy) operationOf(req *http.Request) string {
	if op := px.s.engine.Route(req.Method, req.URL.RequestURI()); op != nil {
		return op.ID
	}
	return ""
}
