//go:build unix

package las

import (
	"syscall"
	"time"
)

// cpuTime returns the user and system CPU time this process has used and its minor page faults
// (first touches of fresh memory, which on a virtual machine can cost as much as the parsing).
func cpuTime() (time.Duration, int64) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), int64(ru.Minflt)
}
