package trust

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mynasign/mynasign/internal/testpki"
)

// validPersonaReport is a report with two signatures of the valid persona (Chiyoda-ku,
// Tokyo): one checked without any CRL (the message names the CRL partition the
// certificate needs), one with the Chiyoda-ku partition CRL (the revocation names that
// scope and file).
func validPersonaReport(t *testing.T) *DocumentReport {
	t.Helper()
	ts := testStoreNoBuiltin(t)
	none := policyOn(t, ts, t.TempDir(), time.Now())
	store := OpenStore(t.TempDir())
	if _, err := store.Import(ts, writeCommittedCRL(t, t.TempDir(), testpki.CRLSignPartition)); err != nil {
		t.Fatal(err)
	}
	partition := policyOn(t, ts, store.Dir(), time.Now())
	claimed := time.Now().Add(-time.Hour)
	d := &DocumentReport{File: filepath.Join("inbox", "申請書.pdf"), Kind: "pdf", SHA256: strings.Repeat("ab", 32),
		ValidationTime: time.Now().UTC().Truncate(time.Second), TrustStore: StoreTest}
	for i, p := range []*Policy{none, partition} {
		sr := SignatureReport{ID: "Signature" + string(rune('1'+i)), Format: "PAdES-B-B", Intact: true, Coverage: CoverageWhole,
			ChangesAfterSigning: Changes{Level: ChangesNone}}
		p.CheckSigner(persona(t, "valid").SignCert, nil, &claimed).ApplyTo(&sr)
		d.Signatures = append(d.Signatures, sr)
	}
	Summarize(d)
	return d
}

// TestMaskPersonalData: the valid persona's report, masked and JSON-encoded, holds
// neither the name, the address, the birth date, the subject, nor the municipality
// (Chiyoda-ku) or prefecture (Tokyo) — which the unmasked report carries in the
// certificate's CRL distribution points, the revocation's CRL scope and file, and the
// arguments of trust.rev.no_crl. What is not personal stays.
func TestMaskPersonalData(t *testing.T) {
	r := validPersonaReport(t)
	raw, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	sg := r.Signatures[0].Signer
	if sg == nil || sg.Name == "" || sg.Address == "" || sg.BirthDate == "" {
		t.Fatalf("the unmasked report has no personal data: %+v", sg)
	}
	// The places the municipality appears, unmasked: the test must reach all of them.
	s0, s1 := r.Signatures[0], r.Signatures[1]
	if s0.Summary.Key != MsgRevNoCRL || !strings.Contains(strings.Join(s0.Summary.Args, " "), "Chiyoda-ku") {
		t.Fatalf("no-CRL summary: %+v", s0.Summary)
	}
	if len(s0.Certificate.CRLDistributionPoints) == 0 || !strings.Contains(s0.Certificate.CRLDistributionPoints[0], "Chiyoda-ku") {
		t.Fatalf("distribution points: %v", s0.Certificate.CRLDistributionPoints)
	}
	if !strings.Contains(s1.Revocation.CRLScope, "Chiyoda-ku") || !strings.Contains(s1.Revocation.CRLFile, "chiyoda") {
		t.Fatalf("partition revocation: %+v", s1.Revocation)
	}
	if !strings.Contains(string(raw), "Chiyoda-ku") || !strings.Contains(string(raw), "Tokyo") {
		t.Fatal("the unmasked JSON does not name the municipality")
	}

	m := MaskPersonalData(r)
	masked, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	lower := strings.ToLower(string(masked))
	for _, s := range []string{sg.Name, sg.Address, sg.BirthDate, sg.Subject, "Chiyoda", "Tokyo", "千代田", "東京"} {
		if strings.Contains(lower, strings.ToLower(s)) {
			t.Errorf("the masked report still holds %q:\n%s", s, masked)
		}
	}
	if strings.Contains(string(masked), `"`+sg.Sex+`"`) || strings.Contains(string(masked), `"`+sg.BirthEra+`"`) {
		t.Errorf("sex or birth era left in:\n%s", masked)
	}

	// Not personal, kept: the file, the certificate's identity, the CRL's identity, the
	// outcome, message keys and other arguments.
	c0, c1 := m.Signatures[0], m.Signatures[1]
	if m.File != r.File || m.SHA256 != r.SHA256 || m.Indication != r.Indication || c0.Summary.Key != MsgRevNoCRL ||
		c0.Summary.Args[0] != s0.Summary.Args[0] || c0.Certificate.Serial != s0.Certificate.Serial ||
		c0.Certificate.Issuer != s0.Certificate.Issuer || c0.Certificate.SHA256 != s0.Certificate.SHA256 ||
		c1.Revocation.CRLNumber != s1.Revocation.CRLNumber || c1.Revocation.CRLSHA256 != s1.Revocation.CRLSHA256 ||
		c1.Revocation.Status != RevocationGood || !c0.Signer.Test || c0.Signer.Subject != Hidden ||
		c0.Certificate.Chain[0] != Hidden || c0.Certificate.Chain[1] != s0.Certificate.Chain[1] ||
		c0.Certificate.CRLDistributionPoints[0] != Hidden || c1.Revocation.CRLScope != Hidden {
		t.Errorf("masking lost or kept the wrong fields:\n%s", masked)
	}
	// A whole-scope CRL is not personal: its scope and file stay.
	w := &DocumentReport{Signatures: []SignatureReport{{Revocation: &RevocationInfo{CRLScope: "whole", CRLFile: "sign-2023-fresh.crl"}}}}
	if got := MaskPersonalData(w).Signatures[0].Revocation; got.CRLScope != "whole" || got.CRLFile != "sign-2023-fresh.crl" {
		t.Errorf("whole-scope CRL masked: %+v", got)
	}
	// The input is untouched.
	again, _ := json.Marshal(r)
	if string(again) != string(raw) {
		t.Error("MaskPersonalData changed its input")
	}
	if MaskPersonalData(nil) != nil {
		t.Error("nil report")
	}
}

