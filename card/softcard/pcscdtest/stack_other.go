//go:build !linux

package pcscdtest

import (
	"testing"

	"github.com/mynasign/mynasign/internal/testenv"
)

// Start needs pcsc-lite's pcscd and the vpcd driver: Linux only.
func Start(t testing.TB, opts Options) *Stack {
	testenv.Unavailable(t, "the pcscd + vpcd test stack runs on Linux only")
	return nil
}

// StartDaemon is Linux only.
func (s *Stack) StartDaemon() {}

// StopDaemon is Linux only.
func (s *Stack) StopDaemon() {}

// WaitCard is Linux only.
func (s *Stack) WaitCard(present bool) {}

// WaitReader is Linux only.
func (s *Stack) WaitReader(reader string, present bool) {}

// Stop is Linux only.
func (s *Stack) Stop() {}
