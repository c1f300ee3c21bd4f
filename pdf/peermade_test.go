package pdf

// Signatures made by other software (issue 11, item 5): independent tools sign test
// documents at test time — openssl cms (BER with indefinite lengths), poppler's pdfsig
// with an NSS database, mupdf's mutool sign, and PDFBox with BouncyCastle through the
// small Java signer in testdata/peers/pdfbox — with a throwaway CA that no trust store
// knows. Each signature must be intact, cover the whole document and end INDETERMINATE
// for want of a chain; one flipped byte inside the signed ranges must make it TOTAL-FAILED
// with HASH_FAILURE. pdfsig checks every peer file first, so that a failure here is ours.

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha1"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mynasign/mynasign/internal/testenv"
	"github.com/mynasign/mynasign/trust"
)

// peerTimeout bounds every run of a peer tool.
const peerTimeout = 2 * time.Minute

// peerPassword protects the throwaway PKCS#12 file (it is no secret).
const peerPassword = "peer-test"

// peerTemp is the folder shared by the peer tests of one test binary run (the throwaway
// PKI, the compiled Java signer); TestMain removes it.
var peerTemp struct {
	once sync.Once
	dir  string
	err  error
}

func peerTempDir() (string, error) {
	peerTemp.once.Do(func() { peerTemp.dir, peerTemp.err = os.MkdirTemp("", "mynasign-peers-") })
	return peerTemp.dir, peerTemp.err
}

func TestMain(m *testing.M) {
	code := m.Run()
	if peerTemp.dir != "" {
		os.RemoveAll(peerTemp.dir)
	}
	os.Exit(code)
}

// runPeer runs a peer tool in dir and returns its standard output; a failure ends the
// test with the tool's output.
func runPeer(t testing.TB, dir, name string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), peerTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s%s", filepath.Base(name), strings.Join(args, " "), err, stdout.Bytes(), stderr.Bytes())
	}
	return stdout.Bytes()
}

// peerSigner is a key and the certificate the throwaway CA issued for it.
type peerSigner struct {
	pem, key string // the certificate and the PKCS#8 key, PEM files
	p12      string // key, certificate and CA certificate, protected by peerPassword
	nick     string // the PKCS#12 friendly name (NSS nickname)
	cert     *x509.Certificate
	signer   crypto.Signer
}

// peerPKI is a throwaway CA, unknown to every trust store, and two signers it issued
// (RSA 2048 and ECDSA P-256), all made by openssl.
type peerPKI struct {
	caPEM   string
	ca      *x509.Certificate
	rsa, ec peerSigner
}

var peerPKIOnce struct {
	once sync.Once
	pki  *peerPKI
	err  error
}

// throwawayPKI returns the peer tests' PKI, made once per test binary run.
func throwawayPKI(t testing.TB) *peerPKI {
	t.Helper()
	openssl := testenv.Tool(t, "openssl")
	peerPKIOnce.once.Do(func() { peerPKIOnce.pki, peerPKIOnce.err = makePeerPKI(openssl) })
	if peerPKIOnce.err != nil {
		t.Fatal(peerPKIOnce.err)
	}
	return peerPKIOnce.pki
}

