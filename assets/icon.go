package assets

import _ "embed"

// Icon is the application icon (512×512 PNG), drawn by ./icongen (no third-party
// artwork): a card with a contact chip and a check-mark badge.
//
//go:generate go run ./icongen -o icon.png
//go:embed icon.png
var Icon []byte
