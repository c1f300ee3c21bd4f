package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// tipLayer is where the results' tooltips appear: a layer over the screen's content,
// not a pop-up (a pop-up would take the pointer from the cell under it, which would
// hide the tooltip at once). It takes no pointer or keyboard events itself.
type tipLayer struct {
	widget.BaseWidget
	box  *fyne.Container
	text *textBlock
}

func newTipLayer() *tipLayer {
	l := &tipLayer{text: wrapLabel("")}
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
	bg.StrokeColor = theme.Color(theme.ColorNameShadow)
	bg.StrokeWidth = 1
	bg.CornerRadius = theme.InputRadiusSize()
	l.box = container.NewStack(bg, l.text)
	l.box.Hide()
	l.ExtendBaseWidget(l)
	return l
}

func (l *tipLayer) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewWithoutLayout(l.box))
}

// show shows text near the pointer at abs (a window position), inside the layer.
func (l *tipLayer) show(text string, abs fyne.Position) {
	if text == "" {
		l.hide()
		return
	}
	size := l.Size()
	w := min(float32(420), size.Width/2)
	l.text.SetText(text)
	l.text.Resize(fyne.NewSize(w, 1))
	tip := fyne.NewSize(w, l.text.MinSize().Height)
	origin := fyne.CurrentApp().Driver().AbsolutePositionForObject(l)
	pos := abs.Subtract(origin).AddXY(theme.Padding()*2, theme.Padding()*4)
	pos.X = max(0, min(pos.X, size.Width-tip.Width))
	if pos.Y+tip.Height > size.Height {
		pos.Y = max(0, abs.Y-origin.Y-tip.Height-theme.Padding()*2)
	}
	l.box.Move(pos)
	l.box.Resize(tip)
	l.box.Show()
	l.box.Refresh()
}

// hide hides the tooltip.
func (l *tipLayer) hide() {
	l.box.Hide()
	l.box.Refresh()
}

// shown is the text of the tooltip shown, "" when none is.
func (l *tipLayer) shown() string {
	if !l.box.Visible() {
		return ""
	}
	return l.text.Text
}
