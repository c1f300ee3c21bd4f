package softcard

import (
	"github.com/mynasign/mynasign/internal/testpki"
)

// ConfigForCheck is ConfigFor as the identity check (本人確認) sees the persona: the
// same card, except that the "expired" persona's authentication certificate has expired
// too (testpki.ExpiredAuthCert) and the "blocked" persona's authentication PIN is blocked
// too. The "revoked" persona's authentication certificate is revoked by
// testpki.CRLAuthFresh as it is.
func ConfigForCheck(p *testpki.Persona) (Config, error) {
	cfg := ConfigFor(p)
	switch p.ID {
	case "expired":
		c, err := testpki.ExpiredAuthCert(p)
		if err != nil {
			return Config{}, err
		}
		cfg.AuthCert = c
	case "blocked":
		cfg.AuthFailures = 3
	}
	return cfg, nil
}

// NewCheckPersona returns a card for the identity check with the persona of the given
// ID ("" means testpki.DefaultPersona), configured by ConfigForCheck.
func NewCheckPersona(id string) (*Card, error) {
	if id == "" {
		id = testpki.DefaultPersona
	}
	p, err := testpki.PersonaByID(id)
	if err != nil {
		return nil, err
	}
	cfg, err := ConfigForCheck(p)
	if err != nil {
		return nil, err
	}
	return New(cfg)
}