func makePeerPKI(openssl string) (*peerPKI, error) {
	root, err := peerTempDir()
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(root, "pki")
	if err := os.Mkdir(dir, 0o700); err != nil {
		return nil, err
	}
	eeExt := "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n" +
		"subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"
	if err := os.WriteFile(filepath.Join(dir, "ee.ext"), []byte(eeExt), 0o600); err != nil {
		return nil, err
	}
	cmds := [][]string{{"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "30",
		"-subj", "/CN=Throwaway Peer CA", "-addext", "basicConstraints=critical,CA:TRUE",
		"-addext", "keyUsage=critical,keyCertSign,cRLSign"}}
	for _, s := range []struct{ name, subject, serial string }{
		{"rsa", "/CN=Throwaway Peer Signer", "4242"},
		{"ec", "/CN=Throwaway Peer EC Signer", "4343"},
	} {
		newKey := []string{"-newkey", "rsa:2048"}
		if s.name == "ec" {
			newKey = []string{"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"}
		}
		cmds = append(cmds,
			append(append([]string{"req", "-new"}, newKey...), "-nodes", "-keyout", s.name+".key", "-out", s.name+".csr", "-subj", s.subject),
			[]string{"x509", "-req", "-in", s.name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", s.serial,
				"-days", "30", "-extfile", "ee.ext", "-out", s.name + ".pem"},
			[]string{"pkcs12", "-export", "-inkey", s.name + ".key", "-in", s.name + ".pem", "-certfile", "ca.pem",
				"-name", "peer-" + s.name, "-passout", "pass:" + peerPassword, "-out", s.name + ".p12"})
	}
	for _, args := range cmds {
		cmd := exec.Command(openssl, args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("openssl %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	block := func(name string) ([]byte, error) {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		b, _ := pem.Decode(data)
		if b == nil {
			return nil, fmt.Errorf("%s: no PEM block", name)
		}
		return b.Bytes, nil
	}
	p := &peerPKI{caPEM: filepath.Join(dir, "ca.pem")}
	der, err := block("ca.pem")
	if err == nil {
		p.ca, err = x509.ParseCertificate(der)
	}
	if err != nil {
		return nil, err
	}
	for _, s := range []struct {
		name string
		to   *peerSigner
	}{{"rsa", &p.rsa}, {"ec", &p.ec}} {
		ps := peerSigner{pem: filepath.Join(dir, s.name+".pem"), key: filepath.Join(dir, s.name+".key"),
			p12: filepath.Join(dir, s.name+".p12"), nick: "peer-" + s.name}
		der, err := block(s.name + ".pem")
		if err == nil {
			ps.cert, err = x509.ParseCertificate(der)
		}
		if err != nil {
			return nil, err
		}
		if der, err = block(s.name + ".key"); err != nil {
			return nil, err
		}
		k, err := x509.ParsePKCS8PrivateKey(der)
		if err != nil {
			return nil, err
		}
		var ok bool
		if ps.signer, ok = k.(crypto.Signer); !ok {
			return nil, fmt.Errorf("%s.key: %T is no signer", s.name, k)
		}
		*s.to = ps
	}
	return p, nil
}

// peerWant is the verdict expected for a genuine peer signature.
type peerWant struct {
	sub       trust.SubIndication // of the INDETERMINATE verdict
	subFilter string              // the signature's Format for the detached SubFilters
	// tamperSub is the TOTAL-FAILED sub-indication once a signed byte is flipped:
	// HASH_FAILURE (the default) where signed attributes carry the message digest.
	tamperSub trust.SubIndication
	// noPdfsig: poppler 22.12 cannot check the signature (a signer identified by
	// subjectKeyIdentifier is its "Unknown Validation Failure"); openssl still must.
	noPdfsig bool
}

var unknownCA = peerWant{sub: trust.NoCertificateChainFound}

// helloAt is where the tamper test flips a byte: the first page's text, in the first
// revision, which every peer's byte range covers.
func helloAt(t testing.TB, data []byte) int {
	t.Helper()
	i := bytes.Index(data, []byte("Hello, page 1"))
	if i < 0 {
		t.Fatal("the page text is not in the signed file")
	}
	return i
}

// byteRangeRE finds a signature dictionary's /ByteRange.
var byteRangeRE = regexp.MustCompile(`/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]`)

// opensslVerifies checks the (only) signature of a peer's file with openssl cms -verify
// over its byte ranges (the certificate chain left out): an oracle independent of ours.
// For adbe.pkcs7.sha1 the CMS encapsulates the SHA-1 digest of the ranges instead.
func opensslVerifies(t *testing.T, path string, sha1Encapsulated bool) {
	t.Helper()
	openssl := testenv.Tool(t, "openssl")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	br := byteRangeRE.FindAllSubmatch(data, -1)
	cs := contentsRE.FindAllSubmatch(data, -1)
	if len(br) != 1 || len(cs) != 1 {
		t.Fatalf("%d /ByteRange and %d /Contents in the peer's file, want 1 each", len(br), len(cs))
	}
	var r [4]int
	for i := range r {
		if r[i], err = strconv.Atoi(string(br[0][i+1])); err != nil { // decimal, leading zeros too
			t.Fatal(err)
		}
	}
	if r[0] != 0 || r[1] > r[2] || r[2]+r[3] != len(data) {
		t.Fatalf("peer's /ByteRange %v over %d bytes", r, len(data))
	}
	full, err := hex.DecodeString(string(cs[0][1]))
	if err != nil {
		t.Fatal(err)
	}
	_, _, end, _, err := berElement(full, 0) // without the placeholder's zero padding
	if err != nil {
		t.Fatalf("the peer's CMS: %v", err)
	}
	cms := full[:end]
	dir := t.TempDir()
	signed := append(append([]byte{}, data[:r[1]]...), data[r[2]:]...)
	if err := os.WriteFile(filepath.Join(dir, "signed.bin"), signed, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "cms.der"), cms, 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"cms", "-verify", "-binary", "-inform", "DER", "-in", "cms.der", "-noverify", "-out", "content.bin"}
	if !sha1Encapsulated {
		args = append(args, "-content", "signed.bin")
	}
	runPeer(t, dir, openssl, args...)
	if sha1Encapsulated {
		content, err := os.ReadFile(filepath.Join(dir, "content.bin"))
		if d := sha1.Sum(signed); err != nil || !bytes.Equal(content, d[:]) {
			t.Fatalf("the encapsulated content is not the SHA-1 digest of the byte ranges (%v)", err)
		}
	}
}

// checkPeerFile verifies a peer's signed file: pdfsig and openssl first (the peer's
// output is a valid signature), then ours; then the same file with one signed byte
// flipped.
func checkPeerFile(t *testing.T, path string, want peerWant) {
	t.Helper()
	if !want.noPdfsig {
		pdfsig := testenv.Tool(t, "pdfsig")
		if out := runPeer(t, filepath.Dir(path), pdfsig, "-nocert", path); !bytes.Contains(out, []byte("Signature Validation: Signature is Valid.")) {
			t.Fatalf("pdfsig does not call the peer's signature valid:\n%s", out)
		}
	}
	opensslVerifies(t, path, want.subFilter == "adbe.pkcs7.sha1")
	pol := testPolicy(t)
	rep, err := VerifyFile(context.Background(), path, pol)
	if err != nil {
		t.Fatal(err)
	}
	logReport := func(rep *trust.DocumentReport) {
		t.Helper()
		for _, s := range rep.Signatures {
			t.Logf("%s: %s/%s %v intact=%v coverage=%s checks=%+v", s.ID, s.Indication, s.SubIndication, s.Summary, s.Intact, s.Coverage, s.Checks)
		}
	}
	if len(rep.Signatures) != 1 {
		logReport(rep)
		t.Fatalf("%d signatures (error %v), want 1", len(rep.Signatures), rep.Error)
	}
	s := rep.Signatures[0]
	if s.Integrity() != trust.IntegrityIntact || s.Coverage != trust.CoverageWhole || s.Indication != trust.Indeterminate || s.SubIndication != want.sub {
		logReport(rep)
		t.Fatalf("peer signature: %s/%s %v intact=%v coverage=%s; want intact, whole, %s/%s",
			s.Indication, s.SubIndication, s.Summary, s.Intact, s.Coverage, trust.Indeterminate, want.sub)
	}
	if s.Signer == nil || !strings.HasPrefix(s.Signer.Subject, "CN=Throwaway Peer ") {
		t.Fatalf("signer %+v", s.Signer)
	}
	chainMissing := false
	for _, c := range s.Checks {
		chainMissing = chainMissing || (c.Name == "chain" && !c.Passed)
	}
	if !chainMissing {
		logReport(rep)
		t.Fatal("no failed chain check for the throwaway CA")
	}
	if want.subFilter != "" && s.Format != want.subFilter && !(want.subFilter == "ETSI.CAdES.detached" && strings.HasPrefix(s.Format, "PAdES")) {
		t.Errorf("format %q, want %s", s.Format, want.subFilter)
	}

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data[helloAt(t, data)] ^= 0x01 // 'H' → 'I'
	tampered := writeTemp(t, "tampered.pdf", data)
	rep, err = VerifyFile(context.Background(), tampered, pol)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Signatures) != 1 {
		logReport(rep)
		t.Fatalf("tampered: %d signatures (error %v), want 1", len(rep.Signatures), rep.Error)
	}
	if want.tamperSub == "" {
		want.tamperSub = trust.HashFailure
	}
	if s := rep.Signatures[0]; s.Integrity() != trust.IntegrityBroken || s.Indication != trust.TotalFailed || s.SubIndication != want.tamperSub {
		logReport(rep)
		t.Fatalf("tampered peer signature: %s/%s integrity %s; want TOTAL-FAILED/%s, broken", s.Indication, s.SubIndication, s.Integrity(), want.tamperSub)
	}
}

