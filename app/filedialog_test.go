package app

import (
	"testing"

	"github.com/mynasign/mynasign/app/i18n"
)

// TestDialogsRememberTheirOwnFolder: each purpose of a file dialog opens in the folder
// used last for it, whatever folder another dialog used since.
func TestDialogsRememberTheirOwnFolder(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	if u.lastDir(dirCRLs) != nil {
		t.Fatal("a folder remembered before any was chosen")
	}
	crls, signed := t.TempDir(), t.TempDir()
	u.rememberDir(dirCRLs, crls)
	u.rememberDir(dirSign, signed)
	u.rememberDir(dirVerify, signed)
	if got := u.lastDir(dirCRLs); got == nil || got.Path() != crls {
		t.Errorf("the CRL dialog opens in %v, want %s", got, crls)
	}
	if got := u.lastDir(dirSign); got == nil || got.Path() != signed {
		t.Errorf("the sign dialog opens in %v, want %s", got, signed)
	}
	u.rememberDir(dirRecords, crls+"/gone")
	if got := u.lastDir(dirRecords); got != nil {
		t.Errorf("a folder that no longer exists is offered: %v", got)
	}
}
