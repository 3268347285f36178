package validate

// Limits returns the limits the engine was built with (WithLimits, else
// DefaultLimits), so that front-ends that read a body before validating it
// (the server's middleware, AK/SK verification) stop where the engine does.
func (e *Engine) Limits() Limits {
	if len(e.apis) == 0 {
		return DefaultLimits
	}
	return e.apis[0].limits
}
