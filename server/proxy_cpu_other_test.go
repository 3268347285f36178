//go:build !unix

package server

import "time"

// processCPU cannot be read here: the benchmarks report no cpu-ns/op.
func processCPU() (time.Duration, bool) { return 0, false }
