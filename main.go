// Certificates with a negative serial number break RFC 5280 but are common in what
// other software signs; crypto/x509 refuses to parse them unless x509negativeserial=1.
// The verifier only reads them (a serial is compared, never issued), so they are read
// rather than making a genuine signature unverifiable. The setting applies to this
// program only; the test packages that need it carry the same directive.
//
//go:debug x509negativeserial=1

// Command mynasign signs documents with the My Number Card and verifies such signatures.
// Without arguments it starts the desktop app; with a subcommand it is the CLI.
package main

import (
	"os"

	"github.com/mynasign/mynasign/app"
	"github.com/mynasign/mynasign/app/cli"
)

func main() {
	if len(os.Args) == 1 {
		os.Exit(app.Main())
	}
	os.Exit(cli.Main(os.Args[1:]))
}
