package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// pushButton is the app's push button: Fyne's button with two changes for keyboard
// users.
//   - A ring is drawn around it while it has the keyboard focus. Fyne only tints a
//     focused button with the focus colour, which does not show on a primary button
//     (drawn in that same colour).
//   - Enter presses it, as Space does (Fyne's button takes Space only); the other keys
//     go on to the window's key handler (UI.typedKey): Escape goes back or closes the
//     dialog whatever button has the focus (Fyne gives a key only to the focused
//     widget when there is one).
type pushButton struct {
	widget.Button
	focused bool
}

// newButton is a button with a label, an icon (nil for none) and its action.
func newButton(label string, icon fyne.Resource, tapped func()) *pushButton {
	b := &pushButton{}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// FocusGained shows the ring.
func (b *pushButton) FocusGained() {
	b.focused = true
	b.Button.FocusGained()
}

// FocusLost hides the ring.
func (b *pushButton) FocusLost() {
	b.focused = false
	b.Button.FocusLost()
}

// TypedKey presses the button on Space and Enter and passes other keys to the window.
func (b *pushButton) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeySpace, fyne.KeyReturn, fyne.KeyEnter:
		b.Button.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace, Physical: ev.Physical})
	default:
		passKeyOn(b, ev)
	}
}

// press runs the button's action as a tap would, if it is shown and enabled.
func (b *pushButton) press() {
	if b != nil && b.Visible() && !b.Disabled() && b.OnTapped != nil {
		b.OnTapped()
	}
}

// CreateRenderer is Fyne's button renderer with the focus ring on top.
func (b *pushButton) CreateRenderer() fyne.WidgetRenderer {
	ring := canvas.NewRectangle(color.Transparent)
	ring.Hide()
	return &ringRenderer{WidgetRenderer: b.Button.CreateRenderer(), b: b, ring: ring}
}

// focusRingWidth is the width of the focus ring, and its gap to the button's edge.
const focusRingWidth = 2

type ringRenderer struct {
	fyne.WidgetRenderer
	b    *pushButton
	ring *canvas.Rectangle
}

func (r *ringRenderer) Objects() []fyne.CanvasObject {
	return append(r.WidgetRenderer.Objects(), r.ring)
}

func (r *ringRenderer) Layout(size fyne.Size) {
	r.WidgetRenderer.Layout(size)
	// Just outside the button: the ring never covers the label, whatever its colours.
	r.ring.Move(fyne.NewPos(-focusRingWidth, -focusRingWidth))
	r.ring.Resize(size.AddWidthHeight(2*focusRingWidth, 2*focusRingWidth))
}

func (r *ringRenderer) Refresh() {
	r.WidgetRenderer.Refresh()
	th := r.b.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.ring.StrokeColor = th.Color(theme.ColorNameForeground, v)
	r.ring.StrokeWidth = focusRingWidth
	r.ring.CornerRadius = th.Size(theme.SizeNameInputRadius) + focusRingWidth
	r.ring.Hidden = !r.b.focused || r.b.Disabled()
	r.ring.Refresh()
}
