package trust

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// lockFileName is a store's lock file. It is created by the first writer and stays (a
// lock file that is removed after use lets two processes each lock a different file).
const lockFileName = ".lock"

// lockWait bounds how long an import or removal waits for another one to finish. What
// runs under the lock is short (reading index headers, renames), so a wait this long
// means a process stopped while holding it. (A variable for tests.)
var lockWait = 60 * time.Second

// errStoreBusy: another process held the CRL store's lock for longer than lockWait.
var errStoreBusy = errors.New("another import or removal holds the CRL store's lock")

// lock takes the CRL store's exclusive lock (see lockDir). Imports and removals hold it
// while they decide and rename, so that each one sees what the previous one installed;
// readers never take it. The directory must exist. The returned function releases the
// lock.
func (s *Store) lock() (func(), error) { return lockDir(s.dir, "the CRL store", errStoreBusy) }

// lockDir takes the exclusive lock of a store directory: an advisory lock on its lock
// file (flock on Unix systems, LockFileEx on Windows), which the system releases when
// the process ends, however it ends. what names the store in errors; busy is returned
// when another holder keeps the lock longer than lockWait.
func lockDir(dir, what string, busy error) (func(), error) {
	f, err := os.OpenFile(filepath.Join(dir, lockFileName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening the lock of %s: %w", what, err)
	}
	deadline := time.Now().Add(lockWait)
	pause := time.Millisecond
	for {
		ok, err := tryLockFile(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", what, err)
		}
		if ok {
			return func() {
				unlockFile(f)
				f.Close()
			}, nil
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, busy
		}
		time.Sleep(pause)
		pause = min(2*pause, 50*time.Millisecond)
	}
}
