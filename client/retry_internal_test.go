package client

import (
	"context"
	"errors"
	"net/http"
	"testing"
)

// TestRetryModeZeroValue: a call whose path never set a retry mode is
// treated as a create without an idempotency token: a 5xx or a transport
// error after the request may have been sent is not retried.
func TestRetryModeZeroValue(t *testing.T) {
	mode := retryModeOf(context.Background())
	if mode != retryUnsent {
		t.Fatalf("the mode of a context without one is %d, want retryUnsent", mode)
	}
	var zero retryMode
	for _, tc := range []struct {
		name string
		resp *http.Response
		err  error
		want bool
	}{
		{"500", &http.Response{StatusCode: 500}, nil, false},
		{"transport error after sending", nil, errors.New("connection reset by peer"), false},
		{"429", &http.Response{StatusCode: 429}, nil, true},
	} {
		if got := retryable(zero, tc.resp, tc.err); got != tc.want {
			t.Errorf("%s: retryable = %v, want %v", tc.name, got, tc.want)
		}
	}
}
