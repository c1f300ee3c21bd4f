package pdf

import (
	"bytes"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/mynasign/mynasign/internal/cms"
	"github.com/mynasign/mynasign/internal/tsp"
	"github.com/mynasign/mynasign/trust"
)

// A PAdES level is reported only for what verified: a signature time-stamp whose
// imprint is not of the signature leaves the signature B-B, with a warning; the
// signature itself is unaffected (the token is an unsigned attribute).
func TestSignatureTimestampLevel(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(corpusDir(t), "pdfcpu", "ETSI.CAdES.detached", "testPAdES_BLT.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	s := verifyBytes(t, data, nil).Signatures[0]
	if s.Format != "PAdES-B-T" || hasWarning(s, MsgWarnTimestampBad) || !s.Intact {
		t.Fatalf("genuine B-LT: format %s, warnings %v, intact %v", s.Format, s.Warnings, s.Intact)
	}

	// Change the token's imprint inside /Contents.
	a := analyze(t.Context(), bytes.NewReader(data), int64(len(data)), nil)
	si := a.sigs[0].si
	token := si.UnsignedAttr(cms.OIDAttrTimeStampToken)[0]
	sd, _, err := cms.Parse(token)
	if err != nil {
		t.Fatal(err)
	}
	tst, err := cms.ParseTSTInfo(sd.EContent)
	if err != nil {
		t.Fatal(err)
	}
	imprint := []byte(hex.EncodeToString(tst.HashedMessage))
	i := bytes.Index(bytes.ToLower(data), imprint)
	if i < 0 {
		t.Fatal("imprint not found in /Contents")
	}
	changed := bytes.Clone(data)
	changed[i] ^= 0x01 // '0'↔'1', 'a'↔'`'…: keep it a hex digit
	if c := changed[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
		changed[i] = data[i] ^ 0x03
	}
	s = verifyBytes(t, changed, nil).Signatures[0]
	if s.Format != "PAdES-B-B" || !hasWarning(s, MsgWarnTimestampBad) || !s.Intact {
		t.Fatalf("changed imprint: format %s, warnings %v, intact %v", s.Format, s.Warnings, s.Intact)
	}
	// A token that is not one at all.
	if tsp.AnyVerified(signatureTimestamps([][]byte{{0x30, 0x00}}, nil, nil)) {
		t.Fatal("an empty SEQUENCE passed as a time-stamp token")
	}
}

// Every time-stamp in the third-party corpus (pdfcpu, endesive, pyHanko: signature
// time-stamps and document time-stamps of B-T, B-LT and B-LTA files) is reported, with
// its time, and none is called altered: their imprints and token signatures are genuine.
// Their authorities are trusted by nobody here, so none is TOTAL-PASSED either.
func TestCorpusTimestampsReported(t *testing.T) {
	seen, stamps := 0, 0
	err := filepath.WalkDir(corpusDir(t), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".pdf" {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, s := range verifyBytes(t, data, testPolicy(t)).Signatures {
			if s.Format == "ETSI.RFC3161" {
				stamps++
				if !s.Intact || s.Indication != trust.Indeterminate {
					t.Errorf("%s %s: document time-stamp %s/%s intact=%v", filepath.Base(p), s.ID, s.Indication, s.SubIndication, s.Intact)
				}
			}
			for _, e := range s.Timestamps {
				seen++
				if e.Time == nil || e.Indication != trust.Indeterminate || e.SubIndication == trust.HashFailure || e.SubIndication == trust.SigCryptoFailure {
					t.Errorf("%s %s: time-stamp %+v", filepath.Base(p), s.ID, e)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < 15 || stamps < 3 {
		t.Errorf("%d signature time-stamps and %d document time-stamps seen, want at least 15 and 3", seen, stamps)
	}
}
