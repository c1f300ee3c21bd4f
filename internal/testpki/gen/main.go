// Command gen writes the project's JPKI-shaped TEST PKI into internal/testpki: CA
// certificates and keys, the software card's personas (certificates, keys, card data) and
// CRLs. It is run by hand, once, and its output is committed:
//
//	go run ./internal/testpki/gen            # from the repository root
//
// Running it again replaces every key and certificate (tests read whatever is committed).
// Everything it writes is test-only material and is never trusted unless asked for
// (--trust test). See internal/testpki/README.md for what each file is.
package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"log"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// OIDs of the JPKI certificate profile (jpki-card.md §7).
var (
	oidSAN          = asn1.ObjectIdentifier{2, 5, 29, 17}
	oidIssuerAlt    = asn1.ObjectIdentifier{2, 5, 29, 18}
	oidCRLDP        = asn1.ObjectIdentifier{2, 5, 29, 31}
	oidIDP          = asn1.ObjectIdentifier{2, 5, 29, 28}
	oidTestPolicy   = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 1, 0, 20}
	oidName         = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 5, 1}
	oidNameFlags    = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 5, 2}
	oidSex          = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 5, 3}
	oidBirth        = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 5, 4}
	oidAddress      = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 5, 5}
	oidAddressFlags = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 5, 6}
	oidC            = asn1.ObjectIdentifier{2, 5, 4, 6}
	oidO            = asn1.ObjectIdentifier{2, 5, 4, 10}
	oidOU           = asn1.ObjectIdentifier{2, 5, 4, 11}
	oidL            = asn1.ObjectIdentifier{2, 5, 4, 7}
	oidCN           = asn1.ObjectIdentifier{2, 5, 4, 3}
)

// rdn is one attribute of a distinguished name, kept in the order given.
type rdn struct {
	oid asn1.ObjectIdentifier
	val string
}

// name encodes attributes as an RDNSequence in exactly the order given (crypto/x509's
// pkix.Name reorders them). Values are PrintableString when possible, else UTF8String.
func name(attrs ...rdn) []byte {
	var seq pkix.RDNSequence
	for _, a := range attrs {
		seq = append(seq, pkix.RelativeDistinguishedNameSET{{Type: a.oid, Value: a.val}})
	}
	der, err := asn1.Marshal(seq)
	must(err)
	return der
}

const (
	signOU  = "JPKI for digital signature (TEST)"
	authOU  = "JPKI for user authentication (TEST)"
	agency  = "Japan Agency for Local Authority Information Systems (TEST)"
	testOrg = "JPKI"
)

func caName(ou string) []byte {
	return name(rdn{oidC, "JP"}, rdn{oidO, testOrg}, rdn{oidOU, ou}, rdn{oidOU, agency})
}

// crldpName is the directory name of a municipality's CRL partition (the CRLDP of a
// signature certificate).
func crldpName(prefecture, municipality string) []byte {
	return name(rdn{oidC, "JP"}, rdn{oidO, testOrg}, rdn{oidOU, signOU},
		rdn{oidOU, "CRL Distribution Points"}, rdn{oidOU, prefecture}, rdn{oidCN, municipality + " CRLDP"})
}

// directoryNames encodes GeneralNames holding one directoryName ([4] EXPLICIT Name).
func addDirectoryName(b *cryptobyte.Builder, nameDER []byte) {
	b.AddASN1(cbasn1.Tag(4).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
		b.AddBytes(nameDER)
	})
}

// crldpExt encodes cRLDistributionPoints with one distribution point whose fullName is a
// directory name (the JPKI form: no URL).
func crldpExt(nameDER []byte) pkix.Extension {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // CRLDistributionPoints
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // DistributionPoint
			b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) { // distributionPoint
				b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) { // fullName
					addDirectoryName(b, nameDER)
				})
			})
		})
	})
	return pkix.Extension{Id: oidCRLDP, Value: b.BytesOrPanic()}
}

// idpExt encodes a critical issuingDistributionPoint naming the partition nameDER.
func idpExt(nameDER []byte) pkix.Extension {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
				addDirectoryName(b, nameDER)
			})
		})
		// onlyContainsUserCerts [1] TRUE: the partitions list end-entity certificates.
		b.AddASN1(cbasn1.Tag(1).ContextSpecific(), func(b *cryptobyte.Builder) { b.AddUint8(0xff) })
	})
	return pkix.Extension{Id: oidIDP, Critical: true, Value: b.BytesOrPanic()}
}

