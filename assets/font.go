package assets

import _ "embed"

// FontRegular is BIZ UDGothic Regular (SIL Open Font License 1.1, see fonts/OFL.txt): the
// universal-design Japanese typeface municipalities use, with fixed-width Latin. The PDF
// signature appearance and the printable records render with it, and the GUI shows
// hashes and serials in it (where every character should line up), so the app does not
// depend on the fonts installed on the machine.
//
//go:embed fonts/BIZUDGothic-Regular.ttf
var FontRegular []byte

// FontBold is BIZ UDGothic Bold (same licence).
//
//go:embed fonts/BIZUDGothic-Bold.ttf
var FontBold []byte

// FontUIRegular is BIZ UDPGothic Regular (same family and licence): the proportional
// cut, whose Latin letters and digits have their natural widths. The GUI's text uses it,
// so that English and words like "PDF" or "100%" in Japanese read normally.
//
//go:embed fonts/BIZUDPGothic-Regular.ttf
var FontUIRegular []byte

// FontUIBold is BIZ UDPGothic Bold (same licence).
//
//go:embed fonts/BIZUDPGothic-Bold.ttf
var FontUIBold []byte
