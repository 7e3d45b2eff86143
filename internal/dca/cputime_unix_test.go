//go:build unix

package dca

import (
	"syscall"
	"time"
)

// cpuTime returns the user and system CPU time this process has used. On a busy machine the
// benchmarks' wall time per operation includes waiting for a CPU; CPU time does not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
