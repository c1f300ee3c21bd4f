package record

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/trust"
)

func sampleIDCheck(basic bool) *trust.IDCheckReport {
	tu, nu := thisUpdate, nextUpdate
	rep := &trust.IDCheckReport{
		Mode: trust.IDCheckIdentity, Outcome: trust.IDConfirmed, Summary: trust.Message{Key: "idcheck.confirmed"},
		CheckedAt: validationTime, TrustStore: trust.StoreTest, Test: true,
		Certificate: &trust.AuthCertificateInfo{SerialSHA256: hashValid, CardID: hashValid[:8], Issuer: "CN=Test Auth CA",
			Generation: "test-2023", NotBefore: signedAt, NotAfter: nextUpdate, SHA256: hashRevoked},
		Revocation: &trust.RevocationInfo{Status: trust.RevocationGood, CRLIssuer: "CN=Test Auth CA", CRLScope: "whole",
			CRLNumber: "100", CRLSHA256: crlHash, ThisUpdate: &tu, NextUpdate: &nu, Fresh: true},
		ChallengeResponse: true,
		Checks: []trust.Check{{Name: trust.CheckChain, Passed: true, Detail: trust.Message{Key: trust.MsgCheckChainOK, Args: []string{"test-2023"}}},
			{Name: trust.CheckChallengeResponse, Passed: true, Detail: trust.Message{Key: "idcheck.challenge_ok"}}},
	}
	if basic {
		rep.BasicInfo = &trust.BasicFacts{Name: "試験　花子", Address: "東京都千代田区霞が関一丁目", BirthDate: "1990-04-01", Sex: "2"}
		rep.TextAP = &trust.TextAPIntegrity{Consistent: true, IssuerSignature: "not-verified"}
	}
	return rep
}

func TestIDCheckRecord(t *testing.T) {
	dir := t.TempDir()
	paths, err := WriteIDCheck(sampleIDCheck(true), Options{Version: "test"}, dir)
	if err != nil || len(paths) != 2 || !strings.HasSuffix(paths[0], ".pdf") || !strings.HasSuffix(paths[1], ".html") {
		t.Fatalf("%v %v", paths, err)
	}
	html, _ := os.ReadFile(paths[1])
	for _, want := range []string{i18n.New(i18n.Japanese).T("record.idcheck.title"), "確認できました", hashValid, "100"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	// Personal data only when the clerk opts in.
	for _, secret := range []string{"試験　花子", "霞が関", "1990-04-01"} {
		if strings.Contains(string(html), secret) {
			t.Fatalf("HTML shows %q without ShowPersonalData", secret)
		}
	}
	txt := pdftotext(t, paths[0])
	if !strings.Contains(txt, "確認できました") || strings.Contains(txt, "1990-04-01") {
		t.Fatalf("PDF text:\n%s", txt)
	}
	qpdfCheck(t, paths[0])

	shown := filepath.Join(t.TempDir(), "shown")
	paths, err = WriteIDCheck(sampleIDCheck(true), Options{Version: "test", ShowPersonalData: true, Lang: i18n.English, Formats: HTML}, shown)
	if err != nil || len(paths) != 1 {
		t.Fatalf("%v %v", paths, err)
	}
	html, _ = os.ReadFile(paths[0])
	if !strings.Contains(string(html), "試験　花子") || !strings.Contains(string(html), "Identity check record") {
		t.Fatal("opted-in English record lacks the name or its title")
	}
	if strings.Contains(string(html), "!record") || strings.Contains(string(html), "!idcheck") || strings.Contains(string(html), "!trust") {
		t.Fatal("a message key without text")
	}
}
