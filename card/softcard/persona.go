package softcard

import (
	"github.com/mynasign/mynasign/internal/testpki"
)

// ConfigFor returns the configuration of a card holding a test persona's data
// (internal/testpki), with the test secrets (testpki.SignPassword, AuthPIN, TextPIN).
func ConfigFor(p *testpki.Persona) Config {
	return Config{
		SignCert:      p.SignCert,
		SignKey:       p.SignKey,
		SignCACert:    p.SignCACert,
		AuthCert:      p.AuthCert,
		AuthKey:       p.AuthKey,
		AuthCACert:    p.AuthCACert,
		SignPassword:  testpki.SignPassword,
		AuthPIN:       testpki.AuthPIN,
		TextPIN:       testpki.TextPIN,
		SignFailures:  5 - p.SignPINTries,
		MyNumber:      p.MyNumber,
		Basic:         BasicInfo(p.Basic),
		TextIssuerKey: testpki.TextAPIssuerKey(),
	}
}

// NewPersona returns a card for the test persona with the given ID (""
// means testpki.DefaultPersona).
func NewPersona(id string) (*Card, error) {
	if id == "" {
		id = testpki.DefaultPersona
	}
	p, err := testpki.PersonaByID(id)
	if err != nil {
		return nil, err
	}
	return New(ConfigFor(p))
}

// PersonaIDs lists the test personas, the default first.
func PersonaIDs() []string {
	var ids []string
	for _, p := range testpki.Personas() {
		ids = append(ids, p.ID)
	}
	return ids
}
