package pdf

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/mynasign/mynasign/internal/cms"
	"github.com/mynasign/mynasign/internal/testenv"
	"github.com/mynasign/mynasign/internal/testpki"
	"github.com/mynasign/mynasign/trust"
)

// ltPolicies returns a policy over a CRL store holding the test PKI's fresh CRLs and one
// over an empty store, neither with the test store's built-in CRLs.
func ltPolicies(t *testing.T) (stocked, empty *trust.Policy) {
	t.Helper()
	ts, err := trust.LoadTrustStore(trust.StoreTest)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "crl")
	var paths []string
	for name, der := range testpki.FreshCRLs() {
		paths = append(paths, writeTemp(t, name, der))
	}
	if _, err := trust.OpenStore(dir).Import(ts, paths...); err != nil {
		t.Fatal(err)
	}
	for i, d := range []string{dir, filepath.Join(t.TempDir(), "empty")} {
		p, err := trust.NewPolicy(trust.Options{TrustStore: trust.StoreTest, CRLDir: d, ImportedCRLsOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			stocked = p
		} else {
			empty = p
		}
	}
	return stocked, empty
}

// signLT signs a fresh PDF as persona at B-LT with the validation data of policy.
func signLT(t *testing.T, persona string, policy *trust.Policy) (data []byte, path string) {
	t.Helper()
	opts := personaOptions(t, persona, PAdES)
	vd, err := policy.ValidationData(opts.Certificate, nil)
	if err != nil {
		t.Fatal(err)
	}
	opts.Validation = vd
	data, path = signBytes(t, makePDF(t, docSpec{pages: 1}), opts)
	return data, path
}

// Acceptance 4 (PDF): a B-LT made offline carries the store's CRL in its /DSS, and
// verifying it with an empty CRL store gives the same revocation result as with the
// store, for a valid and for a revoked signer.
func TestPAdESBLTOffline(t *testing.T) {
	stocked, empty := ltPolicies(t)
	fresh, err := testpki.CRL(testpki.CRLSignFresh)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		persona string
		ind     trust.Indication
		status  trust.RevocationStatus
	}{{"valid", trust.TotalPassed, trust.RevocationGood}, {"revoked", trust.TotalFailed, trust.RevocationRevoked}} {
		t.Run(tc.persona, func(t *testing.T) {
			data, path := signLT(t, tc.persona, stocked)
			// From a file too (the /DSS is read while the file is open).
			if rep, err := VerifyFile(context.Background(), path, empty); err != nil || rep.Signatures[0].Format != "PAdES-B-LT" ||
				rep.Signatures[0].Indication != tc.ind {
				t.Fatalf("VerifyFile, empty store: %v %+v", err, rep)
			}
			f, err := NewFile(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			crls, _ := f.dssRevocation(f.Last())
			if len(crls) != 1 || !bytes.Equal(crls[0], fresh) {
				t.Fatalf("/DSS /CRLs: %d CRLs, want the store's fresh CRL", len(crls))
			}
			if len(f.dssCertificates(f.Last())) != 2 {
				t.Errorf("/DSS /Certs: want the signer and its CA")
			}
			for _, pc := range []struct {
				name   string
				policy *trust.Policy
				source string
			}{{"store", stocked, trust.RevocationSourceStore}, {"empty store", empty, trust.RevocationSourceEmbedded}} {
				rep := Verify(context.Background(), bytes.NewReader(data), int64(len(data)), "lt.pdf", pc.policy)
				if len(rep.Signatures) != 1 {
					t.Fatalf("%s: %d signatures", pc.name, len(rep.Signatures))
				}
				s := rep.Signatures[0]
				if s.Indication != tc.ind || s.Revocation == nil || s.Revocation.Status != tc.status || s.Revocation.Source != pc.source {
					t.Errorf("%s: %s/%s %+v", pc.name, s.Indication, s.SubIndication, s.Revocation)
				}
				if s.Format != "PAdES-B-LT" {
					t.Errorf("%s: format %s, want PAdES-B-LT", pc.name, s.Format)
				}
				if s.ChangesAfterSigning.Level != trust.ChangesNone && s.ChangesAfterSigning.Level != trust.ChangesPermitted {
					t.Errorf("%s: the /DSS update is a change of level %s", pc.name, s.ChangesAfterSigning.Level)
				}
			}
		})
	}
}

