package assets

import _ "embed"

// FontRegular is BIZ UDGothic Regular (SIL Open Font License 1.1, see fonts/OFL.txt): the
// universal-design Japanese typeface municipalities use. The GUI's theme and the PDF
// signature appearance render Japanese with it, so the app does not depend on the fonts
// installed on the machine.
//
//go:embed fonts/BIZUDGothic-Regular.ttf
var FontRegular []byte

// FontBold is BIZ UDGothic Bold (same licence).
//
//go:embed fonts/BIZUDGothic-Bold.ttf
var FontBold []byte
