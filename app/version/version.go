// Package version holds the version of mynasign, for reports, records and --version.
//
// Release builds set it at link time:
//
//	go build -ldflags "-X github.com/mynasign/mynasign/app/version.Version=1.2.0" .
//
// Without that, String falls back to the module version or the VCS revision that the Go
// toolchain records in the binary, so a development build still says what it was built from.
package version

import (
	"runtime/debug"
	"sync"
)

// Version is the release version, set with -ldflags "-X ...version.Version=X.Y.Z".
// It is empty in development builds.
var Version = ""

// Dev is the version reported by a build that carries no version information at all.
const Dev = "0.0.0-dev"

var fromBuildInfo = sync.OnceValue(func() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return Dev
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	if rev == "" {
		return Dev
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	return Dev + "+" + rev + modified
})

// String returns the version of this build: Version when set, otherwise what the build
// information says (module version, or "0.0.0-dev+<revision>"), otherwise "0.0.0-dev".
func String() string {
	if Version != "" {
		return Version
	}
	return fromBuildInfo()
}
