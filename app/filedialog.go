package app

import (
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
)

// The purposes of the file dialogs. Each remembers the last folder used for it, so that
// choosing CRLs does not open where the signed PDFs were last saved.
const (
	dirVerify  = "verify"
	dirSign    = "sign"
	dirRecords = "records"
	dirAnchors = "anchors"
	dirCRLs    = "crls"
	dirExport  = "export"
)

// prefLastDir prefixes the preference holding the last folder of a dialog's purpose.
const prefLastDir = "lastdir."

// lastDir is the folder a dialog of purpose opens in: the one used last for the same
// purpose, else nil (Fyne's own choice).
func (u *UI) lastDir(purpose string) fyne.ListableURI {
	p := u.fa.Preferences().String(prefLastDir + purpose)
	if p == "" {
		return nil
	}
	l, err := storage.ListerForURI(storage.NewFileURI(p))
	if err != nil {
		return nil
	}
	return l
}

// rememberDir records dir as the last folder of purpose.
func (u *UI) rememberDir(purpose, dir string) {
	u.fa.Preferences().SetString(prefLastDir+purpose, dir)
}

// openFileDialog asks for one file for purpose (with its extensions shown, in the last
// folder of the same purpose); chosen gets its path. exts, when given, filter the list.
func (u *UI) openFileDialog(purpose string, exts []string, chosen func(path string)) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		p := r.URI().Path()
		r.Close()
		u.rememberDir(purpose, filepath.Dir(p))
		chosen(p)
	}, u.win)
	if len(exts) > 0 {
		d.SetFilter(storage.NewExtensionFileFilter(exts))
	}
	u.prepareDialog(d, purpose)
}

// openFolderDialog asks for a folder for purpose; confirm, when not empty, is the text
// of the confirm button (「ここに保存」 when the folder is where files go).
func (u *UI) openFolderDialog(purpose, confirm string, chosen func(path string)) {
	d := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
		if err != nil || l == nil {
			return
		}
		u.rememberDir(purpose, l.Path())
		chosen(l.Path())
	}, u.win)
	if confirm != "" {
		d.SetConfirmText(confirm)
	}
	u.prepareDialog(d, purpose)
}

// prepareDialog opens d in the last folder of purpose, as a list (the grid view hides
// the extensions, and .pdf and .xml of the same name look alike), and shows it.
func (u *UI) prepareDialog(d *dialog.FileDialog, purpose string) {
	if l := u.lastDir(purpose); l != nil {
		d.SetLocation(l)
	}
	d.SetView(dialog.ListView)
	d.Show()
}
