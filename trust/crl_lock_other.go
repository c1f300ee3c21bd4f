//go:build !windows && (!unix || aix || solaris)

package trust

import (
	"os"
	"sync"
)

// Systems without flock (AIX, Solaris, WebAssembly, Plan 9; none of them a target of the
// app) serialize the imports of one process only: two processes importing into the same
// store at once are not excluded there.
var storeMu sync.Mutex

func tryLockFile(f *os.File) (bool, error) { return storeMu.TryLock(), nil }

func unlockFile(f *os.File) { storeMu.Unlock() }
