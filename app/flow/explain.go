package flow

import (
	"errors"
	"strings"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/card"
	"github.com/mynasign/mynasign/internal/tsp"
	"github.com/mynasign/mynasign/pdf"
	"github.com/mynasign/mynasign/trust"
)

// Explanation is the sentence that explains an error to a person: a message key with its
// arguments (an i18n.Key argument is resolved in the same language).
type Explanation struct {
	Key  string
	Args []any
}

// Text is the explanation in l's language.
func (e Explanation) Text(l *i18n.Localizer) string { return l.T(e.Key, e.Args...) }

// Explain turns an error of signing, time-stamping or the card into the sentence a person
// reads: the one place where these errors become words, for the GUI and the CLI alike.
// ok is false for an error it does not know (the caller then says that something failed,
// with the error as technical detail).
func Explain(err error) (e Explanation, ok bool) {
	if e, ok := explainCard(err); ok {
		return e, true
	}
	if e, ok := explainDocument(err); ok {
		return e, true
	}
	return explainLevel(err)
}

func explain(key string, args ...any) (Explanation, bool) {
	return Explanation{Key: key, Args: args}, true
}

// explainCard explains the errors of package card. It never includes a PIN (the card
// errors carry none).
func explainCard(err error) (Explanation, bool) {
	var (
		wrong   *card.WrongPIN
		blocked *card.Blocked
		last    *card.LastTry
		invalid *card.InvalidPIN
		unsup   *card.UnsupportedCard
		rc      *ReaderChoiceError
	)
	switch {
	case errors.As(err, &wrong):
		return explain("err.pin.wrong", pinName(wrong.Kind), wrong.Left)
	case errors.As(err, &blocked) && blocked.Now:
		return explain("err.pin.blocked_now", pinName(blocked.Kind), blockedAdvice(blocked.Kind))
	case errors.As(err, &blocked):
		return explain("err.pin.blocked", pinName(blocked.Kind), blockedAdvice(blocked.Kind))
	case errors.As(err, &last):
		return explain("err.pin.last_try", pinName(last.Kind))
	case errors.As(err, &invalid):
		rule := i18n.Key("err.pin.rule.digits")
		if invalid.Kind == card.SignPassword {
			rule = "err.pin.rule.sign"
		}
		return explain("err.pin.invalid", pinName(invalid.Kind), rule)
	case errors.As(err, &unsup):
		switch id := unsup.Kind.ID(); id {
		case "mynumber", "juki", "smartphone", "not-jpki":
			return explain("err.card.unsupported", i18n.Key("cli.card.kind."+id))
		}
		return explain("err.card.unsupported_token", unsup.Label)
	case errors.Is(err, card.ErrNoSignCertificate):
		return explain("err.card.no_sign_cert")
	case errors.Is(err, card.ErrSecurityStatusNotSatisfied):
		return explain("err.card.not_verified")
	case errors.Is(err, card.ErrCardRemoved):
		return explain("err.card.removed")
	case errors.Is(err, card.ErrCardReset):
		return explain("err.card.reset")
	case errors.Is(err, card.ErrNoCard):
		return explain("err.card.no_card")
	case errors.Is(err, card.ErrNoReader):
		return explain("err.card.no_reader")
	case errors.Is(err, card.ErrNoService):
		return explain("err.card.no_service")
	case errors.Is(err, card.ErrCardBusy):
		return explain("err.card.busy")
	case errors.As(err, &rc):
		return explain("err.card.reader_choice", strings.Join(rc.Readers, ", "))
	}
	return Explanation{}, false
}

