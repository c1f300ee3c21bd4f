package cli

import "github.com/mynasign/mynasign/app/i18n"

// describe turns an error into the text the user sees. Typed errors of the libraries
// (card, trust, pdf, xades) are mapped to translation keys here as they are added; any
// other error is shown as it is.
func describe(l *i18n.Localizer, err error) string {
	return err.Error()
}