// contentsRE finds a signature dictionary's /Contents hex string.
var contentsRE = regexp.MustCompile(`/Contents\s*<([0-9A-Fa-f]+)>`)

// requireEncoding checks how a peer encoded the (only) signature's CMS: BER with an
// indefinite-length ContentInfo, or DER — so that each peer tests what it claims to.
func requireEncoding(t *testing.T, path string, ber bool) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := contentsRE.FindAllSubmatch(data, -1)
	if len(m) != 1 {
		t.Fatalf("%d /Contents strings in the peer's file, want 1", len(m))
	}
	raw, err := hex.DecodeString(string(m[0][1][:4]))
	if err != nil || raw[0] != 0x30 {
		t.Fatalf("/Contents does not start with a SEQUENCE: %x", m[0][1][:4])
	}
	if indefinite := raw[1] == 0x80; indefinite != ber {
		t.Fatalf("CMS starts %x: BER with indefinite lengths is %v, want %v", raw, indefinite, ber)
	}
}

// placeholderFor prepares an incremental update of in with a signature field whose
// dictionary has the given SubFilter, the ByteRange filled in and /Contents all zeros,
// calls mk with the signed bytes and splices its CMS into /Contents: the way any
// detached PDF signer works, with the CMS left to another tool.
func placeholderFor(t *testing.T, in []byte, pki *peerPKI, subFilter string, mk func(signed []byte) []byte) []byte {
	t.Helper()
	f, err := NewFile(bytes.NewReader(in), int64(len(in)))
	if err != nil {
		t.Fatal(err)
	}
	opts := SignOptions{Profile: PAdES, Signer: pki.rsa.signer, Certificate: pki.rsa.cert, Chain: []*x509.Certificate{pki.ca},
		Time: time.Now()}
	p, err := prepare(f, opts)
	if err != nil {
		t.Fatal(err)
	}
	// Room for what openssl adds beyond our own signed attributes.
	const extra = 4096
	raw := p.inc.raw[p.sigRef.Num]
	raw = bytes.Replace(raw, []byte("/SubFilter /ETSI.CAdES.detached"), []byte("/SubFilter /"+subFilter), 1)
	zeros := "<" + strings.Repeat("0", p.hexLen) + ">"
	if !bytes.Contains(raw, []byte(zeros)) {
		t.Fatal("no /Contents placeholder in the signature dictionary")
	}
	p.inc.raw[p.sigRef.Num] = bytes.Replace(raw, []byte(zeros), []byte("<"+strings.Repeat("0", p.hexLen+extra)+">"), 1)
	p.hexLen += extra
	ser, err := p.inc.serialize(int64(len(in)), p.sigRef.Num, p.newline)
	if err != nil {
		t.Fatal(err)
	}
	size := int64(len(in))
	a, b := size+int64(ser.contentsAt), size+int64(ser.contentsEnd)
	total := size + int64(len(ser.data))
	copy(ser.data[ser.byteRangeAt:], fmt.Sprintf("%010d %010d %010d", a, b, total-b))
	out := append(append([]byte{}, in...), ser.data...)
	if out[a] != '<' || out[b-1] != '>' {
		t.Fatalf("the byte range does not skip exactly /Contents: %q…%q", out[a], out[b-1])
	}
	signed := append(append([]byte{}, out[:a]...), out[b:]...)
	enc := hex.EncodeToString(mk(signed))
	if len(enc) > p.hexLen {
		t.Fatalf("CMS of %d bytes does not fit the placeholder", len(enc)/2)
	}
	copy(out[a+1:], enc)
	return out
}

