package xades

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/mynasign/mynasign/internal/testenv"
	"github.com/mynasign/mynasign/trust"
)

// xadesjs (npm, pinned in testdata/peers/xadesjs/package-lock.json, installed by
// scripts/install-deps test) signs XAdES-BES with a throwaway key and certificate made
// by openssl: we must find it intact, the signer unknown, and a changed byte of the
// signed content must break it.
func TestPeerXadesjs(t *testing.T) {
	node := testenv.Tool(t, "node")
	peer, err := filepath.Abs(filepath.Join("..", "testdata", "peers", "xadesjs"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(peer, "node_modules", "xadesjs")); err != nil {
		testenv.Unavailable(t, "the xadesjs test peer is not installed (npm ci in %s)", peer)
	}
	openssl := testenv.Tool(t, "openssl")
	policy := testPolicy(t)
	for _, c := range []struct {
		alg    string
		newkey []string
		sigAlg string
		// hoisted: xmldsigjs 2.8.8 signs RSA-PSS over a SignedInfo whose RSAPSSParams
		// namespace it moved onto SignedInfo, not over the canonical SignedInfo: the
		// value verifies only over that form, which we report as INDETERMINATE.
		hoisted bool
	}{
		{"rsa-sha256", []string{"-newkey", "rsa:2048"}, "RSA-SHA256", false},
		{"rsa-pss-sha256", []string{"-newkey", "rsa:2048"}, "RSA-PSS-SHA256", true},
		{"ecdsa-p256-sha256", []string{"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"}, "ECDSA-SHA256", false},
	} {
		t.Run(c.alg, func(t *testing.T) {
			dir := t.TempDir()
			keyPEM, cert := peerKey(t, dir, c.alg, c.newkey...)
			keyDER, certDER := filepath.Join(dir, "key.der"), filepath.Join(dir, "cert.der")
			if out, err := exec.Command(openssl, "pkcs8", "-topk8", "-nocrypt", "-in", keyPEM, "-outform", "DER", "-out", keyDER).CombinedOutput(); err != nil {
				t.Fatalf("openssl pkcs8: %v\n%s", err, out)
			}
			if err := os.WriteFile(certDER, cert.Raw, 0o600); err != nil {
				t.Fatal(err)
			}
			in, out := filepath.Join(dir, "in.xml"), filepath.Join(dir, "signed.xml")
			if err := os.WriteFile(in, []byte(`<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<application><data>signed content</data></application>`), 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(node, filepath.Join(peer, "sign.mjs"), c.alg, keyDER, certDER, in, out)
			if msg, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("xadesjs: %v\n%s", err, msg)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			rep := Verify("signed.xml", data, policy)
			if len(rep.Signatures) != 1 {
				t.Fatalf("%d signatures (%v)", len(rep.Signatures), rep.Error)
			}
			s := rep.Signatures[0]
			if c.hoisted {
				wantSig(t, s, false, trust.Indeterminate, trust.FormatFailure)
				if s.Summary.Key != MsgSigValueHoistedNS {
					t.Errorf("summary %s", s.Summary.Key)
				}
			} else {
				wantSig(t, s, true, trust.Indeterminate, trust.NoCertificateChainFound)
			}
			if s.Format != FormatXAdESBB || s.SignatureAlgorithm != c.sigAlg || s.Coverage != trust.CoverageWhole {
				t.Errorf("format %s, algorithm %s, coverage %s\n%s", s.Format, s.SignatureAlgorithm, s.Coverage, data)
			}
			if t.Failed() {
				t.Logf("%s", data)
			}
			rep = Verify("signed.xml", mustReplace(t, data, "signed content", "signed contenu"), policy)
			wantSig(t, rep.Signatures[0], false, trust.TotalFailed, trust.HashFailure)
			rep = Verify("signed.xml", flipValue(t, data), policy)
			wantSig(t, rep.Signatures[0], false, trust.TotalFailed, trust.SigCryptoFailure)
		})
	}
}
