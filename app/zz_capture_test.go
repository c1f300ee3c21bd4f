package app

import (
	"image/png"
	"os"
	"testing"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/internal/testpki"
	"github.com/mynasign/mynasign/trust"
)

func TestZZCapture(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	save := func(n string) {
		f, _ := os.Create("/tmp/idgui-" + n + ".png")
		png.Encode(f, u.win.Canvas().Capture())
		f.Close()
	}
	withTestCard(t, u, "revoked")
	s := idCheckStart(t, u, trust.IDCheckIdentity)
	idCheckPIN(t, u, s, testpki.AuthPIN)
	save("revoked")
	withTestCard(t, u, "valid")
	s = u.startIDCheck()
	s.withBasic.SetChecked(true)
	s.consent.SetChecked(true)
	tap(t, u, s.startBtn)
	idCheckPIN(t, u, s, testpki.AuthPIN)
	save("basic")
}
