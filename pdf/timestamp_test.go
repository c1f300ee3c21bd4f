package pdf

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/mynasign/mynasign/internal/cms"
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
	if anyVerified(signatureTimestamps([][]byte{{0x30, 0x00}}, nil, nil)) {
		t.Fatal("an empty SEQUENCE passed as a time-stamp token")
	}
}
