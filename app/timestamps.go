package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mynasign/mynasign/trust"
)

// timestampsView is the タイムスタンプ part of a signature's details: the time the
// signature is proven to have existed (when a trusted time-stamp proves it), then each
// RFC 3161 time-stamp over the signature with its time, its authority, a plain verdict
// and its sentence. nil when the signature has neither.
func (u *UI) timestampsView(s *trust.SignatureReport) fyne.CanvasObject {
	if len(s.Timestamps) == 0 && s.BestSignatureTime == nil {
		return nil
	}
	objs := []fyne.CanvasObject{boldLabel(u.t("gui.details.timestamps"))}
	if s.BestSignatureTime != nil {
		objs = append(objs, widget.NewForm(widget.NewFormItem(u.t("gui.details.best_signature_time"),
			wrapLabel(u.fmtTime(*s.BestSignatureTime)))))
	}
	for i := range s.Timestamps {
		objs = append(objs, u.timestampView(i+1, &s.Timestamps[i]))
	}
	return container.NewVBox(objs...)
}

// timestampView is one time-stamp: 信頼できる (TOTAL-PASSED), 無効 (TOTAL-FAILED) or
// 確認できない (anything else), its time, authority and sentence.
func (u *UI) timestampView(n int, ts *trust.TimestampReport) fyne.CanvasObject {
	icon, key, imp := theme.QuestionIcon(), "gui.details.ts.indeterminate", widget.WarningImportance
	switch ts.Indication {
	case trust.TotalPassed:
		icon, key, imp = theme.ConfirmIcon(), "gui.details.ts.passed", widget.SuccessImportance
	case trust.TotalFailed:
		icon, key, imp = theme.ErrorIcon(), "gui.details.ts.failed", widget.DangerImportance
	}
	head := boldLabel(u.t("gui.details.ts.n", n, u.t(key)))
	head.Importance = imp
	ind := string(ts.Indication)
	if ts.SubIndication != "" {
		ind += " / " + string(ts.SubIndication)
	}
	at, tsa := "—", ts.TSA
	if ts.Time != nil {
		at = u.fmtTime(*ts.Time)
	}
	if tsa == "" {
		tsa = u.t("gui.details.ts.tsa_unknown")
	}
	items := []*widget.FormItem{
		widget.NewFormItem(u.t("gui.details.ts.time"), wrapLabel(at)),
		widget.NewFormItem(u.t("gui.details.ts.tsa"), wrapLabel(tsa)),
		widget.NewFormItem(u.t("gui.details.indication"), wrapLabel(ind)),
	}
	if ts.Anchor != nil {
		items = append(items, widget.NewFormItem(u.t("gui.details.anchor"),
			wrapLabel(u.t("gui.details.anchor_"+string(ts.Anchor.Source), ts.Anchor.Name))))
	}
	objs := []fyne.CanvasObject{container.NewBorder(nil, nil, widget.NewIcon(icon), nil, head)}
	if m := u.msg(ts.Summary); m != "" {
		l := wrapLabel(m)
		l.Importance = imp
		objs = append(objs, l)
	}
	objs = append(objs, widget.NewForm(items...))
	return container.NewVBox(objs...)
}
