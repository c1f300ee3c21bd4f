//go:build !unix

package cli

// validFD accepts any non-negative descriptor; a bad one fails at the first read.
func validFD(fd int) bool { return fd >= 0 }
