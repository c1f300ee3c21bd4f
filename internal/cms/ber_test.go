package cms

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/internal/testenv"
	"github.com/mynasign/mynasign/internal/testpki"
)

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestToDER(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"primitive", "04 02 01 02", "04 02 01 02"},
		{"non-minimal length", "04 81 02 01 02", "04 02 01 02"},
		{"long form, four octets", "04 84 00 00 00 01 07", "04 01 07"},
		{"indefinite sequence", "30 80 02 01 05 00 00", "30 03 02 01 05"},
		{"nested indefinite", "30 80 30 80 05 00 00 00 00 00", "30 04 30 02 05 00"},
		{"segmented octet string", "24 80 04 01 61 04 02 62 63 00 00", "04 03 61 62 63"},
		{"segments in segments", "24 0a 24 80 04 01 61 00 00 04 01 62", "04 02 61 62"},
		{"segmented bit string", "23 09 03 02 00 aa 03 03 04 bb c0", "03 04 04 aa bb c0"},
		{"context tag kept constructed", "a0 80 04 01 01 00 00", "a0 03 04 01 01"},
		{"high tag number", "bf 81 00 80 05 00 00 00", "bf 81 00 02 05 00"},
		{"set order kept", "31 06 02 01 02 02 01 01", "31 06 02 01 02 02 01 01"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := append(mustHex(t, c.in), 0xEE)
			der, rest, err := toDER(in)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(der, mustHex(t, c.want)) {
				t.Errorf("toDER(%s) = % x, want %s", c.in, der, c.want)
			}
			if !bytes.Equal(rest, []byte{0xEE}) {
				t.Errorf("rest = % x, want ee", rest)
			}
		})
	}
}

func TestToDERRefuses(t *testing.T) {
	deep := bytes.Repeat([]byte{0x30, 0x80}, berMaxDepth+2)
	deep = append(deep, bytes.Repeat([]byte{0, 0}, berMaxDepth+2)...)
	for _, c := range []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"truncated length", mustHex(t, "04")},
		{"content past the end", mustHex(t, "04 05 01")},
		{"indefinite primitive", mustHex(t, "04 80 01 00 00")},
		{"no end-of-contents", mustHex(t, "30 80 02 01 01")},
		{"five length octets", mustHex(t, "04 85 00 00 00 00 01 00")},
		{"segment of another type", mustHex(t, "24 03 02 01 01")},
		{"bit string with unused bits before the last segment", mustHex(t, "23 08 03 02 04 aa 03 02 00 bb")},
		{"too deep", deep},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, _, err := toDER(c.in); !errors.Is(err, ErrFormat) {
				t.Errorf("toDER(% x) error = %v, want ErrFormat", c.in, err)
			}
		})
	}
}

// DER is its own image: our own CMS and its certificates come out byte for byte.
func TestToDERKeepsDER(t *testing.T) {
	p, err := testpki.PersonaByID("valid")
	if err != nil {
		t.Fatal(err)
	}
	d := sha256.Sum256([]byte("content"))
	sp := SignParams{Certificate: p.SignCert, ContentDigest: d[:], SigningCertificateV2: true, Chain: testpki.SignCAs()}
	der, err := sp.Sign(p.SignKey)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range [][]byte{der, p.SignCert.Raw} {
		out, rest, err := toDER(in)
		if err != nil || len(rest) != 0 || !bytes.Equal(out, in) {
			t.Fatalf("toDER changed DER input (err %v, %d bytes left)", err, len(rest))
		}
	}
	sd, _, err := Parse(der)
	if err != nil {
		t.Fatal(err)
	}
	if sd.BER {
		t.Error("our DER CMS is reported as BER")
	}
}

// The signed attributes are checked over the SET OF in the written order and, when the
// signature is over the sorted DER, over that.
func TestSignedAttrsSortedForm(t *testing.T) {
	unsorted := mustHex(t, "31 0a 30 03 06 01 02 30 03 06 01 01")
	sorted, err := sortedSETOFDER(unsorted)
	if err != nil {
		t.Fatal(err)
	}
	if want := mustHex(t, "31 0a 30 03 06 01 01 30 03 06 01 02"); !bytes.Equal(sorted, want) {
		t.Fatalf("sorted = % x, want % x", sorted, want)
	}
}