// berElement reads the identifier and length octets of the BER element at data[at:] and
// returns where its contents start and where the element ends (after the end-of-contents
// octets when its length is indefinite). Only low tag numbers occur in CMS.
func berElement(data []byte, at int) (tag byte, body, end int, indefinite bool, err error) {
	if at+2 > len(data) {
		return 0, 0, 0, false, fmt.Errorf("BER element at %d: truncated", at)
	}
	tag = data[at]
	if tag&0x1f == 0x1f {
		return 0, 0, 0, false, fmt.Errorf("BER element at %d: high tag number", at)
	}
	l := int(data[at+1])
	body = at + 2
	switch {
	case l == 0x80:
		if tag&0x20 == 0 {
			return 0, 0, 0, false, fmt.Errorf("BER element at %d: primitive with indefinite length", at)
		}
		for p := body; ; {
			if p+2 > len(data) {
				return 0, 0, 0, false, fmt.Errorf("BER element at %d: no end-of-contents", at)
			}
			if data[p] == 0 && data[p+1] == 0 {
				return tag, body, p + 2, true, nil
			}
			_, _, next, _, err := berElement(data, p)
			if err != nil {
				return 0, 0, 0, false, err
			}
			p = next
		}
	case l > 0x80:
		n := l & 0x7f
		if n > 4 || body+n > len(data) {
			return 0, 0, 0, false, fmt.Errorf("BER element at %d: bad length", at)
		}
		l = 0
		for _, c := range data[body : body+n] {
			l = l<<8 | int(c)
		}
		body += n
	}
	if body+l > len(data) {
		return 0, 0, 0, false, fmt.Errorf("BER element at %d: truncated contents", at)
	}
	return tag, body, body + l, false, nil
}

