package app

import (
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mynasign/mynasign/app/version"
	"github.com/mynasign/mynasign/card"
)

// diagScreen is 読み取り機の診断: whether the card service answers, the readers, each
// card's ATR and kind, the tries left of each PIN (read without spending any), and a
// report to copy for support. It holds no personal data: no certificate is read.
type diagScreen struct {
	u      *UI
	report *widget.Entry
	copy   *pushButton
	rerun  *pushButton
	text   string
}

// diagCard is what the diagnostics found about one reader.
type diagCard struct {
	reader  ReaderInfo
	mute    bool // a card is there but does not answer
	kind    card.Kind
	label   string
	openErr error
	pins    []diagPIN
}

type diagPIN struct {
	kind card.PINKind
	st   card.PINStatus
	err  error
}

func (u *UI) showDiagnostics() { u.startDiagnostics() }

func (u *UI) startDiagnostics() *diagScreen {
	d := &diagScreen{u: u}
	d.report = widget.NewMultiLineEntry()
	d.report.Wrapping = fyne.TextWrapWord
	d.report.TextStyle.Monospace = true
	d.report.SetMinRowsVisible(16)
	d.copy = newButton(u.t("gui.diag.copy"), theme.ContentCopyIcon(), func() {
		u.fa.Clipboard().SetContent(d.text)
	})
	d.copy.Disable()
	d.rerun = newButton(u.t("gui.diag.rerun"), theme.ViewRefreshIcon(), d.run)
	u.show(&screen{
		title:   u.t("gui.diag.title"),
		body:    container.NewBorder(wrapLabel(u.t("gui.diag.intro")), nil, nil, nil, d.report),
		actions: []fyne.CanvasObject{d.rerun, d.copy},
		focus:   d.rerun,
	})
	d.run()
	return d
}

// run collects the facts in the background and writes the report.
func (d *diagScreen) run() {
	u := d.u
	d.rerun.Disable()
	d.copy.Disable()
	d.report.SetText(u.t("gui.diag.running"))
	src := u.cards
	snap := u.watch.snapshot()
	u.goWork(func() {
		var cards []diagCard
		svcErr := snap.Err
		readers := snap.Readers
		mute := map[string]bool{}
		if !src.Test() {
			// Ask the service directly: the state now, whatever the watch last saw.
			rs, err := card.ReaderStatuses()
			svcErr = err
			if err == nil {
				readers = nil
				for _, r := range rs {
					readers = append(readers, ReaderInfo{Name: r.Name, Present: r.CardPresent, ATR: r.ATR})
					mute[r.Name] = r.Mute
				}
			}
		}
		for _, r := range readers {
			dc := diagCard{reader: r, mute: mute[r.Name]}
			if r.Present && !dc.mute {
				sess, err := src.Open(r.Name)
				if err != nil {
					dc.openErr = err
				} else {
					dc.kind, dc.label = sess.Kind(), sess.Label()
					if dc.kind == card.KindMyNumberCard {
						for _, k := range []card.PINKind{card.SignPassword, card.AuthPIN, card.TextPIN} {
							st, err := sess.PINStatus(k)
							dc.pins = append(dc.pins, diagPIN{kind: k, st: st, err: err})
						}
					}
					sess.Close()
				}
			}
			cards = append(cards, dc)
		}
		text := d.format(src.Test(), svcErr, cards)
		doUI(func() {
			d.text = text
			d.report.SetText(text)
			d.copy.Enable()
			d.rerun.Enable()
		})
	})
}

// format writes the report. It names readers, ATRs, card kinds and counters: nothing
// that identifies the holder.
func (d *diagScreen) format(test bool, svcErr error, cards []diagCard) string {
	u := d.u
	var b strings.Builder
	line := func(key string, args ...any) { b.WriteString(u.t(key, args...) + "\n") }
	line("gui.diag.r.app", version.String(), runtime.GOOS, runtime.GOARCH)
	if test {
		line("gui.diag.r.test_card", u.personaName(u.testCard.id))
	}
	switch {
	case test:
		line("gui.diag.r.service_test")
	case svcErr != nil && !errors.Is(svcErr, card.ErrNoReader):
		line("gui.diag.r.service_down", svcErr.Error())
		line("gui.diag.r.service_help", u.serviceHelp())
	default:
		line("gui.diag.r.service_ok")
	}
	line("gui.diag.r.readers", len(cards))
	for i, c := range cards {
		b.WriteString("\n")
		line("gui.diag.r.reader", i+1, u.readerName(c.reader))
		if !c.reader.Present {
			line("gui.diag.r.no_card")
			continue
		}
		if len(c.reader.ATR) > 0 {
			line("gui.diag.r.atr", strings.ToUpper(hex.EncodeToString(c.reader.ATR)))
		}
		if c.mute {
			line("gui.diag.r.mute")
			continue
		}
		if c.openErr != nil {
			if errors.Is(c.openErr, card.ErrNoCard) || errors.Is(c.openErr, card.ErrCardRemoved) {
				line("gui.diag.r.no_card")
			} else {
				line("gui.diag.r.open_failed", u.cardErrorText(c.openErr), c.openErr.Error())
			}
			continue
		}
		label := c.label
		if label == "" {
			label = "—"
		}
		line("gui.diag.r.kind", u.t(kindKey(c.kind)), label)
		for _, p := range c.pins {
			name := u.t(fmt.Sprintf("gui.diag.pin.%d", int(p.kind)))
			switch {
			case p.err != nil && errors.Is(p.err, card.ErrNoSignCertificate):
				line("gui.diag.r.pin_absent", name)
			case p.err != nil:
				line("gui.diag.r.pin_error", name, p.err.Error())
			case p.st.Blocked:
				line("gui.diag.r.pin_blocked", name)
			default:
				b.WriteString(u.tn("gui.diag.r.pin_left", p.st.Left, name, p.st.Left, p.st.Max) + "\n")
			}
		}
	}
	return b.String()
}