func TestNameValues(t *testing.T) {
	for _, c := range []struct {
		name, typ string
		want      []string
	}{
		{"CN=TEST1,L=Chiyoda-ku,L=Tokyo,C=JP", "L", []string{"Chiyoda-ku", "Tokyo"}},
		{"C=JP, L=Osaka, CN=X", "l", []string{"Osaka"}},
		{`CN=Kita\, Osaka CRLDP+OU=x,OU=Osaka`, "CN", []string{"Kita, Osaka CRLDP"}},
		{`L=\E5\8D\83\E4\BB\A3\E7\94\B0\E5\8C\BA`, "L", []string{"千代田区"}},
		{`CN=a\\b`, "CN", []string{`a\b`}},
		{"", "L", nil},
	} {
		if got := nameValues(c.name, c.typ); !reflect.DeepEqual(got, c.want) {
			t.Errorf("nameValues(%q, %s) = %q, want %q", c.name, c.typ, got, c.want)
		}
	}
}

// A distribution point that is only the issuer's name (one CRL for every certificate of
// the CA, as GPKI's demo CA publishes) names no person: it stays, in the certificate and
// in the no-CRL message, so the reader sees which CRL to import. The signer stays hidden.
func TestMaskKeepsIssuerDistributionPoint(t *testing.T) {
	issuer := "OU=DemoOfficialStatusCA,O=Japanese Government,C=JP"
	subject := "CN=testEE 01A,OU=Test,O=Japanese Government,C=JP"
	partition := "CN=Chiyoda-ku CRLDP,OU=Tokyo,OU=CRL Distribution Points,O=JPKI,C=JP"
	r := &DocumentReport{Signatures: []SignatureReport{
		{Summary: Message{Key: MsgRevNoCRL, Args: []string{"signer", issuer}}, Signer: &Signer{Subject: subject},
			Certificate: &CertificateInfo{Issuer: issuer, Chain: []string{subject, issuer}, CRLDistributionPoints: []string{issuer}}},
		{Summary: Message{Key: MsgRevNoCRL, Args: []string{"signer", partition}}, Signer: &Signer{Subject: subject},
			Certificate: &CertificateInfo{Issuer: issuer, Chain: []string{subject, issuer}, CRLDistributionPoints: []string{partition}}},
	}}
	m := MaskPersonalData(r)
	k, p := m.Signatures[0], m.Signatures[1]
	if k.Summary.Args[1] != issuer || k.Certificate.CRLDistributionPoints[0] != issuer || k.Certificate.Chain[1] != issuer {
		t.Errorf("the issuer's distribution point was hidden: %+v %+v", k.Summary, k.Certificate)
	}
	if k.Signer.Subject != Hidden || k.Certificate.Chain[0] != Hidden {
		t.Errorf("the signer was not hidden: %+v %+v", k.Signer, k.Certificate)
	}
	if p.Summary.Args[1] != Hidden || p.Certificate.CRLDistributionPoints[0] != Hidden {
		t.Errorf("a partition distribution point was kept: %+v %+v", p.Summary, p.Certificate)
	}
}