// detachBER removes the encapsulated content (eContent) from openssl's BER SignedData.
// openssl cms -sign -stream always encapsulates the content in its BER output (with
// detached content it writes DER instead), while a PDF signature's CMS must not carry
// the signed bytes. Every enclosing element has an indefinite length, so cutting the
// [0] eContent element out leaves a valid BER encoding of the same SignedData, with
// openssl's own signature over the same bytes.
func detachBER(t *testing.T, cms []byte) []byte {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("openssl's CMS is not the expected BER shape: "+format, args...)
	}
	// ContentInfo ::= SEQUENCE { contentType, [0] EXPLICIT SignedData }
	tag, body, _, indef, err := berElement(cms, 0)
	if err != nil || tag != 0x30 || !indef {
		fail("ContentInfo %x %v", tag, err)
	}
	_, _, p, _, err := berElement(cms, body) // contentType
	if err != nil {
		fail("%v", err)
	}
	if tag, body, _, indef, err = berElement(cms, p); err != nil || tag != 0xa0 || !indef {
		fail("[0] %x %v", tag, err)
	}
	if tag, body, _, indef, err = berElement(cms, body); err != nil || tag != 0x30 || !indef {
		fail("SignedData %x %v", tag, err)
	}
	p = body
	for range 2 { // version, digestAlgorithms
		if _, _, p, _, err = berElement(cms, p); err != nil {
			fail("%v", err)
		}
	}
	// EncapsulatedContentInfo ::= SEQUENCE { eContentType, [0] EXPLICIT eContent OPTIONAL }
	if tag, body, _, indef, err = berElement(cms, p); err != nil || tag != 0x30 || !indef {
		fail("EncapsulatedContentInfo %x %v", tag, err)
	}
	if _, _, p, _, err = berElement(cms, body); err != nil {
		fail("%v", err)
	}
	tag, _, end, _, err := berElement(cms, p)
	if err != nil || tag != 0xa0 {
		fail("no eContent: %x %v", tag, err)
	}
	return append(append([]byte{}, cms[:p]...), cms[end:]...)
}

func TestPeerOpenSSLCMS(t *testing.T) {
	openssl := testenv.Tool(t, "openssl")
	pki := throwawayPKI(t)
	for _, c := range []struct {
		name      string
		spec      docSpec
		subFilter string
		md        string
		args      []string // beyond -sign -binary -outform DER -md
		ber       bool
		ec        bool // the ECDSA P-256 signer instead of the RSA one
		want      peerWant
	}{
		// DER (no streaming): the control, already read before BER support.
		{"der-attributes", docSpec{}, "adbe.pkcs7.detached", "sha256", nil, false, false, unknownCA},
		{"ber-attributes", docSpec{}, "adbe.pkcs7.detached", "sha256", []string{"-stream"}, true, false, unknownCA},
		// Without signed attributes the digest of the ranges is signed directly: a flipped
		// byte shows as a signature value that does not verify.
		{"ber-noattr", docSpec{xrefStream: true}, "adbe.pkcs7.detached", "sha256", []string{"-stream", "-noattr"}, true, false,
			peerWant{sub: trust.NoCertificateChainFound, tamperSub: trust.SigCryptoFailure}},
		{"ber-cades", docSpec{acroForm: "indirect", textField: true}, "ETSI.CAdES.detached", "sha256", []string{"-stream", "-cades"}, true, false, unknownCA},
		// ECDSA P-256, the signer identified by subjectKeyIdentifier.
		{"ber-ecdsa-keyid", docSpec{}, "adbe.pkcs7.detached", "sha256", []string{"-stream", "-keyid"}, true, true,
			peerWant{sub: trust.NoCertificateChainFound, noPdfsig: true}},
		// adbe.pkcs7.sha1 encapsulates the SHA-1 digest of the byte ranges: openssl's
		// BER output as it is (a constructed, indefinite-length eContent). SHA-1 makes it
		// INDETERMINATE for its weak algorithm before the chain is looked at. (With a
		// SHA-256 SignerInfo over the SHA-1 content pdfsig reports a digest mismatch.)
		{"ber-sha1-encapsulated", docSpec{}, "adbe.pkcs7.sha1", "sha1", []string{"-stream"}, true, false,
			peerWant{sub: trust.CryptoConstraintsFailure}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			signed := placeholderFor(t, makePDF(t, c.spec), pki, c.subFilter, func(signed []byte) []byte {
				content := signed
				if c.subFilter == "adbe.pkcs7.sha1" {
					d := sha1.Sum(signed)
					content = d[:]
				}
				in := filepath.Join(dir, "ranges.bin")
				if err := os.WriteFile(in, content, 0o600); err != nil {
					t.Fatal(err)
				}
				signer := pki.rsa
				if c.ec {
					signer = pki.ec
				}
				args := append([]string{"cms", "-sign", "-binary", "-outform", "DER", "-md", c.md,
					"-signer", signer.pem, "-inkey", signer.key, "-certfile", pki.caPEM, "-in", in, "-out", "cms.der"}, c.args...)
				runPeer(t, dir, openssl, args...)
				cms, err := os.ReadFile(filepath.Join(dir, "cms.der"))
				if err != nil {
					t.Fatal(err)
				}
				if c.ber && c.subFilter != "adbe.pkcs7.sha1" {
					cms = detachBER(t, cms)
				}
				return cms
			})
			path := writeTemp(t, "openssl.pdf", signed)
			requireEncoding(t, path, c.ber)
			want := c.want
			want.subFilter = c.subFilter
			checkPeerFile(t, path, want)
		})
	}
}

