package cms

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

// FuzzParse feeds the CMS parser and the signer checks hostile DER: no panics.
func FuzzParse(f *testing.F) {
	p, _ := personaForFuzz()
	d := sha256.Sum256([]byte("x"))
	sp := SignParams{Certificate: p.SignCert, ContentDigest: d[:], SigningCertificateV2: true}
	if der, err := sp.Sign(p.SignKey); err == nil {
		f.Add(der)
	}
	f.Add([]byte{0x30, 0x00})
	f.Fuzz(func(t *testing.T, data []byte) {
		sd, _, err := Parse(data)
		if err != nil {
			return
		}
		for i := range sd.Signers {
			si := &sd.Signers[i]
			cert := si.FindCertificate(sd.Certificates)
			if cert == nil && len(sd.Certificates) > 0 {
				cert = sd.Certificates[0]
			}
			if cert != nil {
				sd.VerifySigner(si, cert, d[:])
				si.CheckSigningCertificate(cert)
			}
			si.DescribeAlgorithm()
		}
		if sd.HasEContent {
			ParseTSTInfo(sd.EContent)
		}
	})
}

// FuzzBER feeds the BER-to-DER rewriting hostile input: no panic, the output is DER
// (rewriting it again changes nothing) and never much larger than the input.
func FuzzBER(f *testing.F) {
	for _, s := range []string{
		"3080020105 0000", "24800401610402626300 00", "2309030200aa030304bbc0",
		"bf81008005000000", "30803080050000000000", "a08004010100 00",
	} {
		b, _ := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		der, _, err := toDER(data)
		if err != nil {
			return
		}
		if len(der) > 2*len(data)+8 {
			t.Fatalf("%d bytes became %d", len(data), len(der))
		}
		again, rest, err := toDER(der)
		if err != nil || len(rest) != 0 || !bytes.Equal(again, der) {
			t.Fatalf("toDER is not idempotent: % x -> % x (%v)", der, again, err)
		}
		if sorted, err := sortedSETOFDER(der); err != nil || len(sorted) != len(der) {
			t.Fatalf("sorting a SET OF changed the length or failed: %v", err)
		}
	})
}
