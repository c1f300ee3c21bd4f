package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/mynasign/mynasign/assets"
)

// The embedded BIZ UDGothic faces: every piece of text in the app, Japanese or not, is
// drawn with them, so the app looks the same on a machine without Japanese fonts.
var (
	fontRegular = fyne.NewStaticResource("BIZUDGothic-Regular.ttf", assets.FontRegular)
	fontBold    = fyne.NewStaticResource("BIZUDGothic-Bold.ttf", assets.FontBold)
	iconPNG     = fyne.NewStaticResource("icon.png", assets.Icon)
)

// Status colours of the app (results, CRL freshness). They are chosen to be told apart
// in both the light and the dark variant and never carry meaning alone: every coloured
// element also has a text or an icon.
const (
	colorNameOK   fyne.ThemeColorName = "mynasign-ok"
	colorNameWarn fyne.ThemeColorName = "mynasign-warn"
	colorNameBad  fyne.ThemeColorName = "mynasign-bad"
	colorNameTest fyne.ThemeColorName = "mynasign-test"
)

// appTheme is Fyne's default theme with the embedded Japanese font and a text-size
// factor that the user can raise (on top of the system's own scale, which Fyne applies).
type appTheme struct {
	base      fyne.Theme
	textScale float32
}

func newTheme(textScale float32) *appTheme {
	if textScale < 0.8 || textScale > 2.5 {
		textScale = 1
	}
	return &appTheme{base: theme.DefaultTheme(), textScale: textScale}
}

func (t *appTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	dark := v == theme.VariantDark
	switch n {
	case colorNameOK:
		if dark {
			return color.NRGBA{R: 0x5c, G: 0xd6, B: 0x7d, A: 0xff}
		}
		return color.NRGBA{R: 0x1e, G: 0x7e, B: 0x34, A: 0xff}
	case colorNameWarn:
		if dark {
			return color.NRGBA{R: 0xff, G: 0xc1, B: 0x4d, A: 0xff}
		}
		return color.NRGBA{R: 0x9a, G: 0x5b, B: 0x00, A: 0xff}
	case colorNameBad:
		if dark {
			return color.NRGBA{R: 0xff, G: 0x7b, B: 0x72, A: 0xff}
		}
		return color.NRGBA{R: 0xb3, G: 0x26, B: 0x1e, A: 0xff}
	case colorNameTest:
		if dark {
			return color.NRGBA{R: 0xd0, G: 0x9c, B: 0xff, A: 0xff}
		}
		return color.NRGBA{R: 0x6f, G: 0x2d, B: 0xa8, A: 0xff}
	}
	return t.base.Color(n, v)
}

// Font returns BIZ UDGothic for every style (it has no italic or monospace cut; the
// regular face is used for those so that Japanese in them still renders).
func (t *appTheme) Font(s fyne.TextStyle) fyne.Resource {
	if s.Bold {
		return fontBold
	}
	return fontRegular
}

func (t *appTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.base.Icon(n) }

func (t *appTheme) Size(n fyne.ThemeSizeName) float32 {
	s := t.base.Size(n)
	switch n {
	case theme.SizeNameText, theme.SizeNameHeadingText, theme.SizeNameSubHeadingText,
		theme.SizeNameCaptionText, theme.SizeNameInlineIcon:
		return s * t.textScale
	case theme.SizeNameLineSpacing:
		// Japanese text set in BIZ UDGothic fills its em box: give wrapped lines air.
		return (s + 3) * t.textScale
	}
	return s
}
