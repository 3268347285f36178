package client

import (
	"context"
	"time"
)

// WaitOption configures a waiter.
type WaitOption func(*waitConfig)

type waitConfig struct{ first, max time.Duration }

// PollInterval sets the first pause between polls (default 1 s) and the
// longest (default 15 s); each pause is 1.5 times the previous one.
func PollInterval(first, max time.Duration) WaitOption {
	return func(c *waitConfig) { c.first, c.max = first, max }
}

// poll calls check until it reports done or fails, pausing between calls
// with a growing interval; the context ends the wait.
func poll(ctx context.Context, opts []WaitOption, check func() (done bool, err error)) error {
	cfg := waitConfig{first: time.Second, max: 15 * time.Second}
	for _, o := range opts {
		o(&cfg)
	}
	pause := cfg.first
	for {
		done, err := check()
		if err != nil || done {
			return err
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		pause = min(pause*3/2, cfg.max)
	}
}
