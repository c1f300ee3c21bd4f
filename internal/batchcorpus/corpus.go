// Package batchcorpus writes the mixed folder that the batch verification tests and
// benchmarks run on: signed, revoked, tampered, unsigned, unreadable and non-JPKI-signed
// PDFs and XML files, e-Gov packages (a folder and a zip), and a zip of PDFs, each with
// the result it must get. Nothing here is committed but this generator: the files are
// written at test time, signed directly with the test PKI personas' keys (no card), so
// that a 300-file folder takes seconds.
//
// File names do not give the format away: some PDFs are named .dat or have no extension
// and some XML files are .txt, because the batch must recognize documents by content.
package batchcorpus

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/mynasign/mynasign/app/record/pdfdoc"
	"github.com/mynasign/mynasign/assets"
	"github.com/mynasign/mynasign/internal/testpki"
	"github.com/mynasign/mynasign/pdf"
	"github.com/mynasign/mynasign/trust"
	"github.com/mynasign/mynasign/xades"
)

// Expect is the result a document must get from `mynasign verify --trust test` with the
// test PKI's built-in CRLs.
type Expect struct {
	Status        string // app/flow's DocStatus: passed, failed, indeterminate, unsigned, error
	Indication    trust.Indication
	SubIndication trust.SubIndication
	Kind          string // "pdf", "xml", "egov"; "" for a file that cannot be read
	Category      string // which generator made it (for messages)
}

// Corpus is a generated folder.
type Corpus struct {
	Dir string
	// Expect maps the name a batch report carries (a path under Dir, or
	// "<zip path>!/<entry>") to its expected result.
	Expect map[string]Expect
	// PDFs lists the PDF files on disk (for the pdfsig comparison).
	PDFs []string
}

// category makes one document (or a few, for a zip) named base under dir.
type category struct {
	name string
	make func(g *gen, dir, base string) error
}

type gen struct {
	c        *Corpus
	n        int // documents so far, for distinct content
	valid    *testpki.Persona
	revoked  *testpki.Persona
	expired  *testpki.Persona
	impostor *testpki.Persona
	otherKey *rsa.PrivateKey
	other    *x509.Certificate // a certificate of no JPKI CA at all
}

// Generate writes at least n documents (exactly n unless n is tiny) into dir, which must
// exist, and returns what each must get.
func Generate(dir string, n int) (*Corpus, error) {
	g := &gen{c: &Corpus{Dir: dir, Expect: map[string]Expect{}}}
	var err error
	for _, p := range []struct {
		dst **testpki.Persona
		id  string
	}{{&g.valid, "valid"}, {&g.revoked, "revoked"}, {&g.expired, "expired"}, {&g.impostor, "impostor"}} {
		if *p.dst, err = testpki.PersonaByID(p.id); err != nil {
			return nil, err
		}
	}
	if g.otherKey, g.other, err = selfSigned(); err != nil {
		return nil, err
	}
	cats := categories()
	for i := 0; len(g.c.Expect) < n; i++ {
		c := cats[i%len(cats)]
		base := fmt.Sprintf("%03d-%s", i, c.name)
		if err := c.make(g, dir, base); err != nil {
			return nil, fmt.Errorf("batchcorpus: %s: %w", base, err)
		}
	}
	sort.Strings(g.c.PDFs)
	return g.c, nil
}

func (g *gen) expect(path string, e Expect) { g.c.Expect[path] = e }

var (
	passed = func(kind, cat string) Expect { return Expect{"passed", trust.TotalPassed, "", kind, cat} }
	failed = func(kind, cat string, sub trust.SubIndication) Expect {
		return Expect{"failed", trust.TotalFailed, sub, kind, cat}
	}
	indet = func(kind, cat string, sub trust.SubIndication) Expect {
		return Expect{"indeterminate", trust.Indeterminate, sub, kind, cat}
	}
	unsigned = func(kind, cat string) Expect { return Expect{Status: "unsigned", Kind: kind, Category: cat} }
	broken   = func(cat string) Expect { return Expect{Status: "error", Category: cat} }
)