// issuerAltExt is the issuerAltName DirName C=JP, O=公的個人認証サービス (marked TEST).
func issuerAltExt() pkix.Extension {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		addDirectoryName(b, name(rdn{oidC, "JP"}, rdn{oidO, "公的個人認証サービス（テスト）"}))
	})
	return pkix.Extension{Id: oidIssuerAlt, Value: b.BytesOrPanic()}
}

// otherName is one subjectAltName otherName entry with an explicit [0] UTF8String value.
type otherName struct {
	oid asn1.ObjectIdentifier
	val string
}

func sanExt(entries []otherName) pkix.Extension {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		for _, e := range entries {
			b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) { // otherName
				b.AddASN1ObjectIdentifier(e.oid)
				b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.UTF8String, func(b *cryptobyte.Builder) { b.AddBytes([]byte(e.val)) })
				})
			})
		}
	})
	return pkix.Extension{Id: oidSAN, Value: b.BytesOrPanic()}
}

func skid(pub *rsa.PublicKey) []byte {
	der := x509.MarshalPKCS1PublicKey(pub)
	h := sha1.Sum(der)
	return h[:]
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 63))
	must(err)
	return n.Add(n, big.NewInt(1))
}

func newKey() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	must(err)
	return k
}

// ca is a certification authority of the test PKI.
type ca struct {
	file string
	cert *x509.Certificate
	key  *rsa.PrivateKey
}

func makeCA(file string, subject []byte, from, to time.Time) *ca {
	key := newKey()
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		RawSubject:            subject,
		NotBefore:             from,
		NotAfter:              to,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		SubjectKeyId:          skid(&key.PublicKey),
		ExtraExtensions:       []pkix.Extension{issuerAltExt()},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	must(err)
	cert, err := x509.ParseCertificate(der)
	must(err)
	return &ca{file: file, cert: cert, key: key}
}

// holder describes a persona's card data (jpki-card.md §5, §7). Every value is invented.
type holder struct {
	ID          string `json:"id"`
	Description string `json:"description"`
	Name        string `json:"name"`      // as on the card's text AP (UTF-8)
	CertName    string `json:"certName"`  // as in the certificate (substitutes applied)
	NameFlags   string `json:"nameFlags"` // per-character substitute flags in the certificate
	Address     string `json:"address"`   // text AP and certificate
	AddrFlags   string `json:"addressFlags"`
	Birth       string `json:"birthDate"`     // YYYYMMDD
	Era         string `json:"birthEra"`      // era digit of the certificate's birth date
	SexCert     string `json:"sexCert"`       // certificate coding: 1 male, 2 female, 3 unknown
	SexCard     string `json:"sexCard"`       // text AP coding: 1 male, 2 female, 9 not applicable
	MyNumber    string `json:"myNumber"`      // a test individual number (valid check digit)
	Prefecture  string `json:"prefecture"`    // L= and CRLDP, romanized
	Muni        string `json:"municipality"`  // L= and CRLDP, romanized
	SignTries   int    `json:"signPINTries"`  // remaining signature password tries
	HasSignCert bool   `json:"hasSignCert"`   // false for a child's card
	SignCA      string `json:"signCA"`        // which CA issued the signature certificate
	NotBefore   string `json:"signNotBefore"` // RFC 3339
	NotAfter    string `json:"signNotAfter"`  // RFC 3339
}

func myNumberWithCheckDigit(first11 string) string {
	sum := 0
	for n := 1; n <= 11; n++ {
		p := int(first11[11-n] - '0')
		q := n + 1
		if n >= 7 {
			q = n - 5
		}
		sum += p * q
	}
	r := sum % 11
	check := 0
	if r > 1 {
		check = 11 - r
	}
	return fmt.Sprintf("%s%d", first11, check)
}

// substituteFlags marks with '1' each character of the certificate's text that differs
// from the card's (a character outside the JIS sets replaced by a substitute).
func substituteFlags(card, cert string) string {
	a, b := []rune(card), []rune(cert)
	if len(a) != len(b) {
		log.Fatalf("substitute flags: %q and %q differ in length", card, cert)
	}
	flags := make([]byte, len(b))
	for i := range b {
		flags[i] = '0'
		if a[i] != b[i] {
			flags[i] = '1'
		}
	}
	return string(flags)
}

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	must(err)
	return t
}

