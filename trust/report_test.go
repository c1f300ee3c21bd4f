package trust

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestApplyToCombines(t *testing.T) {
	p := testPolicy(t, StoreTest)
	claimed := time.Now().Add(-time.Hour)
	good := p.CheckSigner(persona(t, "valid").SignCert, nil, &claimed)
	revoked := p.CheckSigner(persona(t, "revoked").SignCert, nil, &claimed)
	noChain := p.CheckSigner(persona(t, "impostor").SignCert, nil, &claimed)

	tests := []struct {
		name     string
		verifier Indication
		vsub     SubIndication
		changes  ChangeLevel
		cert     *SignerResult
		ind      Indication
		sub      SubIndication
		key      string
	}{
		{"both pass", TotalPassed, "", ChangesNone, good, TotalPassed, "", MsgSigPassedTest},
		{"verifier left it empty", "", "", ChangesNone, good, TotalPassed, "", MsgSigPassedTest},
		{"permitted changes", TotalPassed, "", ChangesPermitted, good, TotalPassed, "", MsgSigPassedTestPermitted},
		{"hash failure beats a good certificate", TotalFailed, HashFailure, ChangesNone, good, TotalFailed, HashFailure, "verifier"},
		{"hash failure beats revoked", TotalFailed, HashFailure, ChangesNone, revoked, TotalFailed, HashFailure, "verifier"},
		{"format failure beats no chain", TotalFailed, FormatFailure, ChangesNotPermitted, noChain, TotalFailed, FormatFailure, "verifier"},
		{"revoked beats an indeterminate format", Indeterminate, SignedDataNotFound, ChangesNone, revoked, TotalFailed, Revoked, MsgRevRevoked},
		{"verifier's indeterminate beats no chain", Indeterminate, SignedDataNotFound, ChangesNone, noChain, Indeterminate, SignedDataNotFound, "verifier"},
		{"intact but unknown signer", TotalPassed, "", ChangesNone, noChain, Indeterminate, NoCertificateChainFound, MsgChainUnknownKey},
	}
	for _, tc := range tests {
		sr := &SignatureReport{ID: "Sig1", Indication: tc.verifier, SubIndication: tc.vsub, Intact: tc.vsub != HashFailure,
			Summary: Message{Key: "verifier"}, ChangesAfterSigning: Changes{Level: tc.changes},
			Checks: []Check{{Name: "byterange", Passed: true}}}
		tc.cert.ApplyTo(sr)
		if sr.Indication != tc.ind || sr.SubIndication != tc.sub || sr.Summary.Key != tc.key {
			t.Errorf("%s: %s/%s %v, want %s/%s %s", tc.name, sr.Indication, sr.SubIndication, sr.Summary, tc.ind, tc.sub, tc.key)
		}
		if sr.Checks[0].Name != "byterange" || len(sr.Checks) != 1+len(tc.cert.Checks) || sr.Signer != tc.cert.Signer ||
			sr.Certificate != tc.cert.Certificate || !sr.ValidationTime.Equal(p.ValidationTime()) {
			t.Errorf("%s: details not merged: %+v", tc.name, sr)
		}
	}
	// The passed sentence names the verified signer and the CRL's time.
	sr := &SignatureReport{Indication: TotalPassed}
	good.ApplyTo(sr)
	if sr.Summary.Args[0] != persona(t, "valid").CertName || sr.Summary.Args[1] == "" || !sr.Signer.Test || !sr.Certificate.Test {
		t.Errorf("passed summary: %+v signer %+v", sr.Summary, sr.Signer)
	}
}