// openssl cms -sign -stream writes BER (indefinite lengths): it must parse, verify, and
// fail on a changed content.
func TestOpenSSLStreamedBER(t *testing.T) {
	openssl := testenv.Tool(t, "openssl")
	p, err := testpki.PersonaByID("valid")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, typ string, der []byte) string {
		var b bytes.Buffer
		pem.Encode(&b, &pem.Block{Type: typ, Bytes: der})
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	certFile := write("cert.pem", "CERTIFICATE", p.SignCert.Raw)
	keyDER, err := x509MarshalPKCS8(p.SignKey)
	if err != nil {
		t.Fatal(err)
	}
	keyFile := write("key.pem", "PRIVATE KEY", keyDER)
	content := bytes.Repeat([]byte("申請書の本文 "), 3000)
	contentFile := filepath.Join(dir, "content.bin")
	if err := os.WriteFile(contentFile, content, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		ber  bool
		args []string
	}{
		{"attributes", true, []string{"-stream"}},
		{"no attributes", true, []string{"-stream", "-noattr"}},
		{"SKI signer", true, []string{"-stream", "-keyid"}},
		// OpenSSL 3.0 cannot stream with key options: this one is DER.
		{"PSS", false, []string{"-keyopt", "rsa_padding_mode:pss", "-keyopt", "rsa_pss_saltlen:32"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(dir, "sig.ber")
			args := append([]string{"cms", "-sign", "-binary", "-md", "sha256", "-outform", "DER",
				"-signer", certFile, "-inkey", keyFile, "-in", contentFile, "-out", out}, c.args...)
			if msg, err := exec.Command(openssl, args...).CombinedOutput(); err != nil {
				t.Fatalf("openssl %v: %v\n%s", args, err, msg)
			}
			ber, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if c.ber != bytes.Contains(ber[:4], []byte{0x80}) {
				t.Fatalf("openssl wrote indefinite lengths: %v, want %v (% x)", !c.ber, c.ber, ber[:8])
			}
			sd, _, err := Parse(ber)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if sd.BER != c.ber || len(sd.Signers) != 1 {
				t.Fatalf("BER %v, %d signers", sd.BER, len(sd.Signers))
			}
			si := &sd.Signers[0]
			cert := si.FindCertificate(sd.Certificates)
			if cert == nil || !cert.Equal(p.SignCert) {
				t.Fatal("signer certificate not found")
			}
			d := sha256.Sum256(content)
			if err := sd.VerifySigner(si, cert, d[:]); err != nil {
				t.Fatalf("VerifySigner: %v", err)
			}
			changed := bytes.Clone(content)
			changed[len(changed)/2] ^= 1
			d = sha256.Sum256(changed)
			err = sd.VerifySigner(si, cert, d[:])
			if !errors.Is(err, ErrDigestMismatch) && !errors.Is(err, ErrBadSignature) {
				t.Fatalf("changed content: %v, want a digest or signature failure", err)
			}
		})
	}
}

// A hostile 1 MB input costs the parser a bounded multiple of its size.
func TestBERParseMemory(t *testing.T) {
	var in []byte
	in = append(in, 0x30, 0x80, 0x06, 0x09)
	in = append(in, mustAsn1(t, OIDSignedData)...)
	in = append(in, 0xA0, 0x80, 0x30, 0x80)
	// A huge segmented OCTET STRING of one-byte segments, nested a few deep.
	for d := 0; d < 10; d++ {
		in = append(in, 0x24, 0x80)
	}
	for len(in) < 1<<20 {
		in = append(in, 0x04, 0x01, 0x41)
	}
	for d := 0; d < 10; d++ {
		in = append(in, 0, 0)
	}
	in = append(in, 0, 0, 0, 0, 0, 0)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	Parse(in)
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 4*uint64(len(in)) {
		t.Errorf("parsing %d bytes allocated %d bytes", len(in), got)
	}
}

func mustAsn1(t *testing.T, oid asn1.ObjectIdentifier) []byte {
	t.Helper()
	b, err := asn1.Marshal(oid)
	if err != nil {
		t.Fatal(err)
	}
	return b[2:]
}

func x509MarshalPKCS8(k any) ([]byte, error) { return x509.MarshalPKCS8PrivateKey(k) }