// nssDB makes an NSS database in dir holding the throwaway RSA signer's key and
// certificate (nickname pki.rsa.nick) and returns its pdfsig -nssdir argument. (poppler
// 22.12 cannot sign with an EC key: "unable update signature".)
func nssDB(t *testing.T, dir string, pki *peerPKI) string {
	t.Helper()
	certutil := testenv.Tool(t, "certutil")
	pk12util := testenv.Tool(t, "pk12util")
	db := filepath.Join(dir, "nss")
	if err := os.Mkdir(db, 0o700); err != nil {
		t.Fatal(err)
	}
	runPeer(t, dir, certutil, "-N", "-d", "sql:"+db, "--empty-password")
	runPeer(t, dir, pk12util, "-i", pki.rsa.p12, "-d", "sql:"+db, "-W", peerPassword)
	return "sql:" + db
}

func TestPeerPdfsigNSS(t *testing.T) {
	pdfsig := testenv.Tool(t, "pdfsig")
	dir := t.TempDir()
	pki := throwawayPKI(t)
	nss := nssDB(t, dir, pki)
	// poppler 22.12 refuses -etsi with -add-signature: adbe.pkcs7.detached only.
	for name, spec := range map[string]docSpec{
		"plain":               {},
		"xrefstream-acroform": {xrefStream: true, acroForm: "indirect", textField: true},
	} {
		t.Run(name, func(t *testing.T) {
			in := writeTemp(t, "in.pdf", makePDF(t, spec))
			out := filepath.Join(filepath.Dir(in), "pdfsig.pdf")
			runPeer(t, dir, pdfsig, "-nssdir", nss, "-add-signature", "-nick", pki.rsa.nick, "-digest", "SHA256",
				"-new-signature-field-name", "PeerSignature", in, out)
			requireEncoding(t, out, true) // NSS writes BER with indefinite lengths
			checkPeerFile(t, out, peerWant{sub: trust.NoCertificateChainFound, subFilter: "adbe.pkcs7.detached"})
		})
	}
}

// sigFieldPDF is a sample document with one empty signature field (mutool sign signs
// existing fields only): the sample's text field turned into a signature field, padded to
// the same length so that the cross-reference table stays right. It returns the field's
// object number too (mutool signs every signature field, signed ones included, unless
// told which).
func sigFieldPDF(t *testing.T) ([]byte, string) {
	t.Helper()
	data := makePDF(t, docSpec{acroForm: "indirect", textField: true})
	text := []byte("/FT /Tx /T (Name) /V (Taro)")
	sig := []byte("/FT /Sig /T (PeerSignature)")
	if len(text) != len(sig) || bytes.Count(data, text) != 1 {
		t.Fatal("the sample's text field is not where expected")
	}
	data = bytes.Replace(data, text, sig, 1)
	m := regexp.MustCompile(`(\d+) 0 obj\s*<<[^>]*/FT /Sig /T \(PeerSignature\)`).FindSubmatch(data)
	if m == nil {
		t.Fatal("no signature field object in the sample")
	}
	return data, string(m[1])
}

