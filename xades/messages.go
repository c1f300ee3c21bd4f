package xades

import (
	"errors"
	"fmt"
)

// Message keys this package produces (trust.Message.Key, Error.Key). The app resolves
// them in Japanese and English (app/i18n/ja.json, en.json). The comment after each key
// lists its Args.
const (
	// The file as a whole (DocumentReport.Error, Error.Key).
	MsgDocMalformed         = "xades.doc.malformed"           // detail
	MsgDocDOCTYPE           = "xades.doc.doctype"             //
	MsgDocEncoding          = "xades.doc.encoding"            // detail
	MsgDocTooDeep           = "xades.doc.too_deep"            // limit
	MsgDocTooLarge          = "xades.doc.too_large"           // limit in MB
	MsgDocUnreadable        = "xades.doc.unreadable"          // detail
	MsgDocTooManySignatures = "xades.doc.too_many_signatures" // count, limit
	MsgDocTooComplex        = "xades.doc.too_complex"         //

	// Structure and algorithms of one signature.
	MsgSigDuplicateID     = "xades.sig.duplicate_id"     // Id value
	MsgSigNested          = "xades.sig.nested"           //
	MsgSigStructure       = "xades.sig.structure"        // detail
	MsgSigSignedInfo      = "xades.sig.signedinfo"       // count
	MsgSigAlgorithm       = "xades.sig.algorithm"        // kind (c14n, signature, digest, transform), URI
	MsgSigAlgorithmParams = "xades.sig.algorithm_params" // URI
	MsgSigTransforms      = "xades.sig.transforms"       // reference, detail
	MsgSigWeakAlgorithm   = "xades.sig.weak_algorithm"   // algorithm name
	MsgSigValueInvalid    = "xades.sig.value_invalid"    //
	MsgSigValueHoistedNS  = "xades.sig.value_hoisted_ns" //
	MsgSigNoKey           = "xades.sig.no_key"           //
	MsgSigKeyInfo         = "xades.sig.keyinfo"          // detail
	MsgSigNoCertificate   = "xades.sig.no_certificate"   //
	MsgSigCertUnparseable = "xades.sig.cert_unparseable" // detail
	MsgSigPlainXMLDSig    = "xades.sig.plain_xmldsig"    //
	MsgSigCertNotChecked  = "xades.sig.cert_not_checked" //
	MsgSigECDSAASN1       = "xades.sig.ecdsa_asn1"       //
	MsgSigUnsignedContent = "xades.sig.unsigned_content" // element, as <name>
	MsgSigUnsignedText    = "xades.sig.unsigned_text"    // element, as <name>; the text (shortened)

	// Transforms mynasign cannot apply to this signature (INDETERMINATE).
	MsgSigXPathUnsupported = "xades.sig.xpath_unsupported" // transform name (XPath, XPath Filter 2.0)
	MsgSigTransformFailed  = "xades.sig.transform_failed"  // reference, transform name

	// Counter-signatures.
	MsgSigCountersignature = "xades.sig.countersignature" // id of the countersigned signature
	MsgSigCountersigned    = "xades.sig.countersigned"    // number of counter-signatures
	MsgSigCounterTarget    = "xades.sig.counter_target"   // id of the signature it should countersign

	// References.
	MsgRefNotFound       = "xades.ref.not_found"       // URI
	MsgRefExternal       = "xades.ref.external"        // URI
	MsgRefOutsidePackage = "xades.ref.outside_package" // URI
	MsgRefFileMissing    = "xades.ref.file_missing"    // file name
	MsgRefDigestMismatch = "xades.ref.digest_mismatch" // what (the element's or the file's name)

	MsgRefNoURI = "xades.ref.no_uri" // (a Reference without URI)

	// XAdES qualifying properties.
	MsgPropsOutside       = "xades.props.outside"         // where the referenced SignedProperties is
	MsgPropsNotSigned     = "xades.props.not_signed"      //
	MsgPropsMalformed     = "xades.props.malformed"       // detail
	MsgPropsNoSigningCert = "xades.props.no_signing_cert" //
	MsgPropsCertMismatch  = "xades.props.cert_mismatch"   //
	MsgPropsIssuerSerial  = "xades.props.issuer_serial"   //

	// e-Gov packages.
	MsgEGovNoKousei     = "xades.egov.no_kousei"      //
	MsgEGovStructure    = "xades.egov.structure"      // detail
	MsgEGovWrapped      = "xades.egov.wrapped"        // path(s) of the signed 構成情報 and of any other one
	MsgEGovUnlisted     = "xades.egov.unlisted"       // file name
	MsgEGovMissing      = "xades.egov.missing"        // file name
	MsgEGovUnsignedFile = "xades.egov.unsigned_file"  // file name
	MsgEGovUnsafeEntry  = "xades.egov.unsafe_entry"   // name
	MsgEGovNotPlainFile = "xades.egov.not_plain_file" // name
	MsgEGovTooLarge     = "xades.egov.too_large"      // file name
	MsgEGovUncovered    = "xades.egov.uncovered"      // path of the first part not covered
	MsgEGovNameClash    = "xades.egov.name_clash"     // two names that are one file
	MsgEGovZipLayout    = "xades.egov.zip_layout"     // entry name
	MsgEGovOutside      = "xades.egov.outside_folder" // entry name (a folder ends in /)

	// Coverage.
	MsgCoveragePartial = "xades.coverage.partial" //
	// An e-Gov 公文書: the signature covers BODY; FRONT is outside it by design.
	MsgKobunFrontUnsigned = "xades.kobun.front_unsigned" //
	// The same, when the signature also covers attached files.
	MsgKobunFrontUnsignedFiles = "xades.kobun.front_unsigned_files" // number of attached files

	// Checks that passed (trust.Check.Detail).
	MsgCheckStructureOK   = "xades.check.structure_ok"    //
	MsgCheckReferenceOK   = "xades.check.reference_ok"    // what
	MsgCheckValueOK       = "xades.check.value_ok"        // algorithm name
	MsgCheckPropsOK       = "xades.check.props_ok"        //
	MsgCheckSigningCertOK = "xades.check.signing_cert_ok" //
	MsgCheckEGovOK        = "xades.check.egov_ok"         //

	// Signing (Error.Key).
	MsgSignAlreadySigned = "xades.sign.already_signed" //
	MsgSignKeyMismatch   = "xades.sign.key_mismatch"   //
	MsgSignKeyType       = "xades.sign.key_type"       //
	MsgSignCard          = "xades.sign.signer_failed"  // detail
	MsgSignSelfCheck     = "xades.sign.self_check"     // detail
	MsgSignTimestamp     = "xades.sign.timestamp"      //
	MsgWarnTimestampBad  = "xades.warn.timestamp_bad"  //
	MsgSignOutputExists  = "xades.sign.output_exists"  // path
	MsgSignSameFile      = "xades.sign.same_file"      //
	MsgSignWrite         = "xades.sign.write"          // detail
)

