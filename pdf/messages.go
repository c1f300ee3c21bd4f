package pdf

// Message keys this package puts in reports (trust.Message.Key). The app resolves them
// in Japanese and English (app/i18n/ja.json, en.json). The comment lists the Args.
const (
	// Document-level errors.
	MsgUnreadable = "pdf.doc.unreadable" // error text

	// Signature outcomes decided by the PDF verifier (SignatureReport.Summary).
	MsgSigByteRange         = "pdf.sig.byterange"          // problem
	MsgSigNoContents        = "pdf.sig.no_contents"        //
	MsgSigCMSMalformed      = "pdf.sig.cms_malformed"      // problem
	MsgSigEContent          = "pdf.sig.econtent"           //
	MsgSigDigestMismatch    = "pdf.sig.digest_mismatch"    //
	MsgSigBadSignature      = "pdf.sig.bad_signature"      //
	MsgSigNoCertificate     = "pdf.sig.no_certificate"     //
	MsgSigSigningCertBad    = "pdf.sig.signing_cert_bad"   //
	MsgSigUnsupportedAlg    = "pdf.sig.unsupported_alg"    // problem
	MsgSigUnsupportedFilter = "pdf.sig.unsupported_filter" // subfilter
	MsgSigCoverage          = "pdf.sig.coverage"           // covered end, file size
	MsgSigChanged           = "pdf.sig.changed"            // revision, what
	MsgSigBadDictionary     = "pdf.sig.bad_dictionary"     // problem
	MsgSigWeakAlgorithm     = "pdf.sig.weak_algorithm"     // algorithm name
	MsgSigAlgMismatch       = "pdf.sig.alg_mismatch"       //
	MsgStampTSANotChecked   = "pdf.ts.tsa_not_checked"     // time
	// MsgSigChangesNotAnalysed: too many revisions after signing to compare them all
	// (graph.go's bounds).
	MsgSigChangesNotAnalysed = "pdf.sig.changes_not_analysed" // revisions after signing, revisions compared

	// Checks (Check.Detail).
	MsgCheckByteRangeOK   = "pdf.check.byterange_ok" //
	MsgCheckCMSOK         = "pdf.check.cms_ok"       //
	MsgCheckDigestOK      = "pdf.check.digest_ok"    // digest algorithm
	MsgCheckSignatureOK   = "pdf.check.signature_ok" // signature algorithm
	MsgCheckSigningCertOK = "pdf.check.signing_cert_ok"
	MsgCheckCoverageWhole = "pdf.check.coverage_whole"    //
	MsgCheckCoverageRev   = "pdf.check.coverage_revision" // revision, revisions
	MsgCheckNoChanges     = "pdf.check.no_changes"        //
	MsgCheckPermitted     = "pdf.check.changes_permitted" // revisions after signing

	// Warnings.
	MsgWarnNoSigningCert    = "pdf.warn.no_signing_cert"    //
	MsgWarnSigningTime      = "pdf.warn.signing_time"       //
	MsgWarnDocTimestampBad  = "pdf.warn.doc_timestamp_bad"  // revision
	MsgWarnDocTimestampSeen = "pdf.warn.doc_timestamp_seen" // revision
	MsgWarnEncrypted        = "pdf.warn.encrypted"          //
	MsgWarnNoPolicy         = "pdf.warn.no_policy"          //
	MsgWarnOtherFilter      = "pdf.warn.other_filter"       // subfilter
	MsgWarnSeveralSigners   = "pdf.warn.several_signers"    // count
	MsgWarnCertFromDSS      = "pdf.warn.cert_from_dss"      //
	MsgWarnTimestampBad     = "pdf.warn.timestamp_bad"      //

	// Changes after signing (ChangedObject.Why).
	MsgChangeSignatureAdded = "pdf.change.signature_added" //
	MsgChangeFormFilled     = "pdf.change.form_filled"     // field
	MsgChangeDSS            = "pdf.change.dss"             //
	MsgChangeDocTimestamp   = "pdf.change.doc_timestamp"   //
	MsgChangeMetadata       = "pdf.change.metadata"        //
	MsgChangePageContent    = "pdf.change.page_content"    // page, key
	MsgChangePageTree       = "pdf.change.page_tree"       //
	MsgChangeAnnotation     = "pdf.change.annotation"      // page, subtype
	MsgChangeSigAltered     = "pdf.change.signature_altered"
	MsgChangeFieldAltered   = "pdf.change.field_altered"    // field, key
	MsgChangeFieldAdded     = "pdf.change.field_added"      // field
	MsgChangeFieldRemoved   = "pdf.change.field_removed"    // field
	MsgChangeFieldLocked    = "pdf.change.field_locked"     // field
	MsgChangeCatalog        = "pdf.change.catalog"          // key
	MsgChangeAcroForm       = "pdf.change.acroform"         // key
	MsgChangeTrailer        = "pdf.change.trailer"          // key
	MsgChangeShared         = "pdf.change.shared"           // path in the signed revision
	MsgChangeFreed          = "pdf.change.freed"            //
	MsgChangeUnexplained    = "pdf.change.unexplained"      //
	MsgChangeTrailingData   = "pdf.change.trailing_data"    // offset
	MsgChangeCertified      = "pdf.change.certified"        // DocMDP permission
	MsgChangeUnreadable     = "pdf.change.unreadable"       // error
	MsgChangeAmbiguous      = "pdf.change.ambiguous"        //
	MsgChangeRedrawn        = "pdf.change.redrawn"          // field
	MsgChangeSigReused      = "pdf.change.signature_reused" // field
	MsgChangeUnlisted       = "pdf.change.unlisted"         //
	MsgChangeAnnotsOrder    = "pdf.change.annots_order"     // page
	MsgChangeOverlay        = "pdf.change.overlay"          // field
	// A visible appearance drawn by a later signature that cannot be evaluated.
	MsgChangeOverlayUnverifiable = "pdf.change.overlay_unverifiable" // field
	MsgChangeNotAnalysed         = "pdf.change.not_analysed"         //
	MsgChangeNotListed           = "pdf.change.not_listed"           // count

	// The registry conformance check (formats.md §1b), one per row.
	MsgRegOK           = "pdf.reg.ok"            //
	MsgRegMissing      = "pdf.reg.missing"       //
	MsgRegWrongValue   = "pdf.reg.wrong_value"   // found, expected
	MsgRegNameMismatch = "pdf.reg.name_mismatch" // found, certificate name
	MsgRegNoCertName   = "pdf.reg.no_cert_name"  //
	MsgRegDateFormat   = "pdf.reg.date_format"   // found
	MsgRegByteRange    = "pdf.reg.byterange"     //
	MsgRegNotWhole     = "pdf.reg.not_whole"     //
	MsgRegContents     = "pdf.reg.contents"      //
	MsgRegAlgorithm    = "pdf.reg.algorithm"     // digest, signature algorithm
	MsgRegNoSignature  = "pdf.reg.no_signature"  //
	MsgRegAttributes   = "pdf.reg.attributes"    //
)

