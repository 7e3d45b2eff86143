//go:build !unix

package las

import "time"

// cpuTime is not measured on this system.
func cpuTime() (time.Duration, int64) { return 0, 0 }
