package card_test

import (
	"crypto"
	"crypto/sha256"
	"testing"

	"github.com/mynasign/mynasign/card"
	"github.com/mynasign/mynasign/internal/testpki"
)

// authMinimumAfterPIN is the least the protocol allows after the authentication PIN:
// one COMPUTE DIGITAL SIGNATURE naming the authentication key by SFI (P2 = 97) over the
// 51-byte SHA-256 DigestInfo (5 + 51 + 1 bytes out, 256 + 2 in).
const (
	authMinAPDUs = 1
	authMinBytes = (5 + 51 + 1) + (256 + 2)
)

// preAuthAPDUs is what Authenticate sends before and with the PIN: the empty VERIFY
// (after a SELECT EF of the PIN in select-ef mode) and the VERIFY with the PIN.
func preAuthAPDUs(opts card.Options) (apdus, bytes int) {
	if opts.ShortFileIDs {
		return 2, (4 + 2) + (5 + 4 + 2)
	}
	return 3, (7 + 2) + (4 + 2) + (5 + 4 + 2)
}

// BenchmarkIDCheckAfterPIN counts what the identity check's card operation
// (Session.Authenticate) sends after the authentication PIN: the signature of the
// challenge with the authentication key, and the re-select that leaves the PIN
// unverified. The session is open and the certificate read before the loop, as in the
// flow (flow.IDCheckCard.Prepare).
func BenchmarkIDCheckAfterPIN(b *testing.B) {
	for _, tr := range transports {
		for _, m := range modes {
			b.Run(tr.name+"/"+m.name, func(b *testing.B) {
				t, done := tr.get(b)
				defer done()
				s, err := card.OpenWith(t, m.opts)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := s.AuthCertificate(); err != nil {
					b.Fatal(err)
				}
				d := sha256.Sum256([]byte("challenge"))
				before := s.Stats()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if _, err := s.Authenticate([]byte(testpki.AuthPIN), crypto.SHA256, d[:]); err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				after := s.Stats()
				preA, preB := preAuthAPDUs(m.opts)
				n := float64(b.N)
				apdus := float64(after.Commands-before.Commands)/n - float64(preA)
				bytes := float64(after.BytesSent+after.BytesReceived-before.BytesSent-before.BytesReceived)/n - float64(preB)
				if apdus > 6 {
					b.Fatalf("%.1f APDUs after the PIN: at most 6", apdus)
				}
				b.ReportMetric(apdus, "apdus-after-pin/op")
				b.ReportMetric(bytes, "bytes-after-pin/op")
				b.ReportMetric(float64(after.Transactions-before.Transactions)/n, "transactions/op")
				b.ReportMetric(authMinAPDUs, "min-apdus/op")
				b.ReportMetric(authMinBytes, "min-bytes/op")
			})
		}
	}
}
