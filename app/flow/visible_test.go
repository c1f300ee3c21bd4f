package flow

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/mynasign/mynasign/card"
	samplepdf "github.com/mynasign/mynasign/internal/samplepdf"
	"github.com/mynasign/mynasign/pdf"
)

// TestVisiblePageCheckedBeforeTheCard: a visible signature on a page past the end of a
// PDF is refused by SignFiles before any card is opened (the reader named here does not
// exist: reaching it would be a card error), naming the file; the corner placement that
// fits passes the same check.
func TestVisiblePageCheckedBeforeTheCard(t *testing.T) {
	dir := t.TempDir()
	two := writePDF(t, dir, "two.pdf", samplepdf.Spec{Pages: 2})
	letter := writePDF(t, dir, "letter.pdf", samplepdf.Spec{PageBoxes: []string{"/MediaBox [0 0 612 792] /Rotate 90"}})
	notPDF := filepath.Join(dir, "note.txt")
	os.WriteFile(notPDF, []byte("not a pdf"), 0o644)
	jobs := []SignJob{{two, filepath.Join(dir, "o1.pdf")}, {letter, filepath.Join(dir, "o2.pdf")}, {notPDF, filepath.Join(dir, "o3.pdf")}}
	asked := false
	req := SignFilesRequest{
		Card:    CardOptions{Reader: "no such reader"},
		Profile: "pades",
		Jobs:    jobs,
		Options: SignOptions{Visible: &Visible{Page: 2, Corner: pdf.BottomRight, Rect: Rect{W: 200, H: 60}}},
		AskPIN: func(card.PINStatus) ([]byte, bool, error) {
			asked = true
			return nil, false, errors.New("not expected")
		},
	}
	_, err := SignFiles(context.Background(), req)
	var oe *OptionsError
	var pe *pdf.PageError
	if !errors.As(err, &oe) || oe.Input != letter || !errors.As(err, &pe) || pe.Page != 2 || pe.Pages != 1 {
		t.Fatalf("page 2 of a one-page PDF: %v", err)
	}
	if asked {
		t.Fatal("the password was asked for")
	}
	// Page 1 exists everywhere: the check passes, and the run goes on to the card (which
	// is missing here). The file that is not a PDF is left to its own per-file error.
	req.Options.Visible.Page = 1
	if _, err := SignFiles(context.Background(), req); errors.As(err, &oe) || err == nil {
		t.Fatalf("page 1: %v, want the missing reader's error", err)
	}
	prof, _ := LookupSignProfile("pades")
	if err := CheckOptions(prof, []string{two}, SignOptions{Visible: &Visible{Page: 3, Rect: Rect{X: 10, Y: 10, W: 100, H: 40}}}); !errors.As(err, &pe) {
		t.Errorf("explicit rectangle on page 3 of 2: %v", err)
	}
	var ple *pdf.PlacementError
	if err := CheckOptions(prof, []string{two}, SignOptions{Visible: &Visible{Page: 1, Corner: pdf.TopLeft, Rect: Rect{W: 600, H: 60}}}); !errors.As(err, &ple) {
		t.Errorf("a box wider than the page: %v", err)
	}
	// An explicit rectangle partly off the page (the GUI's and the CLI's check alike).
	var re *pdf.RectError
	if err := CheckOptions(prof, []string{two}, SignOptions{Visible: &Visible{Page: 1, Rect: Rect{X: 500, Y: 40, W: 240, H: 70}}}); !errors.As(err, &oe) || oe.Input != two || !errors.As(err, &re) {
		t.Errorf("a rectangle past the page's right edge: %v", err)
	}
	if xmlProf, _ := LookupSignProfile("xades"); CheckOptions(xmlProf, []string{two}, SignOptions{Visible: &Visible{Page: 9}}) != nil {
		t.Error("the XML profile checked a visible signature it ignores")
	}
}
