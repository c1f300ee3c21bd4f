package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/internal/testenv"
)

// kobunVerdict is what the tests read of verify --json for the 公文書 sample.
type kobunVerdict struct {
	Format        string `json:"format"`
	Indication    string `json:"indication"`
	SubIndication string `json:"subIndication"`
	Coverage      string `json:"coverage"`
	Intact        bool   `json:"intact"`
	Summary       struct {
		Key string `json:"key"`
	} `json:"summary"`
	Certificate struct {
		Anchor *struct {
			Source string `json:"source"`
			Name   string `json:"name"`
			SHA256 string `json:"sha256"`
		} `json:"anchor"`
	} `json:"certificate"`
	Warnings []struct {
		Key string `json:"key"`
	} `json:"warnings"`
}

// verifyKobunCLI runs verify --json with the given extra flags on file and returns its one signature.
func verifyKobunCLI(t *testing.T, file string, flags ...string) kobunVerdict {
	t.Helper()
	env, out, errb := crlTestEnv(i18n.English)
	Run(env, append(append([]string{"verify", "--json"}, flags...), file))
	var res struct {
		Files []struct {
			Signatures []kobunVerdict `json:"signatures"`
		} `json:"files"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil || len(res.Files) != 1 || len(res.Files[0].Signatures) != 1 {
		t.Fatalf("verify %v: %v\n%s\n%s", flags, err, out.String(), errb.String())
	}
	return res.Files[0].Signatures[0]
}

// TestKobunTrustAddAt: the 公文書 case end to end. The sample names no trusted CA;
// trust add of its demo CA (into a temporary --anchor-dir) shows the CA's SHA-256
// fingerprint; then with --at 2015-04-28 the chain completes at that user anchor and,
// with no CRL imported, the verdict is INDETERMINATE/TRY_LATER (the corpus notes' expected
// verdict), recognized as e-Gov-kobun with the FRONT explained and no alarm, and the
// message names the CRL to import. Without
// --at the certificate (valid until 2019) is out of its validity: OUT_OF_BOUNDS_NO_POE.
// trust remove brings NO_CERTIFICATE_CHAIN_FOUND back.
func TestKobunTrustAddAt(t *testing.T) {
	doc := testenv.Corpus(t, "xml", "egov-kobun", "0000-API-002.xml")
	caFile := testenv.Corpus(t, "xml", "egov-kobun", "demo-gpki-ca.pem")
	anchors, crls := filepath.Join(t.TempDir(), "anchors"), t.TempDir()
	flags := []string{"--anchor-dir", anchors, "--crl-dir", crls, "--at", "2015-04-28"}

	if s := verifyKobunCLI(t, doc, flags...); s.Indication != "INDETERMINATE" || s.SubIndication != "NO_CERTIFICATE_CHAIN_FOUND" || s.Certificate.Anchor != nil {
		t.Fatalf("before trust add: %+v", s)
	}

	pemData, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(pemData)
	if blk == nil {
		t.Fatal("demo CA: no PEM block")
	}
	sum := sha256.Sum256(blk.Bytes)
	want := hex.EncodeToString(sum[:])
	env, out, errb := crlTestEnv(i18n.Japanese)
	if code := Run(env, []string{"trust", "add", "--anchor-dir", anchors, caFile}); code != ExitOK {
		t.Fatalf("trust add: exit %d, %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "DemoOfficialStatusCA を信頼する認証局に追加しました") ||
		!strings.Contains(strings.ReplaceAll(out.String(), ":", ""), strings.ToUpper(want)) {
		t.Errorf("trust add output (want the SHA-256 %s): %s", want, out.String())
	}

	s := verifyKobunCLI(t, doc, flags...)
	if s.Format != "e-Gov-kobun" || !s.Intact || s.Coverage != "partial" {
		t.Errorf("format %q intact %v coverage %q", s.Format, s.Intact, s.Coverage)
	}
	if s.Indication != "INDETERMINATE" || s.SubIndication != "TRY_LATER" || s.Summary.Key != "trust.rev.no_crl" {
		t.Errorf("with the anchor at 2015-04-28: %s/%s %s", s.Indication, s.SubIndication, s.Summary.Key)
	}
	if a := s.Certificate.Anchor; a == nil || a.Source != "user" || a.SHA256 != want || !strings.Contains(a.Name, "DemoOfficialStatusCA") {
		t.Errorf("anchor %+v, want the user anchor %s", a, want)
	}
	if len(s.Warnings) != 1 || s.Warnings[0].Key != "xades.kobun.front_unsigned" {
		t.Errorf("warnings %+v: want only the calm FRONT note", s.Warnings)
	}

	// The Japanese text says it cannot decide (not 無効) and why, naming the CRL to import
	// (the CA's own name, not personal) but not the signer (masked by default).
	env, out, _ = crlTestEnv(i18n.Japanese)
	Run(env, append(append([]string{"verify"}, flags...), doc))
	if txt := out.String(); !strings.HasPrefix(txt, "判定できず") || strings.Contains(txt, "無効 1") ||
		!strings.Contains(txt, "OU=DemoOfficialStatusCA,O=Japanese Government,C=JP の失効リスト（CRL）が取り込まれていない") ||
		strings.Contains(txt, "testEE") {
		t.Errorf("text report:\n%s", txt)
	}

	if s := verifyKobunCLI(t, doc, "--anchor-dir", anchors, "--crl-dir", crls); s.Indication != "INDETERMINATE" || s.SubIndication != "OUT_OF_BOUNDS_NO_POE" {
		t.Errorf("without --at: %s/%s", s.Indication, s.SubIndication)
	}

	env, _, errb = crlTestEnv(i18n.English)
	if code := Run(env, []string{"trust", "remove", "--anchor-dir", anchors, want[:16]}); code != ExitOK {
		t.Fatalf("trust remove: exit %d, %s", code, errb.String())
	}
	if s := verifyKobunCLI(t, doc, flags...); s.SubIndication != "NO_CERTIFICATE_CHAIN_FOUND" || s.Certificate.Anchor != nil {
		t.Errorf("after trust remove: %s/%s", s.Indication, s.SubIndication)
	}
}

// TestTrustAddFingerprint: the fingerprint trust add shows, for the clerk to compare with
// the one the CA publishes, is the SHA-256 over the certificate's DER (not over the file
// given, PEM or DER) in upper-case pairs separated by colons — the form CAs publish it in —
// the same in the Japanese text, in --json and for the DER file of the same certificate.
func TestTrustAddFingerprint(t *testing.T) {
	pemFile := testenv.Corpus(t, "xml", "egov-kobun", "demo-gpki-ca.pem")
	pemData, err := os.ReadFile(pemFile)
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(pemData)
	if blk == nil {
		t.Fatal("demo CA: no PEM block")
	}
	sum := sha256.Sum256(blk.Bytes)
	pairs := make([]string, len(sum))
	for i, b := range sum {
		pairs[i] = strings.ToUpper(hex.EncodeToString([]byte{b}))
	}
	want := strings.Join(pairs, ":")

	env, out, errb := crlTestEnv(i18n.Japanese)
	if code := Run(env, []string{"trust", "add", "--anchor-dir", filepath.Join(t.TempDir(), "a"), pemFile}); code != ExitOK {
		t.Fatalf("trust add: exit %d, %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "SHA-256 指紋: "+want+"\n") {
		t.Errorf("trust add shows %q, want the fingerprint %s", out.String(), want)
	}

	derFile := filepath.Join(t.TempDir(), "demo-ca.cer")
	if err := os.WriteFile(derFile, blk.Bytes, 0o644); err != nil {
		t.Fatal(err)
	}
	env, out, errb = crlTestEnv(i18n.English)
	if code := Run(env, []string{"trust", "add", "--json", "--anchor-dir", filepath.Join(t.TempDir(), "b"), derFile}); code != ExitOK {
		t.Fatalf("trust add --json: exit %d, %s", code, errb.String())
	}
	var res struct {
		Anchors []struct {
			Status string `json:"status"`
			Anchor struct {
				ID     string `json:"id"`
				SHA256 string `json:"sha256"`
			} `json:"anchor"`
		} `json:"anchors"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil || len(res.Anchors) != 1 {
		t.Fatalf("trust add --json: %v\n%s", err, out.String())
	}
	if a := res.Anchors[0]; a.Status != "added" || a.Anchor.SHA256 != want || a.Anchor.ID != strings.ToLower(strings.ReplaceAll(want, ":", ""))[:16] {
		t.Errorf("JSON anchor %+v, want SHA-256 %s", a, want)
	}
}
