package testenv

import (
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// ResetPeakRSS returns the freed heap to the system and clears the kernel's high-water
// mark of this process's resident set (Linux: /proc/self/clear_refs "5"), so that
// PeakRSS then measures what follows. It reports whether the mark could be cleared.
func ResetPeakRSS() bool {
	debug.FreeOSMemory()
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// PeakRSS returns this process's peak resident set size in bytes since it started or
// since ResetPeakRSS (Linux: VmHWM of /proc/self/status); ok is false elsewhere.
func PeakRSS() (bytes int64, ok bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			return kb << 10, err == nil
		}
	}
	return 0, false
}

// PeakRSSMiB is PeakRSS in MiB, 0 when unknown: for b.ReportMetric.
func PeakRSSMiB() float64 {
	n, _ := PeakRSS()
	return float64(n) / (1 << 20)
}
