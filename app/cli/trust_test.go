package cli

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mynasign/mynasign/app/i18n"
	samplepdf "github.com/mynasign/mynasign/internal/samplepdf"
	"github.com/mynasign/mynasign/internal/testpki"
	"github.com/mynasign/mynasign/pdf"
	"github.com/mynasign/mynasign/xades"
)

// verifyOne runs verify --json on file and returns the first signature's indication,
// sub-indication and anchor source.
func verifyOne(t *testing.T, anchors, crls, file string) (ind, sub, source string) {
	t.Helper()
	env, out, errb := crlTestEnv(i18n.English)
	Run(env, []string{"verify", "--json", "--anchor-dir", anchors, "--crl-dir", crls, file})
	var res struct {
		Files []struct {
			Signatures []struct {
				Indication    string `json:"indication"`
				SubIndication string `json:"subIndication"`
				Certificate   struct {
					Anchor *struct {
						Source string `json:"source"`
						Name   string `json:"name"`
					} `json:"anchor"`
				} `json:"certificate"`
			} `json:"signatures"`
		} `json:"files"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil || len(res.Files) != 1 || len(res.Files[0].Signatures) != 1 {
		t.Fatalf("verify %s: %v\n%s\n%s", file, err, out.String(), errb.String())
	}
	s := res.Files[0].Signatures[0]
	if s.Certificate.Anchor != nil {
		source = s.Certificate.Anchor.Source
	}
	return s.Indication, s.SubIndication, source
}

// Acceptance: trust add of a CA made at test time → a PDF and an XML document signed
// under it chain with anchor.source = user (revocation unknown without its CRL);
// trust remove → NO_CERTIFICATE_CHAIN_FOUND again.
func TestTrustAddVerifyRemove(t *testing.T) {
	work, anchors, crls := t.TempDir(), filepath.Join(t.TempDir(), "anchors"), t.TempDir()
	now := time.Now()
	ca, err := testpki.NewForeignCA("Acceptance Private CA", now.AddDate(-1, 0, 0), now.AddDate(5, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	cert, key, err := ca.Issue("Accepted Signer", x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment, false,
		"http://crl.example.test/private.crl", now.Add(-time.Hour), now.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	inPDF, signedPDF := filepath.Join(work, "in.pdf"), filepath.Join(work, "signed.pdf")
	if err := os.WriteFile(inPDF, samplepdf.Make(samplepdf.Spec{Pages: 1}), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := pdf.SignFile(context.Background(), inPDF, signedPDF, pdf.SignOptions{Profile: pdf.PAdES, Signer: key, Certificate: cert, SignerName: "Accepted Signer"}); err != nil {
		t.Fatal(err)
	}
	inXML, signedXML := filepath.Join(work, "in.xml"), filepath.Join(work, "signed.xml")
	if err := os.WriteFile(inXML, []byte("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<doc><p>申請書</p></doc>\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := xades.SignXAdESFile(inXML, signedXML, xades.SignOptions{Signer: key, Certificate: cert}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{signedPDF, signedXML} {
		if ind, sub, src := verifyOne(t, anchors, crls, f); sub != "NO_CERTIFICATE_CHAIN_FOUND" || src != "" {
			t.Fatalf("%s before trust add: %s/%s anchor %q", f, ind, sub, src)
		}
	}

	caFile := filepath.Join(work, "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Cert.Raw}), 0o644); err != nil {
		t.Fatal(err)
	}
	env, out, errb := crlTestEnv(i18n.Japanese)
	if code := Run(env, []string{"trust", "add", "--anchor-dir", anchors, "--name", "社内認証局", caFile}); code != ExitOK {
		t.Fatalf("trust add: exit %d, %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "社内認証局 を信頼する認証局に追加しました") || !strings.Contains(out.String(), "SHA-256") {
		t.Errorf("trust add output: %s", out.String())
	}
	for _, f := range []string{signedPDF, signedXML} {
		if ind, sub, src := verifyOne(t, anchors, crls, f); ind != "INDETERMINATE" || sub != "TRY_LATER" || src != "user" {
			t.Errorf("%s after trust add: %s/%s anchor %q", f, ind, sub, src)
		}
	}

	// trust list: the built-in J-LIS CAs and ours, with its ID.
	env, out, _ = crlTestEnv(i18n.English)
	if code := Run(env, []string{"trust", "list", "--anchor-dir", anchors, "--json"}); code != ExitOK {
		t.Fatalf("trust list: exit %d", code)
	}
	var list struct {
		Anchors []anchorRow `json:"anchors"`
	}
	if err := json.Unmarshal(out.Bytes(), &list); err != nil {
		t.Fatal(err)
	}
	var id string
	builtin := 0
	for _, r := range list.Anchors {
		switch r.Source {
		case "builtin":
			builtin++
			if r.ID != "" {
				t.Errorf("built-in anchor with an ID: %+v", r)
			}
		case "user":
			id = r.ID
			if r.Name != "社内認証局" || !strings.Contains(r.Subject, "Acceptance Private CA") || len(r.SHA256) != 95 {
				t.Errorf("user row: %+v", r)
			}
		}
	}
	if builtin == 0 || id == "" {
		t.Fatalf("list: %+v", list)
	}
	env, out, _ = crlTestEnv(i18n.Japanese)
	if code := Run(env, []string{"trust", "list", "--anchor-dir", anchors}); code != ExitOK || !strings.Contains(out.String(), "ユーザー追加  社内認証局  用途: 署名") {
		t.Errorf("trust list text: exit %d\n%s", code, out.String())
	}

	// A built-in anchor cannot be removed: it has no ID in the user store.
	env, _, errb = crlTestEnv(i18n.English)
	if code := Run(env, []string{"trust", "remove", "--anchor-dir", anchors, strings.ReplaceAll(list.Anchors[0].SHA256, ":", "")}); code != ExitFailure ||
		!strings.Contains(errb.String(), "built-in CAs cannot be removed") {
		t.Errorf("remove built-in: exit %d, %s", code, errb.String())
	}
	env, out, errb = crlTestEnv(i18n.English)
	if code := Run(env, []string{"trust", "remove", "--anchor-dir", anchors, id}); code != ExitOK || !strings.Contains(out.String(), "Removed the trusted CA") {
		t.Fatalf("trust remove: exit %d, %s %s", code, out.String(), errb.String())
	}
	for _, f := range []string{signedPDF, signedXML} {
		if ind, sub, src := verifyOne(t, anchors, crls, f); sub != "NO_CERTIFICATE_CHAIN_FOUND" || src != "" {
			t.Errorf("%s after trust remove: %s/%s anchor %q", f, ind, sub, src)
		}
	}
}

// trust add refuses an end-entity certificate and a bad --purpose, changing nothing.
func TestTrustAddRefusals(t *testing.T) {
	work, anchors := t.TempDir(), filepath.Join(t.TempDir(), "anchors")
	now := time.Now()
	ca, err := testpki.NewForeignCA("Some CA", now.AddDate(-1, 0, 0), now.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	leaf, _, err := ca.Issue("leaf", x509.KeyUsageDigitalSignature, false, "", now.Add(-time.Hour), now.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(work, "leaf.der")
	if err := os.WriteFile(p, leaf.Raw, 0o644); err != nil {
		t.Fatal(err)
	}
	env, _, errb := crlTestEnv(i18n.Japanese)
	if code := Run(env, []string{"trust", "add", "--anchor-dir", anchors, p}); code != ExitFailure || !strings.Contains(errb.String(), "認証局の証明書ではありません") {
		t.Errorf("leaf: exit %d, %s", code, errb.String())
	}
	env, _, _ = crlTestEnv(i18n.English)
	if code := Run(env, []string{"trust", "add", "--anchor-dir", anchors, "--purpose", "other", p}); code != ExitUsage {
		t.Errorf("bad purpose: exit %d", code)
	}
	if _, err := os.Stat(anchors); !os.IsNotExist(err) {
		t.Errorf("store created by refused additions: %v", err)
	}
}