func main() {
	out := "internal/testpki"
	if _, err := os.Stat(out); err != nil {
		log.Fatalf("run from the repository root: %v", err)
	}
	now := time.Now().UTC().Truncate(24 * time.Hour)

	sign2023 := makeCA("sign-ca-2023", caName(signOU), date("2023-07-01T00:00:00Z"), date("2053-06-30T14:59:59Z"))
	sign2019 := makeCA("sign-ca-2019", caName(signOU), date("2019-09-01T00:00:00Z"), date("2049-08-31T14:59:59Z"))
	auth2023 := makeCA("auth-ca-2023", caName(authOU), date("2023-07-01T00:00:00Z"), date("2053-06-30T14:59:59Z"))
	// The impostor copies the test signature CA's name but has its own key: only chain
	// building by key identifier and signature tells it apart.
	impostor := makeCA("impostor-ca", caName(signOU), date("2023-07-01T00:00:00Z"), date("2053-06-30T14:59:59Z"))
	textIssuer := newKey()

	cas := map[string]*ca{"sign-ca-2023": sign2023, "sign-ca-2019": sign2019, "impostor-ca": impostor}

	holders := []holder{
		{ID: "valid", Description: "a valid holder (the default persona)",
			Name: "髙橋　花子", CertName: "高橋　花子",
			Address: "東京都千代田区霞が関二丁目１番２号",
			Birth:   "19900115", Era: "4", SexCert: "2", SexCard: "2", MyNumber: myNumberWithCheckDigit("00000000001"),
			Prefecture: "Tokyo", Muni: "Chiyoda-ku", SignTries: 5, HasSignCert: true, SignCA: "sign-ca-2023",
			NotBefore: "2025-04-01T00:00:00Z", NotAfter: "2045-01-14T14:59:59Z"},
		{ID: "revoked", Description: "a holder whose signature certificate was revoked (moved house)",
			Name: "山田　太郎", CertName: "山田　太郎",
			Address: "大阪府大阪市北区中之島一丁目３番２０号",
			Birth:   "19750402", Era: "3", SexCert: "1", SexCard: "1", MyNumber: myNumberWithCheckDigit("00000000002"),
			Prefecture: "Osaka", Muni: "Osaka-shi Kita-ku", SignTries: 5, HasSignCert: true, SignCA: "sign-ca-2023",
			NotBefore: "2024-04-01T00:00:00Z", NotAfter: "2044-04-01T14:59:59Z"},
		{ID: "expired", Description: "a holder whose signature certificate has expired",
			Name: "佐藤　一郎", CertName: "佐藤　一郎",
			Address: "北海道札幌市中央区北一条西二丁目",
			Birth:   "19600220", Era: "3", SexCert: "1", SexCard: "1", MyNumber: myNumberWithCheckDigit("00000000003"),
			Prefecture: "Hokkaido", Muni: "Sapporo-shi Chuo-ku", SignTries: 5, HasSignCert: true, SignCA: "sign-ca-2019",
			NotBefore: "2019-10-01T00:00:00Z", NotAfter: "2024-02-20T14:59:59Z"},
		{ID: "blocked", Description: "a holder whose signature password is blocked",
			Name: "鈴木　美咲", CertName: "鈴木　美咲",
			Address: "愛知県名古屋市中区三の丸三丁目１番１号",
			Birth:   "19881231", Era: "3", SexCert: "3", SexCard: "9", MyNumber: myNumberWithCheckDigit("00000000004"),
			Prefecture: "Aichi", Muni: "Nagoya-shi Naka-ku", SignTries: 0, HasSignCert: true, SignCA: "sign-ca-2023",
			NotBefore: "2025-04-01T00:00:00Z", NotAfter: "2045-12-31T14:59:59Z"},
		{ID: "child", Description: "a child's card: no signature certificate",
			Name: "高橋　蓮", CertName: "",
			Address: "東京都千代田区霞が関二丁目１番２号",
			Birth:   "20200505", Era: "5", SexCert: "1", SexCard: "1", MyNumber: myNumberWithCheckDigit("00000000005"),
			Prefecture: "Tokyo", Muni: "Chiyoda-ku", SignTries: 5, HasSignCert: false},
		{ID: "impostor", Description: "a certificate from an untrusted CA that copies the test CA's name",
			Name: "偽物　次郎", CertName: "偽物　次郎",
			Address: "東京都千代田区霞が関二丁目１番２号",
			Birth:   "19850707", Era: "3", SexCert: "1", SexCard: "1", MyNumber: myNumberWithCheckDigit("00000000006"),
			Prefecture: "Tokyo", Muni: "Chiyoda-ku", SignTries: 5, HasSignCert: true, SignCA: "impostor-ca",
			NotBefore: "2025-04-01T00:00:00Z", NotAfter: "2045-07-07T14:59:59Z"},
	}

	must(os.MkdirAll(filepath.Join(out, "personas"), 0o755))
	must(os.MkdirAll(filepath.Join(out, "crl"), 0o755))
	for _, c := range []*ca{sign2023, sign2019, auth2023, impostor} {
		writeCert(filepath.Join(out, c.file+".pem"), c.cert.Raw)
		writeKey(filepath.Join(out, c.file+".key.pem"), c.key)
	}
	writeKey(filepath.Join(out, "text-ap-issuer.key.pem"), textIssuer)

	certs := map[string]*x509.Certificate{}
	for i := range holders {
		h := &holders[i]
		if h.HasSignCert {
			h.NameFlags = substituteFlags(h.Name, h.CertName)
			h.AddrFlags = substituteFlags(h.Address, h.Address)
		}
		dir := filepath.Join(out, "personas", h.ID)
		must(os.MkdirAll(dir, 0o755))
		if h.HasSignCert {
			issuer := cas[h.SignCA]
			key := newKey()
			cert := signCert(h, issuer, key)
			certs[h.ID] = cert
			writeCert(filepath.Join(dir, "sign.pem"), cert.Raw)
			writeKey(filepath.Join(dir, "sign.key.pem"), key)
		}
		akey := newKey()
		acert := authCert(h, auth2023, akey)
		certs[h.ID+"/auth"] = acert
		writeCert(filepath.Join(dir, "auth.pem"), acert.Raw)
		writeKey(filepath.Join(dir, "auth.key.pem"), akey)
		js, err := json.MarshalIndent(h, "", "  ")
		must(err)
		must(os.WriteFile(filepath.Join(dir, "persona.json"), append(js, '\n'), 0o644))
	}

	revokedAt := date("2025-06-01T03:00:00Z")
	revoked := []x509.RevocationListEntry{{
		SerialNumber:   certs["revoked"].SerialNumber,
		RevocationTime: revokedAt,
		ReasonCode:     3, // affiliationChanged: the holder moved house
	}}
	fresh := now.AddDate(0, 0, -1)
	farFuture := now.AddDate(20, 0, 0)
	writeCRL(out, "sign-2023-fresh.crl", sign2023, 100, fresh, farFuture, revoked, nil)
	writeCRL(out, "sign-2023-stale.crl", sign2023, 50, date("2025-01-01T00:00:00Z"), date("2025-01-08T00:00:00Z"), nil, nil)
	writeCRL(out, "sign-2019-fresh.crl", sign2019, 100, fresh, farFuture, nil, nil)
	writeCRL(out, "auth-2023-fresh.crl", auth2023, 100, fresh, farFuture,
		[]x509.RevocationListEntry{{SerialNumber: certs["revoked/auth"].SerialNumber, RevocationTime: revokedAt, ReasonCode: 3}}, nil)
	// A partition for Chiyoda-ku (the valid persona's municipality): covers nothing else.
	writeCRL(out, "sign-2023-partition-chiyoda.crl", sign2023, 100, fresh, farFuture, nil,
		[]pkix.Extension{idpExt(crldpName("Tokyo", "Chiyoda-ku"))})
	// Same content as the fresh CRL, with one bit of the signature flipped.
	bad := createCRL(sign2023, 101, fresh, farFuture, revoked, nil)
	bad[len(bad)-10] ^= 0x01
	must(os.WriteFile(filepath.Join(out, "crl", "sign-2023-badsig.crl"), bad, 0o644))
	// Signed by the impostor, a key no trusted CA has.
	writeCRL(out, "impostor-unknown-key.crl", impostor, 100, fresh, farFuture, nil, nil)

	must(os.WriteFile(filepath.Join(out, "GENERATED"), []byte(now.Format("2006-01-02")+"\n"), 0o644))
	fmt.Println("test PKI written to", out)
}

