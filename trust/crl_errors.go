package trust

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Reasons a CRL is refused (CRLError.Reason.Key). The comment lists the Args.
const (
	MsgCRLRead                   = "trust.crl.read"                     // error
	MsgCRLTruncated              = "trust.crl.truncated"                //
	MsgCRLMalformed              = "trust.crl.malformed"                // what is wrong
	MsgCRLNotCRL                 = "trust.crl.not_crl"                  //
	MsgCRLPEMGarbage             = "trust.crl.pem_garbage"              //
	MsgCRLUnknownIssuer          = "trust.crl.unknown_issuer"           // issuer name
	MsgCRLBadSignature           = "trust.crl.bad_signature"            // issuer name
	MsgCRLUnsupportedAlgorithm   = "trust.crl.unsupported_algorithm"    // algorithm OID
	MsgCRLDelta                  = "trust.crl.delta"                    //
	MsgCRLCriticalExtension      = "trust.crl.critical_extension"       // OID
	MsgCRLEntryCriticalExtension = "trust.crl.entry_critical_extension" // OID
	MsgCRLIndirect               = "trust.crl.indirect"                 //
	MsgCRLOnlySomeReasons        = "trust.crl.only_some_reasons"        //
	MsgCRLAttributeCerts         = "trust.crl.attribute_certs"          //
	MsgCRLNotCRLSigner           = "trust.crl.not_crl_signer"           // issuer name
	MsgCRLTooLarge               = "trust.crl.too_large"                // what
	MsgCRLEmptyZip               = "trust.crl.empty_zip"                //
	MsgCRLNoFiles                = "trust.crl.no_files"                 //
	MsgCRLChanged                = "trust.crl.changed"                  //
	MsgCRLVersion                = "trust.crl.version"                  // version
	MsgCRLStore                  = "trust.crl.store"                    // error
	MsgCRLStoreBusy              = "trust.crl.store_busy"               //
	MsgCRLNotYetValid            = "trust.crl.not_yet_valid"            // thisUpdate, now
	MsgCRLValidityInverted       = "trust.crl.validity_inverted"        // thisUpdate, nextUpdate
	MsgCRLDuplicateSerial        = "trust.crl.duplicate_serial"         // serial number (hex)
)

// crlErrorText is the English form of each reason, for CRLError.Error (logs and callers
// that do not translate). The app shows the translated text of the key instead.
var crlErrorText = map[string]string{
	MsgCRLRead:                   "cannot read the file: %s",
	MsgCRLTruncated:              "the CRL is truncated (the file ends before the data it announces)",
	MsgCRLMalformed:              "not a valid CRL: %s",
	MsgCRLNotCRL:                 "the file holds no CRL",
	MsgCRLPEMGarbage:             "the PEM file holds something that is not a CRL, or broken base64",
	MsgCRLUnknownIssuer:          "signed by a CA that is not trusted (%s)",
	MsgCRLBadSignature:           "the signature of the CRL does not verify (issuer %s)",
	MsgCRLUnsupportedAlgorithm:   "unsupported signature algorithm %s",
	MsgCRLDelta:                  "a delta CRL: only complete CRLs are accepted",
	MsgCRLCriticalExtension:      "unknown critical CRL extension %s",
	MsgCRLEntryCriticalExtension: "unknown critical CRL entry extension %s",
	MsgCRLIndirect:               "an indirect CRL (entries of other issuers): not supported",
	MsgCRLOnlySomeReasons:        "a CRL limited to some revocation reasons: not supported",
	MsgCRLAttributeCerts:         "a CRL for attribute certificates only",
	MsgCRLNotCRLSigner:           "the issuing CA (%s) is not allowed to sign CRLs",
	MsgCRLTooLarge:               "too large: %s",
	MsgCRLEmptyZip:               "the zip archive holds no files",
	MsgCRLNoFiles:                "no CRL files (.crl, .der, .pem, .arl) found",
	MsgCRLChanged:                "the file changed while it was being imported",
	MsgCRLVersion:                "unsupported CRL version %s",
	MsgCRLStore:                  "cannot write the CRL store: %s",
	MsgCRLStoreBusy:              "another import or removal is using the CRL store; try again later",
	MsgCRLNotYetValid:            "the CRL is dated in the future (thisUpdate %s, now %s): check the computer's clock",
	MsgCRLValidityInverted:       "the CRL's next update (%[2]s) is before its issue date (%[1]s)",
	MsgCRLDuplicateSerial:        "the CRL lists serial number %s more than once",
}

