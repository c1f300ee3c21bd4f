package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/mynasign/mynasign/app/flow"
	"github.com/mynasign/mynasign/internal/tsp"
)

// prefTSA is the preference that remembers the time-stamping authority's address the
// user last signed with (empty until they give one: nothing is sent anywhere before).
const prefTSA = "tsaURL"

// levelChoice is the signature level part of the profile step: 長期保存 (B-LT) and
// タイムスタンプ (B-T) with the time-stamping authority's address. Both are for the
// general profiles (PAdES, XAdES) only.
type levelChoice struct {
	u        *UI
	lt       *keyCheck
	ts       *keyCheck
	tsa      *keyEntry
	problem  *textBlock
	tsaItems *fyne.Container
}

// newLevelChoice shows the choices of opts (the wizard's previous ones, if any); the
// address field starts with the one remembered.
func (u *UI) newLevelChoice(opts flow.SignOptions) *levelChoice {
	c := &levelChoice{u: u}
	c.lt = newCheck(u.t("gui.sign.level_lt"), nil)
	c.lt.SetChecked(opts.Level == flow.LevelBLT)
	c.tsa = newEntry()
	c.tsa.SetPlaceHolder(u.t("gui.sign.tsa_placeholder"))
	c.tsa.SetText(u.fa.Preferences().String(prefTSA))
	if opts.TSA != "" {
		c.tsa.SetText(opts.TSA)
	}
	c.problem = wrapLabel("")
	c.problem.Importance = widget.DangerImportance
	c.problem.Hide()
	c.ts = newCheck(u.t("gui.sign.level_ts"), func(on bool) {
		c.problem.Hide()
		if on && !c.ts.Disabled() {
			c.tsa.Enable()
		} else {
			c.tsa.Disable()
		}
	})
	c.ts.SetChecked(opts.TSA != "")
	c.ts.OnChanged(c.ts.Checked)
	c.tsaItems = container.NewVBox(
		widget.NewForm(widget.NewFormItem(u.t("gui.sign.tsa"), c.tsa)),
		wrapLabel(u.t("gui.sign.tsa_help")),
		c.problem)
	return c
}

// view is the part's widgets.
func (c *levelChoice) view() fyne.CanvasObject {
	return container.NewVBox(
		c.lt, wrapLabel(c.u.t("gui.sign.level_lt_help")),
		c.ts, wrapLabel(c.u.t("gui.sign.level_ts_help")),
		c.tsaItems)
}

// allow enables the choices (a general profile) or clears and disables them.
func (c *levelChoice) allow(ok bool) {
	for _, chk := range []*keyCheck{c.lt, c.ts} {
		if ok {
			chk.Enable()
		} else {
			chk.SetChecked(false)
			chk.Disable()
		}
	}
	c.ts.OnChanged(c.ts.Checked)
}

// apply sets the level and the authority's address in opts; false (with the reason
// shown) when a time-stamp is asked for without a usable address. The address used is
// remembered for the next time.
func (c *levelChoice) apply(opts *flow.SignOptions) bool {
	c.problem.Hide()
	if c.lt.Checked && !c.lt.Disabled() {
		opts.Level = flow.LevelBLT
	}
	if !c.ts.Checked || c.ts.Disabled() {
		return true
	}
	addr := strings.TrimSpace(c.tsa.Text)
	if addr == "" {
		c.show(c.u.t("gui.sign.err.needs_tsa"))
		return false
	}
	if _, err := tsp.NewClient(addr); err != nil {
		c.show(c.u.t("gui.sign.err.tsa_address", addr))
		return false
	}
	if opts.Level == "" {
		opts.Level = flow.LevelBT
	}
	opts.TSA = addr
	c.u.fa.Preferences().SetString(prefTSA, addr)
	return true
}

func (c *levelChoice) show(text string) {
	c.problem.SetText(text)
	c.problem.Show()
	c.u.relayout()
}
