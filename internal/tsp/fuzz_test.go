package tsp

import (
	"context"
	"crypto"
	"crypto/sha256"
	"testing"

	"github.com/mynasign/mynasign/internal/testenv"
)

// FuzzVerify feeds arbitrary tokens and data to Verify and VerifyDigest: no panic, no
// unbounded work, and a token that verifies always names a time-stamping certificate.
func FuzzVerify(f *testing.F) {
	tsa := testenv.NewTSA(f)
	c, err := NewClient(tsa.URL)
	if err != nil {
		f.Fatal(err)
	}
	data := []byte("署名値のつもり")
	token, err := c.Stamp(context.Background(), crypto.SHA256, data)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(token, data)
	f.Add(token, []byte("other"))
	f.Add([]byte{0x30, 0x80, 0x00, 0x00}, data)
	f.Fuzz(func(t *testing.T, der, data []byte) {
		check := func(tok *Token, err error) {
			if err != nil {
				return
			}
			if tok == nil || tok.Certificate == nil || !TimeStampingOnly(tok.Certificate) || tok.Time.IsZero() {
				t.Fatalf("a token verified without a time-stamping certificate or a time: %+v", tok)
			}
		}
		check(Verify(der, data, nil))
		d := sha256.Sum256(data)
		check(VerifyDigest(der, crypto.SHA256, d[:], nil))
	})
}