func categories() []category {
	return []category{
		{"pdf-valid", func(g *gen, dir, base string) error {
			p := filepath.Join(dir, base+".pdf")
			return g.signedPDF(p, g.valid, pdf.PAdES, passed("pdf", "pdf-valid"))
		}},
		{"xml-valid", func(g *gen, dir, base string) error {
			p := filepath.Join(dir, base+".xml")
			return g.signedXML(p, g.valid.SignKey, g.valid.SignCert, passed("xml", "xml-valid"))
		}},
		{"pdf-registry", func(g *gen, dir, base string) error {
			p := filepath.Join(dir, base) // no extension
			return g.signedPDF(p, g.valid, pdf.Registry, passed("pdf", "pdf-registry"))
		}},
		{"pdf-revoked", func(g *gen, dir, base string) error {
			p := filepath.Join(dir, base+".pdf")
			return g.signedPDF(p, g.revoked, pdf.PAdES, failed("pdf", "pdf-revoked", trust.Revoked))
		}},
		{"xml-revoked", func(g *gen, dir, base string) error {
			p := filepath.Join(dir, base+".xml")
			return g.signedXML(p, g.revoked.SignKey, g.revoked.SignCert, failed("xml", "xml-revoked", trust.Revoked))
		}},
		{"pdf-tampered", func(g *gen, dir, base string) error {
			p := filepath.Join(dir, base+".dat")
			if err := g.signedPDF(p, g.valid, pdf.PAdES, failed("pdf", "pdf-tampered", trust.HashFailure)); err != nil {
				return err
			}
			return tamper(p, []byte("(mynasign batch corpus)"), []byte("(mynasign batch CORPUS)"))
		}},
		{"xml-tampered", func(g *gen, dir, base string) error {
			p := filepath.Join(dir, base+".xml")
			if err := g.signedXML(p, g.valid.SignKey, g.valid.SignCert, failed("xml", "xml-tampered", trust.HashFailure)); err != nil {
				return err
			}
			return tamper(p, []byte("<金額>1000</金額>"), []byte("<金額>9000</金額>"))
		}},
		{"pdf-unsigned", func(g *gen, dir, base string) error {
			p := filepath.Join(dir, base+".pdf")
			g.c.PDFs = append(g.c.PDFs, p)
			g.expect(p, unsigned("pdf", "pdf-unsigned"))
			return os.WriteFile(p, g.basePDF(), 0o644)
		}},
		{"xml-unsigned", func(g *gen, dir, base string) error {
			p := filepath.Join(dir, base+".txt")
			g.expect(p, unsigned("xml", "xml-unsigned"))
			return os.WriteFile(p, g.baseXML(), 0o644)
		}},
		{"pdf-impostor", func(g *gen, dir, base string) error {
			p := filepath.Join(dir, base+".pdf")
			return g.signedPDF(p, g.impostor, pdf.PAdES, indet("pdf", "pdf-impostor", trust.NoCertificateChainFound))
		}},
		{"xml-not-jpki", func(g *gen, dir, base string) error {
			p := filepath.Join(dir, base+".xml")
			return g.signedXML(p, g.otherKey, g.other, indet("xml", "xml-not-jpki", trust.NoCertificateChainFound))
		}},
		{"pdf-not-jpki", func(g *gen, dir, base string) error {
			p := filepath.Join(dir, base+".pdf")
			return g.signPDFWith(p, g.otherKey, g.other, nil, pdf.PAdES, indet("pdf", "pdf-not-jpki", trust.NoCertificateChainFound))
		}},
		{"pdf-expired", func(g *gen, dir, base string) error {
			p := filepath.Join(dir, base+".pdf")
			return g.signPDFWith(p, g.expired.SignKey, g.expired.SignCert, []*x509.Certificate{g.expired.SignCACert}, pdf.PAdES,
				indet("pdf", "pdf-expired", trust.OutOfBoundsNoPOE))
		}},
		{"pdf-corrupt", func(g *gen, dir, base string) error {
			// A PDF header and then nothing a PDF reader can use.
			p := filepath.Join(dir, base+".pdf")
			g.expect(p, Expect{Status: "error", Kind: "pdf", Category: "pdf-corrupt"})
			return os.WriteFile(p, []byte(fmt.Sprintf("%%PDF-1.7\n%% truncated %d\n1 0 obj\n<< /Type /Catalog", g.next())), 0o644)
		}},
		{"xml-malformed", func(g *gen, dir, base string) error {
			p := filepath.Join(dir, base+".xml")
			g.expect(p, Expect{Status: "error", Kind: "xml", Category: "xml-malformed"})
			return os.WriteFile(p, []byte(fmt.Sprintf("<?xml version=\"1.0\"?>\n<申請書><番号>%d</番号><未閉じ>", g.next())), 0o644)
		}},
		{"dangling-link", func(g *gen, dir, base string) error {
			p := filepath.Join(dir, base+".pdf")
			g.expect(p, broken("dangling-link"))
			return os.Symlink(filepath.Join(dir, "no-such-file-"+base), p)
		}},
		{"egov-folder", func(g *gen, dir, base string) error {
			p := filepath.Join(dir, base)
			return g.egov(p, false)
		}},
		{"egov-zip", func(g *gen, dir, base string) error {
			p := filepath.Join(dir, base+".zip")
			return g.egov(p, true)
		}},
		{"zip-of-pdfs", func(g *gen, dir, base string) error {
			return g.zipOfPDFs(filepath.Join(dir, base+".zip"))
		}},
		{"folder", func(g *gen, dir, base string) error {
			// A plain sub-folder: walked, its files verified one by one.
			sub := filepath.Join(dir, base)
			if err := os.Mkdir(sub, 0o755); err != nil {
				return err
			}
			if err := g.signedPDF(filepath.Join(sub, "a.pdf"), g.valid, pdf.PAdES, passed("pdf", "folder")); err != nil {
				return err
			}
			return g.signedXML(filepath.Join(sub, "b.xml"), g.revoked.SignKey, g.revoked.SignCert, failed("xml", "folder", trust.Revoked))
		}},
	}
}

