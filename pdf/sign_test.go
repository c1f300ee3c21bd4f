package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mynasign/mynasign/internal/testpki"
	"github.com/mynasign/mynasign/trust"
)

func testPersona(t testing.TB, id string) *testpki.Persona {
	t.Helper()
	p, err := testpki.PersonaByID(id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func testPolicy(t testing.TB) *trust.Policy {
	t.Helper()
	p, err := trust.NewPolicy(trust.Options{TrustStore: trust.StoreTest, CRLDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func personaOptions(t testing.TB, id string, profile Profile) SignOptions {
	p := testPersona(t, id)
	return SignOptions{Profile: profile, Signer: p.SignKey, Certificate: p.SignCert,
		Time: time.Date(2026, 11, 25, 10, 30, 0, 0, jst)}
}

// signBytes signs in (a PDF) and returns the output's bytes and path.
func signBytes(t testing.TB, in []byte, opts SignOptions) ([]byte, string) {
	t.Helper()
	dir := t.TempDir()
	inPath := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(inPath, in, 0o444); err != nil {
		t.Fatal(err)
	}
	outPath := filepath.Join(dir, "out.pdf")
	if _, err := SignFile(context.Background(), inPath, outPath, opts); err != nil {
		t.Fatalf("SignFile: %v", err)
	}
	out, err := os.ReadFile(outPath)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(inPath)
	if !bytes.Equal(after, in) {
		t.Fatal("the input file changed")
	}
	if !bytes.HasPrefix(out, in) {
		t.Fatal("the output does not start with the input's bytes")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
	return out, outPath
}

func verifyBytes(t testing.TB, data []byte, pol *trust.Policy) *trust.DocumentReport {
	t.Helper()
	rep := Verify(context.Background(), bytes.NewReader(data), int64(len(data)), "test.pdf", pol)
	checkViewers(t, data, rep) // the viewer oracle (differential_test.go)
	return rep
}

func requirePassed(t testing.TB, rep *trust.DocumentReport, n int) {
	t.Helper()
	if rep.Indication != trust.TotalPassed || len(rep.Signatures) != n {
		for _, s := range rep.Signatures {
			t.Logf("%s: %s %s %v checks=%+v changes=%+v", s.ID, s.Indication, s.SubIndication, s.Summary, s.Checks, s.ChangesAfterSigning)
		}
		t.Fatalf("document %s/%s with %d signatures, want TOTAL-PASSED with %d; error %v", rep.Indication, rep.SubIndication, len(rep.Signatures), n, rep.Error)
	}
}

func TestSignRoundTrip(t *testing.T) {
	pol := testPolicy(t)
	specs := map[string]docSpec{
		"plain":                {},
		"no-eol":               {noEOL: true},
		"xref-stream":          {xrefStream: true, pages: 2},
		"acroform-direct":      {acroForm: "direct", textField: true},
		"acroform-indirect":    {acroForm: "indirect", textField: true, annots: "direct"},
		"fields-indirect":      {acroForm: "indirect-fields", annots: "indirect", textField: true},
		"annots-indirect-xref": {annots: "indirect", xrefStream: true, acroForm: "indirect"},
	}
	for name, spec := range specs {
		for _, profile := range []Profile{PAdES, Registry} {
			for _, visible := range []bool{false, true} {
				label := name + "/" + string(profile)
				if visible {
					label += "/visible"
				}
				t.Run(label, func(t *testing.T) {
					in := makePDF(t, spec)
					opts := personaOptions(t, "valid", profile)
					if visible {
						opts.Visible = &Appearance{Page: 1, X: 300, Y: 60, W: 220, H: 70}
					}
					once, _ := signBytes(t, in, opts)
					rep := verifyBytes(t, once, pol)
					requirePassed(t, rep, 1)
					s := rep.Signatures[0]
					if s.Coverage != trust.CoverageWhole || !s.Intact || s.Signer == nil || s.Signer.Name == "" || !s.Signer.Test {
						t.Fatalf("first signature: %+v", s)
					}
					wantFormat := map[Profile]string{PAdES: "PAdES-B-B", Registry: "adbe.pkcs7.detached"}[profile]
					if s.Format != wantFormat {
						t.Errorf("format %q, want %q", s.Format, wantFormat)
					}
					// A second signature keeps the first one valid.
					opts2 := personaOptions(t, "blocked", profile)
					opts2.Visible = opts.Visible
					if opts2.Visible != nil {
						v := *opts2.Visible
						v.Y += 80
						opts2.Visible = &v
					}
					twice, _ := signBytes(t, once, opts2)
					rep = verifyBytes(t, twice, pol)
					requirePassed(t, rep, 2)
					first := rep.Signatures[0]
					if first.Coverage != trust.CoverageRevision || first.ChangesAfterSigning.Level != trust.ChangesPermitted {
						t.Fatalf("first signature after the second: coverage %s, changes %+v", first.Coverage, first.ChangesAfterSigning)
					}
					if rep.Signatures[1].Coverage != trust.CoverageWhole {
						t.Fatalf("second signature coverage %s", rep.Signatures[1].Coverage)
					}
				})
			}
		}
	}
}

func TestSignRefusals(t *testing.T) {
	dir := t.TempDir()
	opts := personaOptions(t, "valid", PAdES)
	garbage := writeTemp(t, "garbage.pdf", []byte("%PDF-1.7\nthis is not a PDF\n"))
	_, err := SignFile(context.Background(), garbage, filepath.Join(dir, "o.pdf"), opts)
	var re *ReadError
	if !errors.As(err, &re) {
		t.Fatalf("garbage: %v", err)
	}
	enc := makePDF(t, docSpec{})
	enc = bytes.Replace(enc, []byte("/Info 4 0 R"), []byte("/Info 4 0 R /Encrypt 4 0 R"), 1)
	encPath := writeTemp(t, "enc.pdf", enc)
	if _, err := SignFile(context.Background(), encPath, filepath.Join(dir, "o.pdf"), opts); !errors.Is(err, ErrEncrypted) {
		t.Fatalf("encrypted: %v", err)
	}
	plain := writeTemp(t, "plain.pdf", makePDF(t, docSpec{}))
	if _, err := SignFile(context.Background(), plain, plain, opts); !errors.Is(err, ErrSameFile) {
		t.Fatalf("same file: %v", err)
	}
	o := opts
	o.Visible = &Appearance{Page: 3, X: 10, Y: 10, W: 100, H: 40}
	var pe *PageError
	if _, err := SignFile(context.Background(), plain, filepath.Join(dir, "o.pdf"), o); !errors.As(err, &pe) || pe.Pages != 1 {
		t.Fatalf("missing page: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("refusals left files: %v", entries)
	}
}

func TestSignCertifiedNoChanges(t *testing.T) {
	// An update that makes the catalog name a certification signature with DocMDP P=1.
	in := makePDF(t, docSpec{})
	var b bytes.Buffer
	b.Write(in)
	cat := b.Len()
	b.WriteString("1 0 obj\n<</Type /Catalog /Pages 2 0 R /Perms <</DocMDP 9 0 R>>>>\nendobj\n")
	sig := b.Len()
	b.WriteString("9 0 obj\n<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /Reference [<</Type /SigRef /TransformMethod /DocMDP /TransformParams <</Type /TransformParams /P 1 /V /1.2>>>>] /Contents <00> /ByteRange [0 0 0 0]>>\nendobj\n")
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 2\n0000000000 65535 f\r\n%010d 00000 n\r\n9 1\n%010d 00000 n\r\n", cat, sig)
	fmt.Fprintf(&b, "trailer\n<</Size 10 /Root 1 0 R /Prev %d>>\nstartxref\n%d\n%%%%EOF\n", lastStartXRef(t, in), xref)
	path := writeTemp(t, "certified.pdf", b.Bytes())
	var ce *CertifiedError
	if _, err := SignFile(context.Background(), path, filepath.Join(t.TempDir(), "o.pdf"), personaOptions(t, "valid", PAdES)); !errors.As(err, &ce) || ce.P != 1 {
		t.Fatalf("certified P=1: %v", err)
	}
}

func lastStartXRef(t testing.TB, b []byte) int64 {
	f, err := NewFile(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	return f.Revisions[f.Last()].XRefOff
}

func TestPlaceholderNeverTruncated(t *testing.T) {
	// A chain so long that it cannot fit: the estimate includes it, so signing still
	// works; the check that refuses a CMS larger than the placeholder is exercised by
	// shrinking the placeholder.
	in := makePDF(t, docSpec{})
	f, err := NewFile(bytes.NewReader(in), int64(len(in)))
	if err != nil {
		t.Fatal(err)
	}
	opts := personaOptions(t, "valid", PAdES)
	p, err := prepare(f, opts)
	if err != nil {
		t.Fatal(err)
	}
	p.hexLen = 100
	tmp, err := os.CreateTemp(t.TempDir(), "x")
	if err != nil {
		t.Fatal(err)
	}
	defer tmp.Close()
	if _, _, err := p.write(context.Background(), bytes.NewReader(in), int64(len(in)), tmp, p.signWith(context.Background(), opts), nil); !errors.Is(err, ErrSignatureTooLarge) {
		t.Fatalf("oversized CMS: %v", err)
	}
}

func TestPDFDate(t *testing.T) {
	tm := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if got := PDFDate(tm); got != "D:20260102120405+09'00'" {
		t.Fatalf("PDFDate = %s", got)
	}
	back, ok := ParsePDFDate(PDFDate(tm))
	if !ok || !back.Equal(tm) {
		t.Fatalf("ParsePDFDate = %v %v", back, ok)
	}
}

// TestSignerClaims: /Reason, /Location and /ContactInfo written by the signer are
// reported as the signer's claims (UTF-16 text decoded, a bidirectional override
// dropped); a signature without them has none.
func TestSignerClaims(t *testing.T) {
	pol := testPolicy(t)
	opts := personaOptions(t, "valid", PAdES)
	opts.Reason, opts.Location, opts.ContactInfo = "転居届の提出のため\u202E", "東京都千代田区", "03-0000-0000"
	out, _ := signBytes(t, makePDF(t, docSpec{}), opts)
	rep := verifyBytes(t, out, pol)
	requirePassed(t, rep, 1)
	want := trust.SignerClaims{Reason: "転居届の提出のため", Location: "東京都千代田区", ContactInfo: "03-0000-0000"}
	if c := rep.Signatures[0].SignerClaims; c == nil || *c != want {
		t.Fatalf("claims %+v, want %+v", c, want)
	}
	plain, _ := signBytes(t, makePDF(t, docSpec{}), personaOptions(t, "valid", PAdES))
	if c := verifyBytes(t, plain, pol).Signatures[0].SignerClaims; c != nil {
		t.Errorf("claims of a signature without any: %+v", c)
	}
}
