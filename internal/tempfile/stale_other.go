//go:build !unix

package tempfile

// processEnded cannot tell on this system: stale folders are left alone.
func processEnded(pid int) bool { return false }