func (g *gen) next() int { g.n++; return g.n }

// basePDF is a one-page PDF with Japanese text, distinct for every call.
func (g *gen) basePDF() []byte {
	n := g.next()
	d := pdfdoc.New(pdfdoc.Info{Title: fmt.Sprintf("申請書 %d", n), Producer: "mynasign batch corpus",
		Created: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), Lang: "ja"})
	f, err := d.AddFont(assets.FontRegular)
	if err != nil {
		panic("batchcorpus: embedded font: " + err.Error())
	}
	p := d.NewPage(pdfdoc.A4Width, pdfdoc.A4Height)
	p.Text(f, 16, pdfdoc.Black, 72, 760, "届出書")
	p.Text(f, 11, pdfdoc.Black, 72, 730, fmt.Sprintf("受付番号 %06d", n))
	p.Text(f, 11, pdfdoc.Black, 72, 712, "この書類はテスト用です。")
	var buf bytes.Buffer
	d.WriteTo(&buf)
	return buf.Bytes()
}

func (g *gen) baseXML() []byte {
	return []byte(fmt.Sprintf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<申請書 xmlns=\"urn:example:mynasign:test\">\n"+
		"  <番号>%d</番号>\n  <件名>住所変更届</件名>\n  <金額>1000</金額>\n</申請書>\n", g.next()))
}

func (g *gen) signedPDF(out string, p *testpki.Persona, prof pdf.Profile, e Expect) error {
	return g.signPDFWith(out, p.SignKey, p.SignCert, []*x509.Certificate{p.SignCACert}, prof, e)
}

func (g *gen) signPDFWith(out string, key crypto.Signer, cert *x509.Certificate, chain []*x509.Certificate, prof pdf.Profile, e Expect) error {
	in := out + ".unsigned"
	if err := os.WriteFile(in, g.basePDF(), 0o644); err != nil {
		return err
	}
	defer os.Remove(in)
	opts := pdf.SignOptions{Profile: prof, Signer: key, Certificate: cert, Chain: chain}
	if e.SubIndication == trust.OutOfBoundsNoPOE {
		opts.Time = cert.NotAfter.Add(-30 * 24 * time.Hour) // claimed before expiry, no timestamp
	}
	if _, err := pdf.SignFile(context.Background(), in, out, opts); err != nil {
		return err
	}
	g.c.PDFs = append(g.c.PDFs, out)
	g.expect(out, e)
	return nil
}