// explainDocument explains what a document or the CRL store refused.
func explainDocument(err error) (Explanation, bool) {
	var (
		re  *pdf.ReadError
		ce  *pdf.CertifiedError
		pe  *pdf.PageError
		rce *pdf.RectError
		sc  *pdf.SelfCheckError
		mce *trust.MissingCRLError
	)
	switch {
	case errors.Is(err, pdf.ErrEncrypted):
		return explain("err.pdf.encrypted")
	case errors.As(err, &re):
		return explain("err.pdf.unreadable", re.Err.Error())
	case errors.As(err, &ce):
		return explain("err.pdf.certified", ce.P)
	case errors.As(err, &pe):
		return explain("err.pdf.page", pe.Page, pe.Pages)
	case errors.As(err, &rce) && rce.Empty:
		return explain("err.pdf.rect_empty")
	case errors.As(err, &rce):
		b := rce.Box
		return explain("err.pdf.rect_outside", rce.X, rce.X+rce.W, rce.Y, rce.Y+rce.H, rce.Page, b.LLX, b.URX, b.LLY, b.URY)
	case errors.As(err, &sc):
		return explain("err.sign.self_check", sc.Reason)
	case errors.Is(err, pdf.ErrSignatureTooLarge):
		return explain("err.sign.too_large")
	case errors.Is(err, pdf.ErrSameFile):
		return explain("err.sign.same_file")
	case errors.Is(err, pdf.ErrNoSignerName):
		return explain("err.sign.no_name")
	case errors.As(err, &mce) && mce.Stale:
		return explain("err.crl.stale", mce.Scope, mce.NextUpdate.Format("2006-01-02"))
	case errors.As(err, &mce) && mce.Err != nil:
		return explain("err.crl.reimport", mce.Scope)
	case errors.As(err, &mce):
		return explain("err.crl.missing", mce.Scope)
	}
	return Explanation{}, false
}

// explainLevel explains the refusals of levels and time-stamping.
func explainLevel(err error) (Explanation, bool) {
	switch {
	case errors.Is(err, tsp.ErrTSAUnreachable):
		return explain("err.tsa.unreachable")
	case errors.Is(err, tsp.ErrTSARefused):
		return explain("err.tsa.refused")
	case errors.Is(err, ErrLevelUnsupported), errors.Is(err, pdf.ErrRegistryLevel):
		return explain("err.sign.level_unsupported")
	case errors.Is(err, ErrLevelNeedsTSA):
		return explain("err.sign.needs_tsa")
	case errors.Is(err, ErrNotAccepted):
		return explain("err.sign.not_accepted")
	}
	return Explanation{}, false
}

// pinName is the name of a PIN, as a message argument.
func pinName(k card.PINKind) i18n.Key {
	switch k {
	case card.SignPassword:
		return "err.pin.name.sign"
	case card.AuthPIN:
		return "err.pin.name.auth"
	}
	return "err.pin.name.text"
}

// blockedAdvice says where a blocked PIN can be reset.
func blockedAdvice(k card.PINKind) i18n.Key {
	if k == card.SignPassword {
		return "err.pin.blocked_advice.sign"
	}
	return "err.pin.blocked_advice.other"
}

// ExplainKeys lists every key Explain can return or pass as an argument, for the
// translation tests.
func ExplainKeys() []string {
	return []string{
		"err.pin.wrong", "err.pin.blocked_now", "err.pin.blocked", "err.pin.last_try", "err.pin.invalid",
		"err.pin.rule.digits", "err.pin.rule.sign", "err.pin.name.sign", "err.pin.name.auth", "err.pin.name.text",
		"err.pin.blocked_advice.sign", "err.pin.blocked_advice.other",
		"err.card.unsupported", "err.card.unsupported_token", "err.card.no_sign_cert", "err.card.not_verified", "err.card.removed", "err.card.reset",
		"err.card.no_card", "err.card.no_reader", "err.card.no_service", "err.card.busy", "err.card.reader_choice",
		"err.pdf.encrypted", "err.pdf.unreadable", "err.pdf.certified", "err.pdf.page", "err.pdf.rect_empty", "err.pdf.rect_outside",
		"err.sign.self_check", "err.sign.too_large", "err.sign.same_file", "err.sign.no_name",
		"err.crl.stale", "err.crl.reimport", "err.crl.missing",
		"err.tsa.unreachable", "err.tsa.refused", "err.sign.level_unsupported", "err.sign.needs_tsa", "err.sign.not_accepted",
	}
}
