package trust

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"io"
	"os"
	"path/filepath"
	"time"
	"unicode/utf8"

	"testing"

	"github.com/mynasign/mynasign/internal/testpki"
)

// crlSeeds are the committed test CRLs, a PEM form, and PKITS CRLs when the corpus is
// there (read in place).
func crlSeeds(f *testing.F) [][]byte {
	var seeds [][]byte
	for _, n := range []string{testpki.CRLSignFresh, testpki.CRLSignStale, testpki.CRLSign2019Fresh, testpki.CRLAuthFresh,
		testpki.CRLSignPartition, testpki.CRLSignBadSig, testpki.CRLImpostorUnknown} {
		b, err := testpki.CRL(n)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	seeds = append(seeds, pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: seeds[0]}))
	dir := filepath.Join(corpusRoot(f), "pki", "nist_pkits", "crls")
	for _, n := range []string{"GoodCACRL.crl", "deltaCRLCA1deltaCRL.crl", "indirectCRLCA1CRL.crl", "UnknownCRLEntryExtensionCACRL.crl",
		"onlySomeReasonsCA1compromiseCRL.crl", "distributionPoint1CACRL.crl", "LongSerialNumberCACRL.crl", "NegativeSerialNumberCACRL.crl",
		"BadCRLSignatureCACRL.crl", "GeneralizedTimeCRLnextUpdateCACRL.crl"} {
		if b, err := os.ReadFile(filepath.Join(dir, n)); err == nil {
			seeds = append(seeds, b)
		}
	}
	return seeds
}

// FuzzCRLParser feeds arbitrary files to the CRL reader (DER/PEM detection, the PEM
// scanner, the streaming parser with its two passes): it must never panic or hang, and
// when it accepts a CRL both passes must agree.
func FuzzCRLParser(f *testing.F) {
	for _, s := range crlSeeds(f) {
		f.Add(s)
	}
	signers := signersOf(testStoreNoBuiltin(f))
	f.Fuzz(func(t *testing.T, data []byte) {
		open := func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
		units, err := fileUnits("fuzz.crl", open)
		if err != nil {
			return
		}
		for _, u := range units {
			var visited int64
			p, sum, err := parseUnit(u, func(serial []byte, at time.Time, reason int) error {
				if len(serial) == 0 || len(serial) > maxSerialBytes || reason < -1 || reason > 10 {
					t.Fatalf("bad entry: serial %x reason %d", serial, reason)
				}
				visited++
				return nil
			})
			if err != nil {
				continue
			}
			if visited != p.entries || len(sum) != 32 {
				t.Fatalf("visited %d entries, parser counted %d", visited, p.entries)
			}
			// The whole import pipeline, in memory (signature checks included).
			if x, err := buildMemoryIndex("fuzz.crl", data, signers, time.Now(), false); err == nil && u.pemBlock < 0 {
				if x.count > p.entries {
					t.Fatalf("index holds %d records for %d entries", x.count, p.entries)
				}
			}
		}
	})
}

// FuzzSANParser feeds arbitrary subjectAltName values to the personal data parser: it
// must never panic, and whatever it reports must be well-formed.
func FuzzSANParser(f *testing.F) {
	for _, p := range testpki.Personas() {
		for _, cert := range []*x509.Certificate{p.SignCert, p.AuthCert} {
			if cert == nil {
				continue
			}
			for _, e := range cert.Extensions {
				if e.Id.Equal(oidExtSAN) {
					f.Add(e.Value)
				}
			}
		}
	}
	f.Add(fullSAN(f, nil))
	f.Add(fullSAN(f, map[int]string{4: "019800000", 2: "1x"}))
	f.Fuzz(func(t *testing.T, der []byte) {
		pd := ParsePersonalData(der)
		switch pd.Sex {
		case "", "male", "female", "unknown":
		default:
			t.Fatalf("sex %q", pd.Sex)
		}
		if pd.BirthDate != "" {
			if _, err := time.Parse("2006-01-02", pd.BirthDate); err != nil {
				t.Fatalf("birth date %q: %v", pd.BirthDate, err)
			}
		}
		if pd.BirthEraYear < 0 || (pd.BirthEraYear > 0 && pd.BirthEra == "") {
			t.Fatalf("era %q year %d", pd.BirthEra, pd.BirthEraYear)
		}
		for _, i := range pd.NameSubstituted {
			if !pd.NameFlagsValid || i >= utf8.RuneCountInString(pd.Name) {
				t.Fatalf("substitute position %d in %d characters", i, utf8.RuneCountInString(pd.Name))
			}
		}
		for _, i := range pd.AddressSubstituted {
			if !pd.AddressFlagsValid || i >= utf8.RuneCountInString(pd.Address) {
				t.Fatalf("address substitute position %d", i)
			}
		}
		if !utf8.ValidString(pd.Name) || !utf8.ValidString(pd.Address) {
			t.Fatal("invalid UTF-8 reported as a value")
		}
	})
}
