// Package testpki is the project's JPKI-shaped TEST PKI: two generations of a test
// signature CA (sharing one name, as the real ones do), a test authentication CA, an
// impostor CA that copies the test signature CA's name with another key, the software
// card's personas, and CRLs. The files beside this one were written once by
// `go run ./internal/testpki/gen` and are committed; this package embeds them.
//
// Everything here is test material: it is trusted only when the user asks for the test
// trust store (--trust test), and every result produced with it is marked as a test.
package testpki

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"embed"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"path"
	"sort"
	"sync"
	"time"
)

// The secrets of every persona's card.
const (
	SignPassword = "TEST1234" // 署名用パスワード
	AuthPIN      = "1234"     // 利用者証明用パスワード
	TextPIN      = "1234"     // 券面事項入力補助用暗証番号
)

// DefaultPersona is the persona used when none is chosen.
const DefaultPersona = "valid"

//go:embed *.pem crl/*.crl personas/*/*.pem personas/*/persona.json GENERATED
var files embed.FS

// BasicInfo is the text AP's 基本4情報 of a persona, as stored on the card.
type BasicInfo struct {
	Name      string // 氏名, UTF-8, surname U+3000 given name
	Address   string // 住所
	BirthDate string // YYYYMMDD (Gregorian)
	Sex       string // "1" male, "2" female, "9" not applicable
}

// Persona is one test card holder: the card's certificates, keys and data.
type Persona struct {
	ID           string
	Description  string
	SignCert     *x509.Certificate // nil for a card without a signature certificate
	SignKey      *rsa.PrivateKey   // nil when SignCert is nil
	SignCACert   *x509.Certificate // the signature CA generation that issued SignCert (2023 when SignCert is nil)
	AuthCert     *x509.Certificate
	AuthKey      *rsa.PrivateKey
	AuthCACert   *x509.Certificate
	SignPINTries int    // remaining tries of the signature password (0 = blocked)
	MyNumber     string // a test individual number (12 digits, valid check digit)
	Basic        BasicInfo
	// CertBirthEra is the era digit the signature certificate puts before the birth date.
	CertBirthEra string
	// CertName is the name as written in the signature certificate (substitutes applied).
	CertName string
}

type personaFile struct {
	ID          string `json:"id"`
	Description string `json:"description"`
	Name        string `json:"name"`
	CertName    string `json:"certName"`
	Address     string `json:"address"`
	Birth       string `json:"birthDate"`
	Era         string `json:"birthEra"`
	SexCard     string `json:"sexCard"`
	MyNumber    string `json:"myNumber"`
	SignTries   int    `json:"signPINTries"`
	HasSignCert bool   `json:"hasSignCert"`
	SignCA      string `json:"signCA"`
}

var load = sync.OnceValues(func() (*pki, error) { return parse() })

type pki struct {
	cas      map[string]*x509.Certificate
	keys     map[string]*rsa.PrivateKey
	personas []*Persona
}

func parse() (*pki, error) {
	p := &pki{cas: map[string]*x509.Certificate{}, keys: map[string]*rsa.PrivateKey{}}
	for _, n := range []string{"sign-ca-2023", "sign-ca-2019", "auth-ca-2023", "impostor-ca"} {
		c, err := readCert(n + ".pem")
		if err != nil {
			return nil, err
		}
		p.cas[n] = c
		k, err := readKey(n + ".key.pem")
		if err != nil {
			return nil, err
		}
		p.keys[n] = k
	}
	k, err := readKey("text-ap-issuer.key.pem")
	if err != nil {
		return nil, err
	}
	p.keys["text-ap-issuer"] = k

	dirs, err := files.ReadDir("personas")
	if err != nil {
		return nil, err
	}
	for _, d := range dirs {
		dir := path.Join("personas", d.Name())
		raw, err := files.ReadFile(path.Join(dir, "persona.json"))
		if err != nil {
			return nil, err
		}
		var pf personaFile
		if err := json.Unmarshal(raw, &pf); err != nil {
			return nil, fmt.Errorf("testpki: %s/persona.json: %w", dir, err)
		}
		per := &Persona{
			ID: pf.ID, Description: pf.Description, SignPINTries: pf.SignTries, MyNumber: pf.MyNumber,
			Basic:        BasicInfo{Name: pf.Name, Address: pf.Address, BirthDate: pf.Birth, Sex: pf.SexCard},
			CertBirthEra: pf.Era, CertName: pf.CertName,
			SignCACert: p.cas["sign-ca-2023"], AuthCACert: p.cas["auth-ca-2023"],
		}
		if pf.HasSignCert {
			if per.SignCert, err = readCert(path.Join(dir, "sign.pem")); err != nil {
				return nil, err
			}
			if per.SignKey, err = readKey(path.Join(dir, "sign.key.pem")); err != nil {
				return nil, err
			}
			per.SignCACert = p.cas[pf.SignCA]
		}
		if per.AuthCert, err = readCert(path.Join(dir, "auth.pem")); err != nil {
			return nil, err
		}
		if per.AuthKey, err = readKey(path.Join(dir, "auth.key.pem")); err != nil {
			return nil, err
		}
		p.personas = append(p.personas, per)
	}
	sort.Slice(p.personas, func(i, j int) bool {
		// The default persona first, the rest by name.
		if (p.personas[i].ID == DefaultPersona) != (p.personas[j].ID == DefaultPersona) {
			return p.personas[i].ID == DefaultPersona
		}
		return p.personas[i].ID < p.personas[j].ID
	})
	return p, nil
}

