//go:build !unix

package cli

// presenceSignals: there are no user signals here; use remove/insert on standard input.
func presenceSignals() (<-chan string, func()) { return nil, func() {} }
