package card_test

import (
	"crypto"
	"crypto/sha256"
	"testing"

	"github.com/mynasign/mynasign/card"
	"github.com/mynasign/mynasign/card/softcard"
	"github.com/mynasign/mynasign/card/softcard/pcscdtest"
	"github.com/mynasign/mynasign/internal/testpki"
)

// The benchmarks count what crosses the card interface (command and response APDUs,
// status words included, as the client's Session.Stats sees them) for:
//
//	first:   open the card → tries left → VERIFY → read the signature certificate → sign
//	further: one more signature in the same session
//
// and report the protocol minimum next to it (see protocolMinimum). They run against
// the software card in-process and through pcscd + vpcd.

// protocolMinimum is the least the card protocol allows for a first signature and for
// each further one, with short APDUs: SELECT JPKI-AP (15 out, 2 in), VERIFY by SFI
// (5+len(password) out, 2 in), READ BINARY by SFI/offset in 256-byte chunks (5 out and
// chunk+2 in each), COMPUTE DIGITAL SIGNATURE by SFI (5+len(DigestInfo)+1 out, 256+2
// in). A further signature needs only the last command.
func protocolMinimum(certLen, passwordLen, digestInfoLen int) (firstAPDUs, firstBytes, furtherAPDUs, furtherBytes int) {
	chunks := (certLen + 255) / 256
	sign := (5 + digestInfoLen + 1) + (256 + 2)
	firstAPDUs = 3 + chunks
	firstBytes = (15 + 2) + (5 + passwordLen + 2) + (5*chunks + certLen + 2*chunks) + sign
	return firstAPDUs, firstBytes, 1, sign
}

func reportMinimum(b *testing.B, first bool) {
	p, _ := testpki.PersonaByID("valid")
	fa, fb, na, nb := protocolMinimum(len(p.SignCert.Raw), len(testpki.SignPassword), 19+32)
	if first {
		b.ReportMetric(float64(fa), "min-apdus/op")
		b.ReportMetric(float64(fb), "min-bytes/op")
	} else {
		b.ReportMetric(float64(na), "min-apdus/op")
		b.ReportMetric(float64(nb), "min-bytes/op")
	}
}

func reportStats(b *testing.B, total card.Stats) {
	n := float64(b.N)
	b.ReportMetric(float64(total.Commands)/n, "apdus/op")
	b.ReportMetric(float64(total.BytesSent+total.BytesReceived)/n, "bytes/op")
	b.ReportMetric(float64(total.Transactions)/n, "transactions/op")
}

func addStats(a, b card.Stats) card.Stats {
	return card.Stats{Commands: a.Commands + b.Commands, BytesSent: a.BytesSent + b.BytesSent,
		BytesReceived: a.BytesReceived + b.BytesReceived, Transactions: a.Transactions + b.Transactions}
}

// firstSignature runs the whole first-signature flow on a new session.
func firstSignature(b *testing.B, t card.Transport, opts card.Options) card.Stats {
	s, err := card.OpenWith(t, opts)
	if err != nil {
		b.Fatal(err)
	}
	if st, err := s.PINStatus(card.SignPassword); err != nil || st.Left != 5 {
		b.Fatalf("%+v %v", st, err)
	}
	if err := s.VerifySignPIN([]byte(testpki.SignPassword)); err != nil {
		b.Fatal(err)
	}
	signer, err := s.Signer()
	if err != nil {
		b.Fatal(err)
	}
	d := sha256.Sum256([]byte("document"))
	if _, err := signer.Sign(nil, d[:], crypto.SHA256); err != nil {
		b.Fatal(err)
	}
	return s.Stats()
}

type transportFor func(b *testing.B) (card.Transport, func())

func inProcess(b *testing.B) (card.Transport, func()) {
	c, err := softcard.NewPersona("valid")
	if err != nil {
		b.Fatal(err)
	}
	return c, func() {}
}

func overPcscd(b *testing.B) (card.Transport, func()) {
	st := pcscdtest.Start(b, pcscdtest.Options{})
	c, err := card.Connect(st.Reader)
	if err != nil {
		b.Fatal(err)
	}
	return c, func() { c.Close() }
}

var transports = []struct {
	name string
	get  transportFor
}{{"softcard", inProcess}, {"pcscd", overPcscd}}

func BenchmarkFirstSignature(b *testing.B) {
	for _, tr := range transports {
		for _, m := range modes {
			b.Run(tr.name+"/"+m.name, func(b *testing.B) {
				t, done := tr.get(b)
				defer done()
				var total card.Stats
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					total = addStats(total, firstSignature(b, t, m.opts))
				}
				b.StopTimer()
				reportStats(b, total)
				reportMinimum(b, true)
			})
		}
	}
}

func BenchmarkFurtherSignature(b *testing.B) {
	for _, tr := range transports {
		for _, m := range modes {
			b.Run(tr.name+"/"+m.name, func(b *testing.B) {
				t, done := tr.get(b)
				defer done()
				s, err := card.OpenWith(t, m.opts)
				if err != nil {
					b.Fatal(err)
				}
				if err := s.VerifySignPIN([]byte(testpki.SignPassword)); err != nil {
					b.Fatal(err)
				}
				signer, err := s.Signer()
				if err != nil {
					b.Fatal(err)
				}
				d := sha256.Sum256([]byte("document"))
				if _, err := signer.Sign(nil, d[:], crypto.SHA256); err != nil {
					b.Fatal(err)
				}
				before := s.Stats()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if _, err := signer.Sign(nil, d[:], crypto.SHA256); err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				after := s.Stats()
				reportStats(b, card.Stats{Commands: after.Commands - before.Commands,
					BytesSent: after.BytesSent - before.BytesSent, BytesReceived: after.BytesReceived - before.BytesReceived,
					Transactions: after.Transactions - before.Transactions})
				reportMinimum(b, false)
			})
		}
	}
}