func signCert(h *holder, issuer *ca, key *rsa.PrivateKey) *x509.Certificate {
	san := []otherName{
		{oidName, h.CertName}, {oidNameFlags, h.NameFlags}, {oidSex, h.SexCert},
		{oidBirth, h.Era + h.Birth}, {oidAddress, h.Address}, {oidAddressFlags, h.AddrFlags},
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		RawSubject:   name(rdn{oidC, "JP"}, rdn{oidL, h.Prefecture}, rdn{oidL, h.Muni}, rdn{oidCN, fmt.Sprintf("TEST%014d", serial().Int64()%1e14)}),
		NotBefore:    date(h.NotBefore),
		NotAfter:     date(h.NotAfter),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		// Policies, not PolicyIdentifiers: since Go 1.24 CreateCertificate writes Policies.
		Policies:           []x509.OID{testPolicyOID()},
		SubjectKeyId:       skid(&key.PublicKey),
		SignatureAlgorithm: x509.SHA256WithRSA,
		ExtraExtensions: []pkix.Extension{
			sanExt(san), issuerAltExt(), crldpExt(crldpName(h.Prefecture, h.Muni)),
		},
	}
	return issue(tmpl, issuer, key)
}

// testPolicyOID is oidTestPolicy as an x509.OID.
func testPolicyOID() x509.OID {
	ints := make([]uint64, len(oidTestPolicy))
	for i, v := range oidTestPolicy {
		ints[i] = uint64(v)
	}
	oid, err := x509.OIDFromInts(ints)
	must(err)
	return oid
}

