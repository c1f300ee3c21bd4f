package pdf

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/internal/testenv"
	"github.com/mynasign/mynasign/trust"
)

// corpusDir is the PDF conformance corpus (testdata/corpus/pdf).
func corpusDir(t testing.TB) string {
	t.Helper()
	return testenv.Corpus(t, "pdf")
}

// sigWant is the verdict a correct verifier gives one signature.
type sigWant struct {
	ind     trust.Indication
	sub     trust.SubIndication
	intact  bool
	changes trust.ChangeLevel
}

var (
	// The signers of the corpus chain to foreign test CAs: with the JPKI trust store their
	// identity is unknown, which is INDETERMINATE, not a broken signature.
	unknownIntact = sigWant{trust.Indeterminate, trust.NoCertificateChainFound, true, trust.ChangesNone}
	unknownLater  = sigWant{trust.Indeterminate, trust.NoCertificateChainFound, true, trust.ChangesPermitted}
	// SHA-1 signatures are intact but too weak to be judged valid, whoever signed them.
	weakIntact      = sigWant{trust.Indeterminate, trust.CryptoConstraintsFailure, true, trust.ChangesNone}
	notPermitted    = sigWant{trust.TotalFailed, trust.FormatFailure, true, trust.ChangesNotPermitted}
	brokenFormat    = sigWant{trust.TotalFailed, trust.FormatFailure, false, trust.ChangesNone}
	unsupportedSubF = sigWant{trust.Indeterminate, trust.FormatFailure, false, trust.ChangesNone}
	// A document time-stamp is its own entry, after the signatures: its imprint and token
	// verify, but the time-stamping authority is not yet checked against anchors.
	stampIntact = sigWant{trust.Indeterminate, trust.NoCertificateChainFound, true, trust.ChangesNone}
	stampLater  = sigWant{trust.Indeterminate, trust.NoCertificateChainFound, true, trust.ChangesPermitted}
)

// corpusWant is the INDEX of testdata/corpus/pdf turned into expected verdicts (nil
// means: no document signature at all).
var corpusWant = map[string][]sigWant{
	"endesive/pdf-acrobat.pdf":                        {unknownIntact},
	"endesive/pdf-adobe-webcapture-x509.rsa_sha1.pdf": {unsupportedSubF}, // adbe.x509.rsa_sha1 is not supported: never valid
	"endesive/pdf-buggy.pdf":                          nil,
	"endesive/pdf-linearized.pdf":                     {unknownIntact},
	"endesive/test-SHA256_RSA-signed-cms.pdf":         {unknownIntact},
	"endesive/test-signed-cms-hsm-Google.pdf":         {unknownIntact},

	"pdfcpu/ETSI.CAdES.detached/testPAdES_BB.pdf":   {unknownIntact},
	"pdfcpu/ETSI.CAdES.detached/testPAdES_BT.pdf":   {unknownIntact},
	"pdfcpu/ETSI.CAdES.detached/testPAdES_BLT.pdf":  {unknownLater},              // DSS added later: permitted
	"pdfcpu/ETSI.CAdES.detached/testPAdES_BLTA.pdf": {unknownLater, stampIntact}, // DSS + document timestamp: permitted
	"pdfcpu/adbe.pkcs7.detached/sample1.pdf":        {weakIntact},                // SHA-1
	"pdfcpu/adbe.pkcs7.detached/sample2.pdf":        {weakIntact},                // SHA-1
	"pdfcpu/adbe.pkcs7.detached/usageRights.pdf":    nil,                         // a /UR3 usage-rights signature is not a document signature
	"pdfcpu/adbe.x509.rsa_sha1/sample01.pdf":        {unsupportedSubF},

	"pyhanko/certified-with-indirect-refs-in-dir.pdf": {unknownIntact},
	// Coverage anomalies: never accepted.
	// An empty (all-zero) /Contents is an unsigned placeholder: nothing to judge, so
	// INDETERMINATE, not a proven failure.
	"pyhanko/coverage-anomalies/base.pdf":                  {{trust.Indeterminate, trust.FormatFailure, false, trust.ChangesPermitted}},
	"pyhanko/coverage-anomalies/one-byterange.pdf":         {brokenFormat},
	"pyhanko/coverage-anomalies/signature-gap-too-big.pdf": {brokenFormat},
	"pyhanko/coverage-anomalies/tail-uncovered.pdf":        {{trust.TotalFailed, trust.FormatFailure, true, trust.ChangesNone}},
	"pyhanko/coverage-anomalies/weird-byterange.pdf":       {brokenFormat},
	// Ed448: Go has no Ed448, so these cannot be verified here; never valid.
	"pyhanko/ed448-disallowed-hash.pdf": {{trust.Indeterminate, trust.CryptoConstraintsFailure, false, trust.ChangesNone}},
	"pyhanko/ed448-shake256-nolen.pdf":  {{trust.Indeterminate, trust.CryptoConstraintsFailure, false, trust.ChangesNone}},
	// /Extensions added or updated after signing: permitted, unless the overwritten
	// dictionary is also used elsewhere ("not all paths").
	"pyhanko/extensions-direct.pdf":                 {unknownLater, unknownIntact},
	"pyhanko/extensions-indirect.pdf":               {unknownLater, unknownIntact},
	"pyhanko/extensions-update-direct.pdf":          {unknownLater, unknownIntact},
	"pyhanko/extensions-update-indirect.pdf":        {unknownLater, unknownIntact},
	"pyhanko/extensions-indirect-not-all-paths.pdf": {notPermitted, unknownIntact},
	// Appearance updates: permitted when the updated objects belong to the field alone.
	"pyhanko/form-update-no-override-appearance-stream-ap-indirect.pdf":        {unknownLater, unknownIntact},
	"pyhanko/form-update-original-ap-type-wrong.pdf":                           {unknownLater, unknownIntact},
	"pyhanko/form-update-override-appearance-stream-ap-indirect.pdf":           {unknownLater, unknownIntact},
	"pyhanko/form-update-override-appearance-stream.pdf":                       {unknownLater, unknownIntact},
	"pyhanko/form-update-ap-indirect-sneaky-trailer.pdf":                       {notPermitted, unknownIntact},
	"pyhanko/form-update-no-override-appearance-stream-ap-indirect-sneaky.pdf": {notPermitted, unknownIntact},
	"pyhanko/form-update-override-appearance-stream-ap-indirect-sneaky.pdf":    {notPermitted, unknownIntact},
	"pyhanko/form-update-override-appearance-stream-sneaky.pdf":                {notPermitted, unknownIntact},
	// Two signatures: the later one is a permitted change for the first.
	"pyhanko/minimal-signed-twice-both-created.pdf":   {unknownLater, unknownIntact},
	"pyhanko/minimal-signed-twice-no-sig-type.pdf":    {unknownLater, unknownIntact},
	"pyhanko/minimal-signed-twice-second-created.pdf": {unknownLater, unknownIntact},
	"pyhanko/minimal-two-fields-signed-twice.pdf":     {unknownLater, unknownIntact},
	"pyhanko/separate-annots-kids-indir.pdf":          {unknownLater, unknownIntact},
	// PAdES-LTA: DSS and document timestamps after the signatures are permitted; the
	// timestamps are not document signatures.
	"pyhanko/pades-lta-dss-indirect-arrs-test.pdf":   {unknownLater, stampLater},
	"pyhanko/pades-lta-dss-indirect-arrs-test-2.pdf": {unknownLater, unknownLater, stampLater},
	// Old-style ESS signing-certificate (v1) attributes are accepted.
	"pyhanko/pades-with-old-style-signing-cert-attr.pdf":        {unknownIntact},
	"pyhanko/pades-with-old-style-signing-cert-attr-issser.pdf": {unknownIntact},
	// A detached PDF signature that carries eContent: rejected.
	"pyhanko/pdf-sig-with-econtent.pdf": {brokenFormat},
	"pyhanko/sig-no-signed-attrs.pdf":   {unknownIntact},
	"pyhanko/sig-with-ski-sid.pdf":      {unknownIntact},
	// Encrypted with a public-key handler: the signed bytes verify as they are; the
	// identity is unknown.
	"pyhanko/signed-encrypted-pubkey-with-catalog-ref.pdf": {unknownIntact},
}