func TestPeerMutool(t *testing.T) {
	mutool := testenv.Tool(t, "mutool")
	pki := throwawayPKI(t)
	for name, signer := range map[string]peerSigner{"rsa": pki.rsa, "ecdsa": pki.ec} {
		t.Run(name, func(t *testing.T) {
			data, field := sigFieldPDF(t)
			in := writeTemp(t, "in.pdf", data)
			dir := filepath.Dir(in)
			out := filepath.Join(dir, "mutool.pdf")
			// With an ECDSA key mupdf 1.21 now and then (about one time in three here)
			// leaves /Contents all zeros and still exits 0 — presumably the final DER
			// ECDSA value came out longer than the trial one it sized /Contents by. Such a
			// file holds no signature (ours must not call it broken either); sign again.
			for try := 1; ; try++ {
				runPeer(t, dir, mutool, "sign", "-s", signer.p12, "-P", peerPassword, "-o", out, in, field)
				if !mutoolLeftPlaceholder(t, out) {
					break
				}
				if try == 10 {
					t.Fatal("mutool left /Contents empty 10 times")
				}
			}
			// mupdf 1.21 signs with SHA-1 (no option to choose): intact, but SHA-1 is too
			// weak for a signature, and that INDETERMINATE comes before the missing chain
			// (which the check list shows too).
			checkPeerFile(t, out, peerWant{sub: trust.CryptoConstraintsFailure, subFilter: "adbe.pkcs7.detached"})
		})
	}
}

// mutoolLeftPlaceholder reports whether mutool wrote a file whose /Contents is all
// zeros; it checks that we then report no proof of a broken signature.
func mutoolLeftPlaceholder(t *testing.T, path string) bool {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := contentsRE.FindSubmatch(data)
	if m == nil {
		t.Fatal("no /Contents in mutool's file")
	}
	if len(bytes.Trim(m[1], "0")) > 0 {
		return false
	}
	rep, err := VerifyFile(context.Background(), path, testPolicy(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range rep.Signatures {
		if s.Integrity() != trust.IntegrityUnknown || s.Indication == trust.TotalFailed {
			t.Fatalf("an all-zero /Contents: %s/%s integrity %s, want no proof either way", s.Indication, s.SubIndication, s.Integrity())
		}
	}
	t.Logf("mutool left /Contents all zeros (%d signatures reported %v)", len(rep.Signatures), rep.Indication)
	return true
}

// pdfboxClassPath is Debian's PDFBox 2 and BouncyCastle jars (libpdfbox2-java,
// libbcpkix-java, libbcprov-java, libbcutil-java and their dependencies).
var pdfboxClassPath = []string{"pdfbox2.jar", "fontbox2.jar", "commons-logging.jar", "bcprov.jar", "bcpkix.jar", "bcutil.jar"}

var pdfboxOnce struct {
	once    sync.Once
	classes string
	err     error
}

// pdfboxSigner compiles testdata/peers/pdfbox/Sign.java once per test binary run and
// returns the class path to run it with.
func pdfboxSigner(t testing.TB) string {
	t.Helper()
	javac := testenv.Tool(t, "javac")
	var cp []string
	for _, jar := range pdfboxClassPath {
		p := filepath.Join("/usr/share/java", jar)
		if _, err := os.Stat(p); err != nil {
			testenv.Unavailable(t, "%s is missing (Debian libpdfbox2-java, libbcpkix-java, libbcprov-java)", p)
		}
		cp = append(cp, p)
	}
	pdfboxOnce.once.Do(func() {
		root, err := peerTempDir()
		if err != nil {
			pdfboxOnce.err = err
			return
		}
		classes := filepath.Join(root, "pdfbox")
		src, err := filepath.Abs(filepath.Join("..", "testdata", "peers", "pdfbox", "Sign.java"))
		if err != nil {
			pdfboxOnce.err = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), peerTimeout)
		defer cancel()
		out, err := exec.CommandContext(ctx, javac, "-d", classes, "-cp", strings.Join(cp, ":"), src).CombinedOutput()
		if err != nil {
			pdfboxOnce.err = fmt.Errorf("javac Sign.java: %v\n%s", err, out)
			return
		}
		pdfboxOnce.classes = classes
	})
	if pdfboxOnce.err != nil {
		t.Fatal(pdfboxOnce.err)
	}
	return strings.Join(append([]string{pdfboxOnce.classes}, cp...), ":")
}

func TestPeerPDFBox(t *testing.T) {
	java := testenv.Tool(t, "java")
	cp := pdfboxSigner(t)
	pki := throwawayPKI(t)
	dir := t.TempDir()
	cases := []struct {
		name, mode, subFilter string
		signer                peerSigner
		spec                  docSpec
	}{
		{"der-adbe", "der", "adbe.pkcs7.detached", pki.rsa, docSpec{}},
		{"ber-adbe", "ber", "adbe.pkcs7.detached", pki.rsa, docSpec{}},
		{"ber-etsi-xrefstream", "ber", "ETSI.CAdES.detached", pki.rsa, docSpec{xrefStream: true, annots: "indirect"}},
		{"ber-ecdsa", "ber", "adbe.pkcs7.detached", pki.ec, docSpec{acroForm: "direct"}},
		// The signer identified by subjectKeyIdentifier.
		{"der-ski-etsi", "der-ski", "ETSI.CAdES.detached", pki.rsa, docSpec{}},
		{"ber-ecdsa-ski", "ber-ski", "adbe.pkcs7.detached", pki.ec, docSpec{}},
	}
	// One JVM start signs every case.
	args := []string{"-cp", cp, "Sign", peerPassword}
	for _, c := range cases {
		in := filepath.Join(dir, c.name+".in.pdf")
		if err := os.WriteFile(in, makePDF(t, c.spec), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, c.signer.p12, c.mode, c.subFilter, in, filepath.Join(dir, c.name+".pdf"))
	}
	runPeer(t, dir, java, args...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(dir, c.name+".pdf")
			requireEncoding(t, out, strings.HasPrefix(c.mode, "ber"))
			checkPeerFile(t, out, peerWant{sub: trust.NoCertificateChainFound, subFilter: c.subFilter,
				noPdfsig: strings.HasSuffix(c.mode, "-ski")})
		})
	}
}