func (g *gen) signedXML(out string, key crypto.Signer, cert *x509.Certificate, e Expect) error {
	opts := xades.SignOptions{Signer: key, Certificate: cert}
	signed, err := xades.SignXAdES(g.baseXML(), opts)
	if err != nil {
		return err
	}
	g.expect(out, e)
	return os.WriteFile(out, signed, 0o644)
}

// tamper replaces old by new (same length) once in the file at path.
func tamper(path string, old, new []byte) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	i := bytes.Index(data, old)
	if i < 0 || len(old) != len(new) {
		return fmt.Errorf("tamper: %q not found", old)
	}
	copy(data[i:], new)
	return os.WriteFile(path, data, 0o644)
}

// egov writes a signed e-Gov package: a folder, or a zip of it.
func (g *gen) egov(out string, asZip bool) error {
	src, err := os.MkdirTemp(filepath.Dir(out), ".egov-src-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(src)
	n := g.next()
	kousei := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<申請書属性情報>
  <構成情報 ID="構成情報">
    <申請書ファイル名>form%d.xml</申請書ファイル名>
    <添付書類ファイル名>note%d.txt</添付書類ファイル名>
  </構成情報>
  <署名情報></署名情報>
</申請書属性情報>
`, n, n)
	files := map[string][]byte{
		xades.KouseiName:             []byte(kousei),
		fmt.Sprintf("form%d.xml", n): g.baseXML(),
		fmt.Sprintf("note%d.txt", n): []byte(fmt.Sprintf("添付書類 %d\n", n)),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(src, name), data, 0o644); err != nil {
			return err
		}
	}
	in := src
	if asZip {
		in = src + ".zip"
		if err := writeZip(in, files); err != nil {
			return err
		}
		defer os.Remove(in)
	}
	if err := xades.SignEGov(in, out, xades.SignOptions{Signer: g.valid.SignKey, Certificate: g.valid.SignCert}); err != nil {
		return err
	}
	g.expect(out, passed("egov", "egov"))
	return nil
}

// zipOfPDFs writes a zip holding a valid, a revoked and an unsigned PDF (and macOS
// clutter that the batch must skip).
func (g *gen) zipOfPDFs(out string) error {
	tmp, err := os.MkdirTemp(filepath.Dir(out), ".zip-src-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	files := map[string][]byte{"__MACOSX/._a.pdf": []byte("resource fork")}
	sign := func(name string, p *testpki.Persona) error {
		in, out := filepath.Join(tmp, name+".in"), filepath.Join(tmp, name)
		if err := os.MkdirAll(filepath.Dir(in), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(in, g.basePDF(), 0o644); err != nil {
			return err
		}
		_, err := pdf.SignFile(context.Background(), in, out, pdf.SignOptions{Profile: pdf.PAdES, Signer: p.SignKey,
			Certificate: p.SignCert, Chain: []*x509.Certificate{p.SignCACert}})
		if err != nil {
			return err
		}
		files[name], err = os.ReadFile(out)
		return err
	}
	if err := sign("申請/a.pdf", g.valid); err != nil {
		return err
	}
	if err := sign("申請/b.pdf", g.revoked); err != nil {
		return err
	}
	files["申請/c.pdf"] = g.basePDF()
	if err := writeZip(out, files); err != nil {
		return err
	}
	g.expect(out+"!/申請/a.pdf", passed("pdf", "zip-of-pdfs"))
	g.expect(out+"!/申請/b.pdf", failed("pdf", "zip-of-pdfs", trust.Revoked))
	g.expect(out+"!/申請/c.pdf", unsigned("pdf", "zip-of-pdfs"))
	return nil
}

func writeZip(path string, files map[string][]byte) error {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.Create(strings.TrimPrefix(n, "/"))
		if err != nil {
			return err
		}
		if _, err := w.Write(files[n]); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// selfSigned makes a key and a self-signed certificate that no JPKI CA issued.
func selfSigned() (*rsa.PrivateKey, *x509.Certificate, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7),
		Subject:      pkix.Name{CommonName: "mynasign batch corpus (not JPKI)", Organization: []string{"Example"}},
		NotBefore:    time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	return key, cert, err
}