// A plain B-B is not reported as B-LT, and the registry profile takes no /DSS.
func TestPAdESLevelOnlyWithData(t *testing.T) {
	stocked, _ := ltPolicies(t)
	data, _ := signBytes(t, makePDF(t, docSpec{pages: 1}), personaOptions(t, "valid", PAdES))
	rep := Verify(context.Background(), bytes.NewReader(data), int64(len(data)), "bb.pdf", stocked)
	if rep.Signatures[0].Format != "PAdES-B-B" || rep.Signatures[0].Indication != trust.TotalPassed {
		t.Errorf("B-B: %s %s", rep.Signatures[0].Format, rep.Signatures[0].Indication)
	}
	opts := personaOptions(t, "valid", Registry)
	vd, err := stocked.ValidationData(opts.Certificate, nil)
	if err != nil {
		t.Fatal(err)
	}
	opts.Validation = vd
	in := writeTemp(t, "in.pdf", makePDF(t, docSpec{pages: 1}))
	if _, err := SignFile(context.Background(), in, filepath.Join(t.TempDir(), "o.pdf"), opts); !errors.Is(err, ErrRegistryLevel) {
		t.Errorf("registry at B-LT: %v", err)
	}
}

// Peers: poppler still finds our B-LT signature valid and qpdf finds the file clean.
func TestPeersAcceptOurBLT(t *testing.T) {
	pdfsig := testenv.Tool(t, "pdfsig")
	qpdf := testenv.Tool(t, "qpdf")
	stocked, _ := ltPolicies(t)
	for _, persona := range []string{"valid", "revoked"} {
		_, path := signLT(t, persona, stocked)
		out, _ := exec.Command(pdfsig, "-nocert", path).CombinedOutput()
		if !strings.Contains(string(out), "Signature is Valid.") {
			t.Errorf("%s: pdfsig:\n%s", persona, out)
		}
		out, err := exec.Command(qpdf, "--check", path).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "No syntax or stream encoding errors") {
			t.Errorf("%s: qpdf --check: %v\n%s", persona, err, out)
		}
	}
}

// Acrobat's adbe-revocationInfoArchival: CRLs and OCSP responses are read from it.
func TestArchivedRevocation(t *testing.T) {
	fresh, err := testpki.CRL(testpki.CRLSignFresh)
	if err != nil {
		t.Fatal(err)
	}
	ocspResp := []byte{0x30, 0x03, 0x0a, 0x01, 0x00}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		for i, el := range [][]byte{fresh, ocspResp} {
			b.AddASN1(cbasn1.Tag(i).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddBytes(el) })
			})
		}
	})
	value, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	si := &cms.SignerInfo{SignedAttrs: []cms.Attribute{{Type: oidRevocationInfoArchival, Values: [][]byte{value}}}}
	crls, ocsps := archivedRevocation(si)
	if len(crls) != 1 || !bytes.Equal(crls[0], fresh) || len(ocsps) != 1 || !bytes.Equal(ocsps[0], ocspResp) {
		t.Fatalf("archived: %d CRLs, %d OCSP responses", len(crls), len(ocsps))
	}
	// Twice the attribute, or garbage: nothing.
	si.SignedAttrs = append(si.SignedAttrs, si.SignedAttrs[0])
	if c, o := archivedRevocation(si); c != nil || o != nil {
		t.Errorf("two attributes read")
	}
	si.SignedAttrs = []cms.Attribute{{Type: oidRevocationInfoArchival, Values: [][]byte{{0x04, 0x00}}}}
	if c, o := archivedRevocation(si); c != nil || o != nil {
		t.Errorf("garbage read")
	}
}
