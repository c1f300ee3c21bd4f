package cms

import (
	"crypto/sha256"
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