// MessageKeys returns every message key this package can produce, for the app's
// translation completeness test.
func MessageKeys() []string {
	return []string{
		MsgUnreadable,
		MsgSigByteRange, MsgSigNoContents, MsgSigCMSMalformed, MsgSigEContent, MsgSigDigestMismatch,
		MsgSigBadSignature, MsgSigNoCertificate, MsgSigSigningCertBad, MsgSigUnsupportedAlg,
		MsgSigUnsupportedFilter, MsgSigCoverage, MsgSigChanged, MsgSigBadDictionary, MsgSigWeakAlgorithm,
		MsgCheckByteRangeOK, MsgCheckCMSOK, MsgCheckDigestOK, MsgCheckSignatureOK, MsgCheckSigningCertOK,
		MsgCheckCoverageWhole, MsgCheckCoverageRev, MsgCheckNoChanges, MsgCheckPermitted,
		MsgWarnNoSigningCert, MsgWarnSigningTime, MsgWarnDocTimestampBad, MsgWarnDocTimestampSeen,
		MsgWarnEncrypted, MsgWarnNoPolicy, MsgWarnOtherFilter, MsgWarnSeveralSigners, MsgWarnCertFromDSS, MsgWarnTimestampBad,
		MsgSigAlgMismatch, MsgStampTSANotChecked,
		MsgChangeSignatureAdded, MsgChangeFormFilled, MsgChangeDSS, MsgChangeDocTimestamp, MsgChangeMetadata,
		MsgChangePageContent, MsgChangePageTree, MsgChangeAnnotation, MsgChangeSigAltered, MsgChangeFieldAltered,
		MsgChangeFieldAdded, MsgChangeFieldRemoved, MsgChangeFieldLocked, MsgChangeCatalog, MsgChangeAcroForm, MsgChangeTrailer,
		MsgChangeShared, MsgChangeFreed, MsgChangeUnexplained, MsgChangeTrailingData, MsgChangeCertified,
		MsgChangeUnreadable, MsgChangeAmbiguous, MsgChangeRedrawn, MsgChangeSigReused, MsgChangeUnlisted, MsgChangeAnnotsOrder, MsgChangeOverlay, MsgChangeOverlayUnverifiable,
		MsgRegOK, MsgRegMissing, MsgRegWrongValue, MsgRegNameMismatch, MsgRegNoCertName, MsgRegDateFormat,
		MsgRegByteRange, MsgRegNotWhole, MsgRegContents, MsgRegAlgorithm, MsgRegNoSignature, MsgRegAttributes,
	}
}
