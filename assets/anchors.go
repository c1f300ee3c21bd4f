package assets

import (
	"embed"
	"io/fs"
	"sort"
	"strings"
)

// The J-LIS CA certificates (public data, embedded after comparing fingerprints;
// jpki-anchors.md lists them with their fingerprints and sources): the production trust
// store of mynasign. Nothing else is trusted by default. The trust package parses them; a
// test there asserts each SHA-256 fingerprint and compares them with jpki-anchors.md.
//
//go:embed jpki-*.pem
var jpkiAnchors embed.FS

// JPKIAnchor is one embedded J-LIS CA certificate file.
type JPKIAnchor struct {
	// File is the file name, e.g. "jpki-sign-ca-2019.pem".
	File string
	// PEM is the file's content (one CERTIFICATE block).
	PEM []byte
}

// JPKIAnchors returns the embedded J-LIS CA certificates, sorted by file name. The file
// name says what each is: jpki-<sign|auth>-ca-<generation>.pem.
func JPKIAnchors() []JPKIAnchor {
	entries, err := fs.Glob(jpkiAnchors, "jpki-*.pem")
	if err != nil {
		return nil // the pattern is constant and valid
	}
	sort.Strings(entries)
	out := make([]JPKIAnchor, 0, len(entries))
	for _, name := range entries {
		b, err := jpkiAnchors.ReadFile(name)
		if err != nil || !strings.HasSuffix(name, ".pem") {
			continue
		}
		out = append(out, JPKIAnchor{File: name, PEM: b})
	}
	return out
}
