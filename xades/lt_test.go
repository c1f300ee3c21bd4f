package xades

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
	src := t.TempDir()
	var paths []string
	for name, der := range testpki.FreshCRLs() {
		p := filepath.Join(src, name)
		if err := os.WriteFile(p, der, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	if _, err := trust.OpenStore(dir).Import(ts, paths...); err != nil {
		t.Fatal(err)
	}
	open := func(d string) *trust.Policy {
		p, err := trust.NewPolicy(trust.Options{TrustStore: trust.StoreTest, CRLDir: d, ImportedCRLsOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	return open(dir), open(filepath.Join(t.TempDir(), "empty"))
}

// signLTXML signs the sample application at B-LT as persona.
func signLTXML(t *testing.T, persona string, policy *trust.Policy) []byte {
	t.Helper()
	data, err := os.ReadFile(sampleXML)
	if err != nil {
		t.Fatal(err)
	}
	opts := personaOpts(t, persona)
	vd, err := policy.ValidationData(opts.Certificate, nil)
	if err != nil {
		t.Fatal(err)
	}
	opts.Validation = vd
	out, err := SignXAdES(data, opts)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Acceptance 4 (XML): a XAdES B-LT made offline carries the store's CRL in
// RevocationValues, and verifying it with an empty CRL store gives the same revocation
// result as with the store.
func TestXAdESBLTOffline(t *testing.T) {
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
			out := signLTXML(t, tc.persona, stocked)
			want := "<xades:RevocationValues><xades:CRLValues><xades:EncapsulatedCRLValue>" + base64.StdEncoding.EncodeToString(fresh) + "</xades:EncapsulatedCRLValue>"
			if !bytes.Contains(out, []byte(want)) {
				t.Fatal("the store's CRL is not in RevocationValues")
			}
			for _, pc := range []struct {
				name   string
				policy *trust.Policy
				source string
			}{{"store", stocked, trust.RevocationSourceStore}, {"empty store", empty, trust.RevocationSourceEmbedded}} {
				rep := Verify("lt.xml", out, pc.policy)
				if len(rep.Signatures) != 1 {
					t.Fatalf("%s: %d signatures", pc.name, len(rep.Signatures))
				}
				s := rep.Signatures[0]
				if s.Indication != tc.ind || s.Revocation == nil || s.Revocation.Status != tc.status || s.Revocation.Source != pc.source {
					t.Errorf("%s: %s/%s %+v %s", pc.name, s.Indication, s.SubIndication, s.Revocation, failedChecks(s))
				}
				if s.Format != FormatXAdESBLT {
					t.Errorf("%s: format %s", pc.name, s.Format)
				}
				if s.Coverage != trust.CoverageWhole {
					t.Errorf("%s: coverage %s (the unsigned values are reported as uncovered content?)", pc.name, s.Coverage)
				}
			}
		})
	}
}

// A forged CRL in RevocationValues (bad signature) is not used: with an empty store the
// status is unknown, with a warning, and the level stays B-B.
func TestXAdESForgedRevocationValue(t *testing.T) {
	stocked, empty := ltPolicies(t)
	out := signLTXML(t, "revoked", stocked)
	fresh, _ := testpki.CRL(testpki.CRLSignFresh)
	bad, _ := testpki.CRL(testpki.CRLSignBadSig)
	forged := bytes.Replace(out, []byte(base64.StdEncoding.EncodeToString(fresh)), []byte(base64.StdEncoding.EncodeToString(bad)), 1)
	rep := Verify("forged.xml", forged, empty)
	s := rep.Signatures[0]
	if s.Indication != trust.Indeterminate || s.SubIndication != trust.TryLater || s.Format != FormatXAdESBB {
		t.Errorf("forged CRL: %s/%s %s", s.Indication, s.SubIndication, s.Format)
	}
	found := false
	for _, w := range s.Warnings {
		found = found || w.Key == trust.MsgRevEmbeddedCRLBadSignature
	}
	if !found {
		t.Errorf("no warning about the forged CRL: %v", s.Warnings)
	}
}

// Peer: xmlsec1 still verifies the core signature of our XAdES B-LT.
func TestXmlsec1VerifiesXAdESBLT(t *testing.T) {
	ca := testCAFile(t)
	stocked, _ := ltPolicies(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "lt.xml")
	if err := os.WriteFile(out, signLTXML(t, "valid", stocked), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"--verify", "--trusted-pem", ca, "--enabled-key-data", "x509",
		"--id-attr:Id", NSXAdES + ":SignedProperties", out}
	msg, ok := runXmlsec(t, dir, args...)
	if !ok || !strings.Contains(msg, "SignedInfo References (ok/all): 2/2") {
		t.Fatalf("xmlsec1 rejects our XAdES B-LT:\n%s", msg)
	}
}