func TestSummarize(t *testing.T) {
	sig := func(ind Indication, sub SubIndication) SignatureReport {
		return SignatureReport{Indication: ind, SubIndication: sub}
	}
	tests := []struct {
		name string
		sigs []SignatureReport
		err  *Message
		ind  Indication
		sub  SubIndication
		key  string
	}{
		{"no signature", nil, nil, Indeterminate, "", MsgDocUnsigned},
		{"one passed", []SignatureReport{sig(TotalPassed, "")}, nil, TotalPassed, "", MsgDocPassed},
		{"all passed", []SignatureReport{sig(TotalPassed, ""), sig(TotalPassed, "")}, nil, TotalPassed, "", MsgDocPassed},
		{"one failed", []SignatureReport{sig(TotalPassed, ""), sig(TotalFailed, Revoked), sig(Indeterminate, TryLater)}, nil, TotalFailed, Revoked, MsgDocFailed},
		{"one indeterminate", []SignatureReport{sig(Indeterminate, TryLater), sig(TotalPassed, "")}, nil, Indeterminate, TryLater, MsgDocIndeterminate},
		{"unset counts as not passed", []SignatureReport{sig("", "")}, nil, Indeterminate, "", MsgDocIndeterminate},
		{"error with passed signatures", []SignatureReport{sig(TotalPassed, "")}, &Message{Key: "pdf.error"}, Indeterminate, FormatFailure, "pdf.error"},
	}
	for _, tc := range tests {
		d := &DocumentReport{Signatures: tc.sigs, Error: tc.err}
		Summarize(d)
		if d.Indication != tc.ind || d.SubIndication != tc.sub || d.Summary.Key != tc.key {
			t.Errorf("%s: %s/%s %v", tc.name, d.Indication, d.SubIndication, d.Summary)
		}
		if d.Signatures == nil {
			t.Errorf("%s: signatures must encode as [] not null", tc.name)
		}
	}
	d := &DocumentReport{Signatures: []SignatureReport{sig(TotalPassed, ""), sig(TotalFailed, HashFailure), sig(Indeterminate, TryLater)}}
	Summarize(d)
	if !reflect.DeepEqual(d.Summary.Args, []string{"3", "1", "1", "1"}) {
		t.Errorf("counts: %v", d.Summary.Args)
	}
}

// jsonKeys lists the keys of a JSON object.
func jsonKeys(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// The JSON field names are an interface (README "Verification report (JSON)"): they may
// grow, never change.
func TestReportJSONStable(t *testing.T) {
	p := testPolicy(t, StoreTest)
	claimed := time.Date(2026, 1, 10, 3, 0, 0, 0, time.UTC)
	sr := SignatureReport{ID: "Sig1", Format: "PAdES-B-B", Indication: TotalPassed, Intact: true, Coverage: CoverageWhole,
		ClaimedSigningTime: &claimed, ChangesAfterSigning: Changes{Level: ChangesNone}}
	p.CheckSigner(persona(t, "revoked").SignCert, nil, &claimed).ApplyTo(&sr)
	doc := DocumentReport{File: "a.pdf", Kind: "pdf", Signatures: []SignatureReport{sr}, TrustStore: p.TrustStore(), ValidationTime: p.ValidationTime()}
	Summarize(&doc)
	raw, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var top struct {
		Signatures []struct {
			Signer      json.RawMessage `json:"signer"`
			Certificate json.RawMessage `json:"certificate"`
			Revocation  json.RawMessage `json:"revocation"`
		} `json:"signatures"`
	}
	if err := json.Unmarshal(raw, &top); err != nil {
		t.Fatal(err)
	}
	var sigRaw struct {
		Signatures []json.RawMessage `json:"signatures"`
	}
	json.Unmarshal(raw, &sigRaw)
	want := map[string][]string{
		"document":    {"file", "indication", "kind", "sha256", "signatures", "subIndication", "summary", "trustStore", "validationTime"},
		"signature":   {"certificate", "changesAfterSigning", "checks", "claimedSigningTime", "coverage", "format", "id", "indication", "intact", "revocation", "signer", "subIndication", "summary", "validationTime", "warnings"},
		"signer":      {"address", "birthDate", "birthEra", "name", "sex", "subject", "test"},
		"certificate": {"anchor", "chain", "crlDistributionPoints", "generation", "issuer", "issuerKeyId", "keyUsage", "kind", "notAfter", "notBefore", "policies", "serial", "sha256", "test"},
		"revocation":  {"builtin", "crlFile", "crlIssuer", "crlNumber", "crlScope", "crlSha256", "fresh", "nextUpdate", "reason", "revokedAt", "revokedBeforeSigning", "source", "status", "thisUpdate"},
	}
	got := map[string][]string{
		"document": jsonKeys(t, raw), "signature": jsonKeys(t, sigRaw.Signatures[0]),
		"signer": jsonKeys(t, top.Signatures[0].Signer), "certificate": jsonKeys(t, top.Signatures[0].Certificate),
		"revocation": jsonKeys(t, top.Signatures[0].Revocation),
	}
	for k, w := range want {
		if strings.Join(got[k], ",") != strings.Join(w, ",") {
			t.Errorf("%s keys:\n got  %v\n want %v", k, got[k], w)
		}
	}
	if !strings.Contains(string(raw), `"indication":"TOTAL-FAILED","subIndication":"REVOKED"`) ||
		!strings.Contains(string(raw), `"status":"revoked"`) || !strings.Contains(string(raw), `"reason":"affiliationChanged"`) {
		t.Errorf("unexpected JSON: %s", raw)
	}
}
