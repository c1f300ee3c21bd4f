package trust

import (
	"bufio"
	"bytes"
	"crypto/x509"
	"math/big"
	"testing"
	"time"
)

// The streaming parser agrees with crypto/x509 on every entry of a generated CRL.
func TestStreamParserMatchesX509(t *testing.T) {
	s := syntheticCRL{seed: 7, entries: 3000, base: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	var buf bytes.Buffer
	this := time.Now().Add(-time.Hour).Truncate(time.Second)
	writeSyntheticCRL(t, &buf, "sign-ca-2023", s, 4242, this, this.Add(24*time.Hour))
	der := buf.Bytes()

	rl, err := x509.ParseRevocationList(der)
	if err != nil {
		t.Fatalf("crypto/x509 rejects the generated CRL: %v", err)
	}
	ca, _ := testCACert(t, "sign-ca-2023")
	if err := rl.CheckSignatureFrom(ca); err != nil {
		t.Fatalf("crypto/x509: %v", err)
	}
	type entry struct {
		at     time.Time
		reason int
	}
	got := map[string]entry{}
	p, err := parseCRLStream(bufio.NewReader(bytes.NewReader(der)), func(serial []byte, at time.Time, reason int) error {
		got[string(serial)] = entry{at, reason}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.verify(ca.PublicKey); err != nil {
		t.Fatalf("signature: %v", err)
	}
	if p.entries != int64(len(rl.RevokedCertificateEntries)) || len(got) != s.entries || p.number.Int64() != 4242 ||
		!p.thisUpdate.Equal(rl.ThisUpdate) || !p.nextUpdate.Equal(rl.NextUpdate) || !bytes.Equal(p.issuer, rl.RawIssuer) ||
		!bytes.Equal(p.authorityKey, rl.AuthorityKeyId) {
		t.Fatalf("header: %d entries (x509 %d), number %v, times %v %v", p.entries, len(rl.RevokedCertificateEntries), p.number, p.thisUpdate, p.nextUpdate)
	}
	for _, e := range rl.RevokedCertificateEntries {
		g, ok := got[string(serialKey(e.SerialNumber))]
		reason := e.ReasonCode
		if reason == 0 {
			reason = reasonNone // crypto/x509 reports an absent reason as 0; the generator never writes 0
		}
		if !ok || !g.at.Equal(e.RevocationTime) || g.reason != reason {
			t.Fatalf("serial %x: stream %+v, x509 %v %d", e.SerialNumber, g, e.RevocationTime, e.ReasonCode)
		}
	}
}

func TestSerialKey(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		want []byte
	}{
		{0, []byte{0}}, {1, []byte{1}}, {127, []byte{0x7f}}, {128, []byte{0, 0x80}}, {256, []byte{1, 0}},
		{-1, []byte{0xff}}, {-128, []byte{0x80}}, {-129, []byte{0xff, 0x7f}}, {-256, []byte{0xff, 0x00}},
	} {
		if got := serialKey(big.NewInt(tc.n)); !bytes.Equal(got, tc.want) {
			t.Errorf("serialKey(%d) = %x, want %x", tc.n, got, tc.want)
		}
	}
}

func TestParseDERTime(t *testing.T) {
	ok := map[string]time.Time{
		"\x17\x0d491231235959Z":   time.Date(2049, 12, 31, 23, 59, 59, 0, time.UTC),
		"\x17\x0d500101000000Z":   time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC),
		"\x18\x0f20500101000000Z": time.Date(2050, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	for in, want := range ok {
		if got, good := parseDERTime(in[0], []byte(in)); !good || !got.Equal(want) {
			t.Errorf("%q: %v %v", in, got, good)
		}
	}
	for _, in := range []string{"\x17\x0d490231235959Z", "\x17\x0d491231235959+", "\x17\x0c4912312359Z", "\x18\x0f2050010100000Z0", "\x17\x0d4912312a5959Z", "\x17\x0d491231245959Z", "\x04\x0d491231235959Z"} {
		if _, good := parseDERTime(in[0], []byte(in)); good {
			t.Errorf("%q accepted", in)
		}
	}
}

func testCACert(t testing.TB, name string) (*x509.Certificate, error) {
	t.Helper()
	ts, err := LoadTrustStore(StoreTest)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range ts.Anchors {
		if a.Test && a.Source == "testpki/"+name+".pem" {
			return a.Cert, nil
		}
	}
	t.Fatalf("no test CA %s", name)
	return nil, nil
}