func TestConformanceCorpus(t *testing.T) {
	dir := corpusDir(t)
	pol, err := trust.NewPolicy(trust.Options{TrustStore: trust.StoreProduction, CRLDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(p, ".pdf") {
			rel, _ := filepath.Rel(dir, p)
			found = append(found, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(found)
	if len(found) != len(corpusWant) {
		t.Errorf("the corpus holds %d PDFs, the table %d", len(found), len(corpusWant))
	}
	for _, rel := range found {
		want, ok := corpusWant[rel]
		t.Run(rel, func(t *testing.T) {
			if !ok {
				t.Fatalf("%s is not in the table", rel)
			}
			rep, err := VerifyFile(context.Background(), filepath.Join(dir, rel), pol)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Indication == trust.TotalPassed {
				t.Fatal("a corpus file passed with the JPKI trust store")
			}
			if len(rep.Signatures) != len(want) {
				t.Fatalf("%d signatures, want %d", len(rep.Signatures), len(want))
			}
			if want == nil && (rep.Indication != trust.Indeterminate || rep.Summary.Key != trust.MsgDocUnsigned) {
				t.Fatalf("unsigned document reported as %s %v", rep.Indication, rep.Summary)
			}
			for i, w := range want {
				s := rep.Signatures[i]
				if s.Indication != w.ind || s.SubIndication != w.sub || s.Intact != w.intact || s.ChangesAfterSigning.Level != w.changes {
					t.Errorf("signature %d (%s): %s/%s intact=%v changes=%s (%v); want %s/%s intact=%v changes=%s",
						i+1, s.ID, s.Indication, s.SubIndication, s.Intact, s.ChangesAfterSigning.Level, s.Summary,
						w.ind, w.sub, w.intact, w.changes)
					for _, o := range s.ChangesAfterSigning.Objects {
						t.Logf("  change r%d %s %s %v", o.Revision, o.Object, o.Change, o.Why)
					}
				}
			}
		})
	}
}