func mustLoad() *pki {
	p, err := load()
	if err != nil {
		panic("testpki: embedded test PKI is broken: " + err.Error())
	}
	return p
}

func readCert(name string) (*x509.Certificate, error) {
	raw, err := files.ReadFile(name)
	if err != nil {
		return nil, err
	}
	b, _ := pem.Decode(raw)
	if b == nil || b.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("testpki: %s: no certificate", name)
	}
	return x509.ParseCertificate(b.Bytes)
}

func readKey(name string) (*rsa.PrivateKey, error) {
	raw, err := files.ReadFile(name)
	if err != nil {
		return nil, err
	}
	b, _ := pem.Decode(raw)
	if b == nil || b.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("testpki: %s: no private key", name)
	}
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("testpki: %s: %w", name, err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("testpki: %s: not an RSA key", name)
	}
	return rk, nil
}

// Personas returns every persona, the default one first. Callers must not modify them.
func Personas() []*Persona { return mustLoad().personas }

// PersonaByID returns the persona with the given ID.
func PersonaByID(id string) (*Persona, error) {
	for _, p := range Personas() {
		if p.ID == id {
			return p, nil
		}
	}
	return nil, fmt.Errorf("testpki: no persona %q", id)
}

// SignCAs returns the test signature CA certificates (generations 2023 and 2019, which
// share one subject name). These, with AuthCAs, make the test trust store.
func SignCAs() []*x509.Certificate {
	p := mustLoad()
	return []*x509.Certificate{p.cas["sign-ca-2023"], p.cas["sign-ca-2019"]}
}

// AuthCAs returns the test authentication CA certificates.
func AuthCAs() []*x509.Certificate { return []*x509.Certificate{mustLoad().cas["auth-ca-2023"]} }

// ImpostorCA returns the untrusted CA that copies the test signature CA's name.
func ImpostorCA() *x509.Certificate { return mustLoad().cas["impostor-ca"] }

// CAKey returns the private key of a test CA ("sign-ca-2023", "sign-ca-2019",
// "auth-ca-2023", "impostor-ca"), for tests that issue their own certificates or CRLs.
func CAKey(name string) (*rsa.PrivateKey, error) {
	k, ok := mustLoad().keys[name]
	if !ok || name == "text-ap-issuer" {
		return nil, fmt.Errorf("testpki: no CA key %q", name)
	}
	return k, nil
}

// CACert returns a test CA certificate by the same names as CAKey.
func CACert(name string) (*x509.Certificate, error) {
	c, ok := mustLoad().cas[name]
	if !ok {
		return nil, fmt.Errorf("testpki: no CA %q", name)
	}
	return c, nil
}

// TextAPIssuerKey returns the key that signs the text AP's integrity record (EF 0003)
// of every test card.
func TextAPIssuerKey() *rsa.PrivateKey { return mustLoad().keys["text-ap-issuer"] }

// The committed CRLs (DER), by file name under crl/.
const (
	CRLSignFresh       = "sign-2023-fresh.crl"             // revokes the revoked persona; nextUpdate ~20 years ahead
	CRLSignStale       = "sign-2023-stale.crl"             // nextUpdate in 2025; lower CRL number than the fresh one
	CRLSign2019Fresh   = "sign-2019-fresh.crl"             // the 2019 generation (the expired persona's issuer)
	CRLAuthFresh       = "auth-2023-fresh.crl"             // revokes the revoked persona's authentication certificate
	CRLSignPartition   = "sign-2023-partition-chiyoda.crl" // issuingDistributionPoint = Chiyoda-ku's CRLDP
	CRLSignBadSig      = "sign-2023-badsig.crl"            // the fresh CRL's content with a corrupted signature
	CRLImpostorUnknown = "impostor-unknown-key.crl"        // signed by a key no trusted CA has
)

// CRL returns a committed CRL (DER) by file name (one of the CRL* constants).
func CRL(name string) ([]byte, error) {
	return files.ReadFile(path.Join("crl", name))
}

// FreshCRLs returns the CRLs that make the test trust store complete and fresh: with
// them imported, the valid persona is GOOD and the revoked one REVOKED.
func FreshCRLs() map[string][]byte {
	out := map[string][]byte{}
	for _, n := range []string{CRLSignFresh, CRLSign2019Fresh, CRLAuthFresh} {
		b, err := CRL(n)
		if err != nil {
			panic("testpki: " + err.Error())
		}
		out[n] = b
	}
	return out
}

// Generated returns the date (YYYY-MM-DD) the test PKI was generated.
func Generated() string {
	b, _ := files.ReadFile("GENERATED")
	return string(b[:len(b)-1])
}

// CRLAt makes a CRL of a test CA ("sign-ca-2023", "sign-ca-2019", "auth-ca-2023") for
// its whole scope, issued at thisUpdate, listing revoked (each revoked at revokedAt): the
// CRL a counter would have kept from that day, for past-signature validation tests.
func CRLAt(ca string, number int64, thisUpdate, nextUpdate, revokedAt time.Time, revoked ...*x509.Certificate) ([]byte, error) {
	cert, err := CACert(ca)
	if err != nil {
		return nil, err
	}
	key, err := CAKey(ca)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.RevocationList{Number: big.NewInt(number), ThisUpdate: thisUpdate, NextUpdate: nextUpdate}
	for _, c := range revoked {
		tmpl.RevokedCertificateEntries = append(tmpl.RevokedCertificateEntries,
			x509.RevocationListEntry{SerialNumber: c.SerialNumber, RevocationTime: revokedAt})
	}
	return x509.CreateRevocationList(rand.Reader, tmpl, cert, key)
}
