//go:build unix

package trust

import (
	"syscall"
	"time"
)

// processCPU returns the user+system CPU time the process has used (benchmarks report it
// next to wall time, which other load on the machine distorts).
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