// TestPeerAfterOurs has peers sign a document that we signed first: their incremental
// updates must leave our signature valid (changes permitted for a later signature).
func TestPeerAfterOurs(t *testing.T) {
	pol := testPolicy(t)
	pki := throwawayPKI(t)
	doc, field := sigFieldPDF(t)
	ours, _ := signBytes(t, doc, personaOptions(t, "valid", PAdES))
	dir := t.TempDir()
	in := filepath.Join(dir, "ours.pdf")
	if err := os.WriteFile(in, ours, 0o644); err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T, path string) {
		t.Helper()
		rep, err := VerifyFile(context.Background(), path, pol)
		if err != nil {
			t.Fatal(err)
		}
		fail := func(format string, args ...any) {
			t.Helper()
			for _, s := range rep.Signatures {
				t.Logf("%s: %s/%s %v intact=%v coverage=%s changes=%+v checks=%+v", s.ID, s.Indication, s.SubIndication, s.Summary, s.Intact, s.Coverage, s.ChangesAfterSigning, s.Checks)
			}
			t.Fatalf(format, args...)
		}
		if len(rep.Signatures) != 2 {
			fail("%d signatures, want 2", len(rep.Signatures))
		}
		first, second := rep.Signatures[0], rep.Signatures[1]
		if first.Indication != trust.TotalPassed || first.Coverage != trust.CoverageRevision || first.ChangesAfterSigning.Level != trust.ChangesPermitted {
			fail("our signature after the peer's: %s/%s coverage %s changes %+v", first.Indication, first.SubIndication, first.Coverage, first.ChangesAfterSigning)
		}
		if second.Integrity() != trust.IntegrityIntact || second.Coverage != trust.CoverageWhole || second.Indication != trust.Indeterminate {
			fail("the peer's signature: %s/%s integrity %s coverage %s", second.Indication, second.SubIndication, second.Integrity(), second.Coverage)
		}
	}
	t.Run("pdfbox", func(t *testing.T) {
		java := testenv.Tool(t, "java")
		cp := pdfboxSigner(t)
		out := filepath.Join(dir, "pdfbox.pdf")
		runPeer(t, dir, java, "-cp", cp, "Sign", peerPassword, pki.rsa.p12, "der", "adbe.pkcs7.detached", in, out)
		check(t, out)
	})
	t.Run("mutool", func(t *testing.T) {
		mutool := testenv.Tool(t, "mutool")
		out := filepath.Join(dir, "mutool.pdf")
		runPeer(t, dir, mutool, "sign", "-s", pki.rsa.p12, "-P", peerPassword, "-o", out, in, field)
		check(t, out)
	})
	t.Run("pdfsig", func(t *testing.T) {
		pdfsig := testenv.Tool(t, "pdfsig")
		nss := nssDB(t, dir, pki)
		out := filepath.Join(dir, "pdfsig.pdf")
		runPeer(t, dir, pdfsig, "-nssdir", nss, "-add-signature", "-nick", pki.rsa.nick, "-new-signature-field-name", "PeerSignature2", in, out)
		check(t, out)
	})
}