// Refusals of a CRL signed by a trusted CA that still cannot be relied on: dates that
// cannot be right, or entries that contradict each other (CRLError.Err, for errors.Is).
// Such a CRL is never stored, so it cannot block a genuine CRL imported later.
var (
	// ErrCRLNotYetValid: thisUpdate is later than now plus crlClockSkew.
	ErrCRLNotYetValid = errors.New("CRL thisUpdate is in the future")
	// ErrCRLValidityInverted: nextUpdate is before thisUpdate.
	ErrCRLValidityInverted = errors.New("CRL nextUpdate is before its thisUpdate")
	// ErrCRLDuplicateSerial: the CRL has two entries for one serial number. Readers
	// disagree on which one counts (the first, the last, the most severe), and no single
	// entry is the strictest reading at every validation time (a hold dated before a
	// revocation is stricter before the revocation date, the revocation after it), so
	// such a CRL is refused rather than judged by one of its entries. This holds for any
	// repetition, even of identical entries: a CA that lists a serial twice has made an
	// error that it has to correct.
	ErrCRLDuplicateSerial = errors.New("CRL lists a serial number twice")
)

// serialText renders a serial number's DER content for a message: hexadecimal, as
// certificate viewers show serial numbers (without the sign byte of a positive one).
func serialText(der []byte) string {
	if len(der) > 1 && der[0] == 0 {
		der = der[1:]
	}
	return strings.ToUpper(hex.EncodeToString(der))
}

// crlClockSkew is how far in the future a CRL's thisUpdate may be at import: the clocks
// of the CA and of this computer may disagree by a few minutes. A CRL dated later than
// that is refused (ErrCRLNotYetValid).
const crlClockSkew = 10 * time.Minute

// checkCRLDates refuses a CRL issued after now (beyond crlClockSkew) or whose nextUpdate
// is before its thisUpdate. (A nextUpdate equal to thisUpdate is odd but not
// contradictory: such a CRL is stale at once.)
func checkCRLDates(file string, this time.Time, next *time.Time, now time.Time) *CRLError {
	if next != nil && next.Before(this) {
		return &CRLError{File: file, Reason: Message{Key: MsgCRLValidityInverted, Args: []string{isoTime(this), isoTime(*next)}}, Err: ErrCRLValidityInverted}
	}
	if this.After(now.Add(crlClockSkew)) {
		return &CRLError{File: file, Reason: Message{Key: MsgCRLNotYetValid, Args: []string{isoTime(this), isoTime(now.Truncate(time.Second))}}, Err: ErrCRLNotYetValid}
	}
	return nil
}

// CRLError is a CRL that was refused: the file (as the user named it; "archive.zip!entry"
// for a zip entry), and why, as a message key with arguments. The CRL store is unchanged
// when an import returns one.
type CRLError struct {
	File   string
	Reason Message
	Err    error // the underlying error, when there is one
}

// Error is the English form: "<file>: <reason>".
func (e *CRLError) Error() string {
	text, ok := crlErrorText[e.Reason.Key]
	if !ok {
		text = e.Reason.Key
	}
	args := make([]any, len(e.Reason.Args))
	for i, a := range e.Reason.Args {
		args[i] = a
	}
	msg := text
	if strings.Contains(text, "%") {
		msg = fmt.Sprintf(text, args...)
	}
	return e.File + ": " + msg
}

// Unwrap returns the underlying error: an I/O error, one of the ErrCRL… sentinels, or nil
// for another refusal found in the CRL itself.
func (e *CRLError) Unwrap() error { return e.Err }

// crlErr builds a CRLError.
func crlErr(file, key string, args ...string) *CRLError {
	return &CRLError{File: file, Reason: Message{Key: key, Args: args}}
}

func crlErrorKeys() []string {
	keys := make([]string, 0, len(crlErrorText))
	for k := range crlErrorText {
		keys = append(keys, k)
	}
	return keys
}
