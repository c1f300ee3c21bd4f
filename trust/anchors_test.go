package trust

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The SHA-256 fingerprints of assets/jpki-anchors.md, which J-LIS also publishes.
var anchorFingerprints = map[string]string{
	"jpki-sign-ca-2015.pem": "19:64:54:05:A1:FE:14:37:74:34:BD:55:95:76:28:AC:40:38:55:7C:54:24:03:A2:24:3F:21:C7:06:FC:93:55",
	"jpki-sign-ca-2019.pem": "79:67:9C:33:E4:CC:93:19:44:0F:1A:D1:20:A5:97:FF:18:44:E2:EF:21:70:63:AD:B1:76:96:6F:D5:E6:FB:EB",
	"jpki-sign-ca-2023.pem": "D2:27:F6:CD:E1:1D:35:C5:25:21:78:F1:06:F8:43:D2:46:51:94:49:75:41:3B:53:9F:A2:FB:68:DB:FA:36:5F",
	"jpki-auth-ca-2015.pem": "4D:CF:C4:CA:0A:AF:9F:B2:A3:08:1B:3F:0C:99:1C:32:0B:3A:CC:00:86:67:A3:41:EE:AE:C5:AF:1D:58:CA:7D",
	"jpki-auth-ca-2023.pem": "64:11:4F:29:62:0C:24:ED:26:31:D4:64:76:A0:40:E7:EE:74:0D:95:60:89:C0:0B:03:6A:6A:81:18:C3:22:B5",
}

func TestEmbeddedAnchorFingerprints(t *testing.T) {
	ts, err := LoadTrustStore(StoreProduction)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts.Anchors) != len(anchorFingerprints) {
		t.Fatalf("%d anchors embedded, want %d", len(ts.Anchors), len(anchorFingerprints))
	}
	for _, a := range ts.Anchors {
		want, ok := anchorFingerprints[a.Source]
		if !ok {
			t.Errorf("unexpected anchor %s", a.Source)
			continue
		}
		if got := Fingerprint(a.Cert); got != want {
			t.Errorf("%s: fingerprint %s, want %s", a.Source, got, want)
		}
		if a.Test || !a.Cert.IsCA || a.Cert.Subject.Organization[0] != "JPKI" {
			t.Errorf("%s: not a J-LIS CA: %+v", a.Source, a.Cert.Subject)
		}
		wantKind := KindSignature
		if strings.Contains(a.Source, "-auth-") {
			wantKind = KindAuthentication
		}
		if a.Kind != wantKind || !strings.Contains(a.Source, a.Generation) {
			t.Errorf("%s: kind %s generation %s", a.Source, a.Kind, a.Generation)
		}
	}
	// The 2015 generation expired on 2025-10-19 (README).
	for _, a := range ts.Anchors {
		if a.Generation == "2015" && !a.Cert.NotAfter.Equal(time.Date(2025, 10, 19, 14, 59, 59, 0, time.UTC)) {
			t.Errorf("%s: notAfter %s", a.Source, a.Cert.NotAfter)
		}
	}
}

// The table above is the table of assets/jpki-anchors.md, which documents the embedded
// anchors: the two must agree.
func TestAnchorFingerprintsMatchREADME(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "assets", "jpki-anchors.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	row := regexp.MustCompile(`^\| (jpki-[a-z]+-ca-\d{4}\.pem) \|.*\| ([0-9A-F:]{95}) \|$`)
	found := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := row.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		found++
		if anchorFingerprints[m[1]] != m[2] {
			t.Errorf("%s: README says %s, the test says %s", m[1], m[2], anchorFingerprints[m[1]])
		}
	}
	if found != len(anchorFingerprints) {
		t.Errorf("README lists %d anchors, want %d", found, len(anchorFingerprints))
	}
}

func TestTrustStores(t *testing.T) {
	prod, err := LoadTrustStore("")
	if err != nil {
		t.Fatal(err)
	}
	test, err := LoadTrustStore(StoreTest)
	if err != nil {
		t.Fatal(err)
	}
	if prod.Name != StoreProduction || len(prod.builtinCRLs) != 0 {
		t.Errorf("production store: %s with %d built-in CRLs", prod.Name, len(prod.builtinCRLs))
	}
	for _, a := range prod.Anchors {
		if a.Test {
			t.Errorf("production trusts a test CA: %s", a.Source)
		}
	}
	gens := map[string]bool{}
	for _, a := range test.Anchors {
		if a.Test {
			gens[string(a.Kind)+"/"+a.Generation] = true
		}
	}
	for _, want := range []string{"signature/test-2023", "signature/test-2019", "authentication/test-2023"} {
		if !gens[want] {
			t.Errorf("test store lacks %s (has %v)", want, gens)
		}
	}
	if len(test.builtinCRLs) == 0 {
		t.Error("the test store comes without its CRLs")
	}
	if _, err := LoadTrustStore("everything"); err == nil {
		t.Error("unknown trust store accepted")
	}
}

func TestIssuerOf(t *testing.T) {
	test, err := LoadTrustStore(StoreTest)
	if err != nil {
		t.Fatal(err)
	}
	prod, _ := LoadTrustStore(StoreProduction)
	for id, want := range map[string]string{"valid": "test-2023", "expired": "test-2019", "impostor": ""} {
		a := test.IssuerOf(persona(t, id).SignCert)
		got := ""
		if a != nil {
			got = a.Generation
		}
		if got != want {
			t.Errorf("%s: generation %q, want %q", id, got, want)
		}
		if prod.IssuerOf(persona(t, id).SignCert) != nil {
			t.Errorf("%s: issued by a production anchor?", id)
		}
	}
	if a := test.IssuerOf(persona(t, "valid").AuthCert); a == nil || a.Kind != KindAuthentication {
		t.Errorf("auth certificate issuer: %+v", a)
	}
}
