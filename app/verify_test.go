package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/app/flow"
	"github.com/mynasign/mynasign/app/i18n"
	batchcorpus "github.com/mynasign/mynasign/internal/batchcorpus"
	"github.com/mynasign/mynasign/internal/testpki"
	"github.com/mynasign/mynasign/pdf"
	"github.com/mynasign/mynasign/trust"
)

// TestVerifyFolder verifies a folder of valid, revoked and tampered PDFs and XML files
// (with the test trust store and its CRLs, as the test card mode does) and checks the
// status, the masked signer and the reason in each row, then a details view.
func TestVerifyFolder(t *testing.T) {
	dir := t.TempDir()
	// The first seven categories of the batch corpus: valid PDF and XML, a registry
	// PDF, revoked PDF and XML, tampered PDF and XML.
	corpus, err := batchcorpus.Generate(dir, 7)
	if err != nil {
		t.Fatal(err)
	}
	u := newTestUI(t, i18n.Japanese)
	withTestCard(t, u, "valid") // the test trust store
	v := u.startVerify([]string{dir})
	u.WaitIdle()
	noMissingKeys(t, u, "verify results")
	if len(v.rows) != len(corpus.Expect) {
		t.Fatalf("%d rows for %d documents; summary: %s", len(v.rows), len(corpus.Expect), v.summary.Text)
	}
	seen := map[string]bool{}
	for _, i := range v.rows {
		r := v.reports[i]
		want, ok := corpus.Expect[r.File]
		if !ok {
			t.Errorf("unexpected row for %s", r.File)
			continue
		}
		seen[want.Category] = true
		cells := u.rowCells(r)
		wantStatus := map[string]string{
			"passed": u.t("gui.status.passed"), "failed": u.t("gui.status.failed"),
		}[want.Status]
		if cells[colStatus] != wantStatus {
			t.Errorf("%s (%s): status %q, want %q", r.File, want.Category, cells[colStatus], wantStatus)
		}
		if want.Status == "passed" && cells[colReason] != "" {
			t.Errorf("%s: a reason for a valid document: %q", r.File, cells[colReason])
		}
		if want.Status != "passed" && cells[colReason] == "" {
			t.Errorf("%s: no reason given for %s", r.File, want.Status)
		}
		for _, s := range r.Signatures {
			if s.Signer != nil && s.Signer.Name != "" {
				if cells[colSigner] == "" || strings.Contains(cells[colSigner], s.Signer.Name) {
					t.Errorf("%s: the signer is not masked in the table: %q", r.File, cells[colSigner])
				}
			}
		}
	}
	for _, c := range []string{"pdf-valid", "xml-valid", "pdf-revoked", "xml-revoked", "pdf-tampered", "xml-tampered"} {
		if !seen[c] {
			t.Errorf("no row of category %s", c)
		}
	}
	// Details of the revoked PDF: the personal data is shown there, with the ETSI
	// indication and the date the revocation status is "as of".
	for _, i := range v.rows {
		r := v.reports[i]
		if corpus.Expect[r.File].Category != "pdf-revoked" {
			continue
		}
		u.showReportDetails(r, v.back)
		noMissingKeys(t, u, "details")
		mustShow(t, u, "TOTAL-FAILED / REVOKED")
		mustShow(t, u, r.Signatures[0].Signer.Name)
		rv := r.Signatures[0].Revocation
		if rv == nil || rv.ThisUpdate == nil {
			t.Fatal("no revocation data in the report")
		}
		mustShow(t, u, u.fmtTime(*rv.ThisUpdate))
		mustShow(t, u, u.t("gui.test.mark"))
		// The trust anchor the chain ended at, and where it comes from.
		an := r.Signatures[0].Certificate.Anchor
		if an == nil || an.Source != trust.AnchorBuiltin {
			t.Fatalf("anchor in the report: %+v", an)
		}
		mustShow(t, u, u.t("gui.details.anchor_builtin", an.Name))
		v.back()
		mustShow(t, u, u.t("gui.verify.col.0"))
	}
}

// TestVerifyTableHidesTheMunicipality: a signature of the valid persona (Chiyoda-ku)
// checked where no CRL covers it: the reason names the CRL partition it needs, and the
// table's row shows that reason without the municipality or the holder's name.
func TestVerifyTableHidesTheMunicipality(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	p, err := testpki.PersonaByID("valid")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "out.pdf")
	os.WriteFile(in, minimalPDF("a"), 0o644)
	if _, err := pdf.SignFile(context.Background(), in, out, pdf.SignOptions{Profile: pdf.PAdES, Signer: p.SignKey, Certificate: p.SignCert}); err != nil {
		t.Fatal(err)
	}
	pol, err := trust.NewPolicy(trust.Options{TrustStore: trust.StoreTest, CRLDir: t.TempDir(), ImportedCRLsOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := flow.VerifyFile(context.Background(), out, pol)
	if err != nil {
		t.Fatal(err)
	}
	s := rep.Signatures[0]
	if s.Summary.Key != trust.MsgRevNoCRL || !strings.Contains(u.msg(s.Summary), "Chiyoda-ku") {
		t.Fatalf("the unmasked reason does not name the partition: %v", s.Summary)
	}
	cells := u.rowCells(rep)
	row := strings.Join(cells[:], " | ")
	if cells[colReason] == "" {
		t.Fatalf("no reason in the row: %s", row)
	}
	for _, x := range []string{"Chiyoda", "Tokyo", p.CertName} {
		if strings.Contains(row, x) {
			t.Errorf("the table row shows %q: %s", x, row)
		}
	}
}

// TestDetailsShowSignerClaims: the signer's /Reason, /Location and /ContactInfo appear in
// the details, labelled as the signer's own words.
func TestDetailsShowSignerClaims(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	r := &trust.DocumentReport{File: "申請書.pdf", Kind: "pdf", Indication: trust.Indeterminate,
		Signatures: []trust.SignatureReport{{ID: "Signature1", Format: "PAdES-B-B", Indication: trust.Indeterminate,
			Coverage:     trust.CoverageWhole,
			SignerClaims: &trust.SignerClaims{Reason: "転居届の提出のため", Location: "千代田区役所"}}}}
	u.showReportDetails(r, u.showHome)
	noMissingKeys(t, u, "details with claims")
	mustShow(t, u, u.t("gui.details.claim_reason"))
	mustShow(t, u, "転居届の提出のため")
	mustShow(t, u, "千代田区役所")
	mustNotShow(t, u, u.t("gui.details.claim_contact"))
}
