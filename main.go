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