func authCert(h *holder, issuer *ca, key *rsa.PrivateKey) *x509.Certificate {
	tmpl := &x509.Certificate{
		SerialNumber:       serial(),
		RawSubject:         name(rdn{oidC, "JP"}, rdn{oidCN, fmt.Sprintf("TEST%014d", serial().Int64()%1e14)}),
		NotBefore:          date("2025-04-01T00:00:00Z"),
		NotAfter:           date("2045-03-31T14:59:59Z"),
		KeyUsage:           x509.KeyUsageDigitalSignature,
		SubjectKeyId:       skid(&key.PublicKey),
		SignatureAlgorithm: x509.SHA256WithRSA,
		ExtraExtensions: []pkix.Extension{
			issuerAltExt(),
			crldpExt(name(rdn{oidC, "JP"}, rdn{oidO, testOrg}, rdn{oidOU, authOU}, rdn{oidOU, "CRL Distribution Points"})),
		},
	}
	return issue(tmpl, issuer, key)
}

func issue(tmpl *x509.Certificate, issuer *ca, key *rsa.PrivateKey) *x509.Certificate {
	der, err := x509.CreateCertificate(rand.Reader, tmpl, issuer.cert, &key.PublicKey, issuer.key)
	must(err)
	cert, err := x509.ParseCertificate(der)
	must(err)
	return cert
}

func createCRL(issuer *ca, number int64, this, next time.Time, entries []x509.RevocationListEntry, exts []pkix.Extension) []byte {
	tmpl := &x509.RevocationList{
		Number:                    big.NewInt(number),
		ThisUpdate:                this,
		NextUpdate:                next,
		RevokedCertificateEntries: entries,
		ExtraExtensions:           exts,
		SignatureAlgorithm:        x509.SHA256WithRSA,
	}
	der, err := x509.CreateRevocationList(rand.Reader, tmpl, issuer.cert, issuer.key)
	must(err)
	return der
}

func writeCRL(out, file string, issuer *ca, number int64, this, next time.Time, entries []x509.RevocationListEntry, exts []pkix.Extension) {
	der := createCRL(issuer, number, this, next, entries, exts)
	must(os.WriteFile(filepath.Join(out, "crl", file), der, 0o644))
}

func writeCert(path string, der []byte) {
	must(os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644))
}

func writeKey(path string, key *rsa.PrivateKey) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	must(err)
	head := []byte("TEST KEY of the mynasign test PKI. Never use it for anything real.\n")
	must(os.WriteFile(path, append(head, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})...), 0o600))
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