// MessageKeys returns every message key this package can produce, for the translation
// completeness test of the app.
func MessageKeys() []string {
	return []string{
		MsgDocMalformed, MsgDocDOCTYPE, MsgDocEncoding, MsgDocTooDeep, MsgDocTooLarge, MsgDocUnreadable,
		MsgDocTooManySignatures, MsgDocTooComplex,
		MsgSigDuplicateID, MsgSigNested, MsgSigStructure, MsgSigSignedInfo, MsgSigAlgorithm, MsgSigAlgorithmParams, MsgSigTransforms,
		MsgSigXPathUnsupported, MsgSigTransformFailed,
		MsgSigWeakAlgorithm, MsgSigValueInvalid, MsgSigValueHoistedNS, MsgSigNoKey, MsgSigKeyInfo, MsgSigNoCertificate, MsgSigCertUnparseable, MsgSigPlainXMLDSig,
		MsgSigCertNotChecked, MsgSigECDSAASN1, MsgSigUnsignedContent, MsgSigUnsignedText,
		MsgSigCountersignature, MsgSigCountersigned, MsgSigCounterTarget,
		MsgRefNotFound, MsgRefNoURI, MsgRefExternal, MsgRefOutsidePackage, MsgRefFileMissing, MsgRefDigestMismatch,
		MsgPropsOutside, MsgPropsNotSigned, MsgPropsMalformed, MsgPropsNoSigningCert, MsgPropsCertMismatch,
		MsgPropsIssuerSerial,
		MsgEGovNoKousei, MsgEGovStructure, MsgEGovWrapped, MsgEGovUnlisted, MsgEGovMissing, MsgEGovUnsignedFile,
		MsgEGovUnsafeEntry, MsgEGovNotPlainFile, MsgEGovTooLarge, MsgEGovUncovered, MsgEGovNameClash, MsgEGovZipLayout,
		MsgEGovOutside,
		MsgCoveragePartial, MsgKobunFrontUnsigned, MsgKobunFrontUnsignedFiles,
		MsgCheckStructureOK, MsgCheckReferenceOK, MsgCheckValueOK, MsgCheckPropsOK, MsgCheckSigningCertOK,
		MsgCheckEGovOK,
		MsgSignAlreadySigned, MsgSignKeyMismatch, MsgSignKeyType, MsgSignCard, MsgSignSelfCheck, MsgSignTimestamp, MsgWarnTimestampBad,
		MsgSignOutputExists, MsgSignSameFile, MsgSignWrite,
	}
}

// Error is an error of this package that the app can show to the user: a message key
// with its arguments, and the underlying error for logs and errors.Is.
type Error struct {
	Key  string
	Args []string
	Err  error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s %v: %v", e.Key, e.Args, e.Err)
	}
	return fmt.Sprintf("%s %v", e.Key, e.Args)
}

func (e *Error) Unwrap() error { return e.Err }

func newError(err error, key string, args ...string) *Error {
	return &Error{Key: key, Args: args, Err: err}
}

// parseErrorMessage turns a parsing error into the message a report shows.
func parseErrorMessage(err error) (key string, args []string) {
	var se *SyntaxError
	detail := err.Error()
	if errors.As(err, &se) {
		detail = se.Error()
	}
	switch {
	case errors.Is(err, ErrDOCTYPE):
		return MsgDocDOCTYPE, nil
	case errors.Is(err, ErrEncoding):
		return MsgDocEncoding, []string{detail}
	case errors.Is(err, ErrTooDeep):
		return MsgDocTooDeep, []string{fmt.Sprint(MaxDepth)}
	}
	return MsgDocMalformed, []string{detail}
}
