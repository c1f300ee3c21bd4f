package tempfile

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// MkdirSystemTemp makes a registered folder in the system's temporary folder, named
// prefix-PID-random. First it removes the folders of that prefix that processes no
// longer running left behind (a process killed outright, SIGKILL or a crash, cannot
// clean up): a folder whose process may still run is never touched.
func MkdirSystemTemp(prefix string) (string, error) {
	dir := os.TempDir()
	sweep(dir, prefix)
	return MkdirTemp(dir, prefix+"-"+strconv.Itoa(os.Getpid())+"-*")
}

// sweep removes dir/prefix-PID-* folders whose process PID has ended.
func sweep(dir, prefix string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix+"-")
		if !ok || !e.IsDir() {
			continue
		}
		pidText, _, ok := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || pid <= 0 || pid == os.Getpid() {
			continue
		}
		if processEnded(pid) {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}
