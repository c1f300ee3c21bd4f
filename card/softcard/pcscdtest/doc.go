// Package pcscdtest runs the real PC/SC stack for tests: a private pcscd (foreground,
// its log captured to a file, stopped by PID) with the vsmartcard vpcd reader driver,
// and a software My Number Card (card/softcard) attached to the reader over vpcd.
// Tests of any package then talk to the card through libpcsclite — with card/internal/pcsc, or
// with independent clients such as OpenSC.
//
// pcscd's socket is fixed (/run/pcscd/pcscd.comm), so only one pcscd can run on a
// machine. Start takes an exclusive flock on LockPath for as long as its pcscd runs;
// other test processes (other packages, other developers) wait for it. A pcscd that is
// not ours (the system's, or systemd socket activation) makes Start refuse with an
// explanation: through testenv.Unavailable, a skip on a developer machine and a failure
// in CI.
//
// Tests that use a Stack must not run in parallel with each other.
package pcscdtest
