package trust

// Message keys this package produces (Message.Key). The app resolves them in Japanese and
// English (app/i18n/ja.json, en.json); a test checks that both files hold every key. The
// comment after each key lists its Args.
const (
	// Certificate outcomes (SignerResult.Summary).
	MsgCertOK                    = "trust.cert.ok"                      // name, CRL thisUpdate
	MsgCertOKTest                = "trust.cert.ok_test"                 // name, CRL thisUpdate
	MsgCertNoSigner              = "trust.cert.no_signer"               //
	MsgCertTestNeedsTestStore    = "trust.cert.test_needs_test_store"   //
	MsgCertTestCertificate       = "trust.cert.test_certificate"        //
	MsgCertAuthNotSigner         = "trust.cert.auth_not_signer"         //
	MsgCertNoNonRepudiation      = "trust.cert.no_nonrepudiation"       //
	MsgCertSignerIsCA            = "trust.cert.signer_is_ca"            //
	MsgCertWeakAlgorithm         = "trust.cert.weak_algorithm"          // position, algorithm
	MsgCertWeakKey               = "trust.cert.weak_key"                // position, key description
	MsgCertClaimedBeforeValidity = "trust.cert.claimed_before_validity" // claimed time, notBefore
	MsgCertNotYetValid           = "trust.cert.not_yet_valid"           // notBefore
	MsgCertCANotYetValid         = "trust.cert.ca_not_yet_valid"        // position, notBefore
	MsgCertExpiredNoPOE          = "trust.cert.expired_no_poe"          // notAfter
	MsgCertCAExpiredNoPOE        = "trust.cert.ca_expired_no_poe"       // position, notAfter, generation
	MsgCertNotCA                 = "trust.cert.not_ca"                  // position
	MsgCertCANoCertSign          = "trust.cert.ca_no_certsign"          // position
	MsgCertPathTooLong           = "trust.cert.path_too_long"           // position
	MsgCertCriticalExtension     = "trust.cert.critical_extension"      // position, OID
	MsgCertCRLDPMalformed        = "trust.cert.crldp_malformed"         //

	// Why no path to a trusted anchor was found.
	MsgChainNoIssuer             = "trust.chain.no_issuer"             //
	MsgChainBadSignature         = "trust.chain.bad_signature"         //
	MsgChainUnknownKey           = "trust.chain.unknown_key"           //
	MsgChainIssuerName           = "trust.chain.issuer_name"           //
	MsgChainUnsupportedAlgorithm = "trust.chain.unsupported_algorithm" //

	// Checks that passed (Check.Detail).
	MsgCheckChainOK        = "trust.check.chain_ok"         // anchor generation
	MsgCheckCryptoOK       = "trust.check.crypto_ok"        //
	MsgCheckValidityOK     = "trust.check.validity_ok"      //
	MsgCheckCAOK           = "trust.check.ca_ok"            //
	MsgCheckCriticalOK     = "trust.check.critical_ok"      //
	MsgCheckKeyUsageOK     = "trust.check.key_usage_ok"     //
	MsgCheckPersonalDataOK = "trust.check.personal_data_ok" //
	MsgCheckRevocationOK   = "trust.check.revocation_ok"    //

	// Revocation.
	MsgRevNoCRL              = "trust.rev.no_crl"                // position, scope
	MsgRevStale              = "trust.rev.stale"                 // position, scope, nextUpdate
	MsgRevNoNextUpdate       = "trust.rev.no_next_update"        // position, scope
	MsgRevStoreError         = "trust.rev.store_error"           // position, error
	MsgRevCRLDamaged         = "trust.rev.crl_damaged"           // position, CRL ID
	MsgRevRevoked            = "trust.rev.revoked"               // revocation time
	MsgRevRevokedCompromise  = "trust.rev.revoked_compromise"    // revocation time
	MsgRevRevokedNoPOE       = "trust.rev.revoked_no_poe"        // revocation time
	MsgRevCARevoked          = "trust.rev.ca_revoked"            // revocation time, position
	MsgRevOnHold             = "trust.rev.on_hold"               // position, hold time
	MsgRevRevokedLater       = "trust.rev.revoked_later"         // revocation time
	MsgRevRevokedAfterPOE    = "trust.rev.revoked_after_poe"     // revocation time, time-stamp time
	MsgRevCARevokedAfterPOE  = "trust.rev.ca_revoked_after_poe"  // revocation time, time-stamp time, position
	MsgRevNoCRLBeforeExpiry  = "trust.rev.no_crl_before_expiry"  // position, scope, time-stamp time, notAfter
	MsgRevOnlyCRLAfterExpiry = "trust.rev.only_crl_after_expiry" // position, scope, notAfter

	// Past signature validation: a certificate expired since the time-stamp, or one
	// valid only from after it.
	MsgCertExpiredValidAtPOE = "trust.cert.expired_valid_at_poe" // position, notAfter, time-stamp time
	MsgCertPOEBeforeValidity = "trust.cert.poe_before_validity"  // time-stamp time, notBefore
	MsgCertOKPastRevoked     = "trust.cert.ok_past_revoked"      // name, time-stamp time, revocation time
	MsgCertOKPastExpired     = "trust.cert.ok_past_expired"      // name, time-stamp time, notAfter
	MsgSigPassedPastRevoked  = "trust.sig.passed_past_revoked"   // name, time-stamp time, revocation time
	MsgSigPassedPastExpired  = "trust.sig.passed_past_expired"   // name, time-stamp time, notAfter

	// Time-stamping authorities (CheckTimestamper).
	MsgTSAOK               = "trust.tsa.ok"                 // TSA name, time-stamp time
	MsgTSANoCertificate    = "trust.tsa.no_certificate"     //
	MsgTSANotTimestamping  = "trust.tsa.not_timestamping"   //
	MsgTSAOutsideValidity  = "trust.tsa.outside_validity"   // time-stamp time, notBefore, notAfter
	MsgTSAImprint          = "trust.tsa.imprint"            //
	MsgTSABadSignature     = "trust.tsa.bad_signature"      //
	MsgTSAUnsupported      = "trust.tsa.unsupported"        //
	MsgTSAUnreadable       = "trust.tsa.unreadable"         //
	MsgCheckChainTSADirect = "trust.check.chain_tsa_direct" // anchor name
	MsgRevReasonPrefix     = "trust.reason."                // + RFC 5280 reason name (a warning)

	MsgRevEmbeddedCRLBadSignature  = "trust.rev.embedded_crl_bad_signature" // issuer name
	MsgRevEmbeddedCRLUnusable      = "trust.rev.embedded_crl_unusable"
	MsgRevEmbeddedOCSPUnauthorised = "trust.rev.embedded_ocsp_unauthorised" // issuer name of the certificate

	// User trust anchors (AnchorError.Reason, UserAnchor.Problem).
	MsgAnchorUnreadable     = "trust.anchor.unreadable"      //
	MsgAnchorNotCertificate = "trust.anchor.not_certificate" //
	MsgAnchorNotCA          = "trust.anchor.not_ca"          // subject
	MsgAnchorNoCertSign     = "trust.anchor.no_cert_sign"    // subject
	MsgAnchorBuiltin        = "trust.anchor.builtin"         // generation
	MsgAnchorBadName        = "trust.anchor.bad_name"        //
	MsgAnchorDamaged        = "trust.anchor.damaged"         // what is wrong

	// A path that ended at a user-added anchor (Check.Detail of the chain check).
	MsgCheckChainUserOK = "trust.check.chain_user_ok" // anchor name

	// A stored CRL whose index file cannot be read (CRLInfo.Problem).
	MsgCRLIndexDamaged = "trust.crl.index_damaged" // what is wrong

	// Personal data in the subjectAltName (JPKIProfile.Problems, SignerResult.Warnings).
	MsgSANMalformed           = "trust.san.malformed"             //
	MsgSANOtherNameType       = "trust.san.other_name_type"       // GeneralName tag number
	MsgSANUnknownAttribute    = "trust.san.unknown_attribute"     // OID
	MsgSANValueType           = "trust.san.value_type"            // OID
	MsgSANValueEncoding       = "trust.san.value_encoding"        // OID
	MsgSANDuplicate           = "trust.san.duplicate"             // OID
	MsgSANMissing             = "trust.san.missing"               // OID
	MsgSANBadFlags            = "trust.san.bad_flags"             // OID
	MsgSANFlagsLength         = "trust.san.flags_length"          // OID, flags length, text length
	MsgSANUnknownSex          = "trust.san.unknown_sex"           //
	MsgSANBadBirthDate        = "trust.san.bad_birth_date"        //
	MsgSANUnknownEra          = "trust.san.unknown_era"           // era digit
	MsgSANBirthDateIncomplete = "trust.san.birth_date_incomplete" //
	MsgSANEraMismatch         = "trust.san.era_mismatch"          // era, date

	// A signature's summary when both the verifier and the certificate passed.
	MsgSigPassed              = "trust.sig.passed"                // name, CRL thisUpdate
	MsgSigPassedPermitted     = "trust.sig.passed_permitted"      // name, CRL thisUpdate
	MsgSigPassedTest          = "trust.sig.passed_test"           // name, CRL thisUpdate
	MsgSigPassedTestPermitted = "trust.sig.passed_test_permitted" // name, CRL thisUpdate

	// A document's summary (Summarize): total, passed, failed, indeterminate.
	MsgDocPassed        = "trust.doc.passed"        // total, passed, failed, indeterminate
	MsgDocFailed        = "trust.doc.failed"        // total, passed, failed, indeterminate
	MsgDocIndeterminate = "trust.doc.indeterminate" // total, passed, failed, indeterminate
	MsgDocUnsigned      = "trust.doc.unsigned"      //
)

// MessageKeys returns every message key this package can produce, for the translation
// completeness test of the app.
func MessageKeys() []string {
	keys := []string{
		MsgCertOK, MsgCertOKTest, MsgCertNoSigner, MsgCertTestNeedsTestStore, MsgCertTestCertificate,
		MsgCertAuthNotSigner, MsgCertNoNonRepudiation, MsgCertSignerIsCA, MsgCertWeakAlgorithm, MsgCertWeakKey,
		MsgCertClaimedBeforeValidity, MsgCertNotYetValid, MsgCertCANotYetValid, MsgCertExpiredNoPOE,
		MsgCertCAExpiredNoPOE, MsgCertNotCA, MsgCertCANoCertSign, MsgCertPathTooLong, MsgCertCriticalExtension,
		MsgCertCRLDPMalformed,
		MsgChainNoIssuer, MsgChainBadSignature, MsgChainUnknownKey, MsgChainIssuerName, MsgChainUnsupportedAlgorithm,
		MsgCheckChainOK, MsgCheckCryptoOK, MsgCheckValidityOK, MsgCheckCAOK, MsgCheckCriticalOK,
		MsgCheckKeyUsageOK, MsgCheckPersonalDataOK, MsgCheckRevocationOK,
		MsgRevNoCRL, MsgRevStale, MsgRevNoNextUpdate, MsgRevStoreError, MsgRevCRLDamaged, MsgRevRevoked, MsgRevRevokedCompromise,
		MsgRevRevokedNoPOE, MsgRevCARevoked, MsgRevOnHold, MsgRevRevokedLater,
		MsgRevRevokedAfterPOE, MsgRevCARevokedAfterPOE, MsgRevNoCRLBeforeExpiry, MsgRevOnlyCRLAfterExpiry,
		MsgCertExpiredValidAtPOE, MsgCertPOEBeforeValidity, MsgCertOKPastRevoked, MsgCertOKPastExpired,
		MsgSigPassedPastRevoked, MsgSigPassedPastExpired,
		MsgTSAOK, MsgTSANoCertificate, MsgTSANotTimestamping, MsgTSAOutsideValidity, MsgCheckChainTSADirect,
		MsgTSAImprint, MsgTSABadSignature, MsgTSAUnsupported, MsgTSAUnreadable,
		MsgRevEmbeddedCRLBadSignature, MsgRevEmbeddedCRLUnusable, MsgRevEmbeddedOCSPUnauthorised,
		MsgCRLIndexDamaged,
		MsgAnchorUnreadable, MsgAnchorNotCertificate, MsgAnchorNotCA, MsgAnchorNoCertSign, MsgAnchorBuiltin,
		MsgAnchorBadName, MsgAnchorDamaged, MsgCheckChainUserOK,
		MsgSANMalformed, MsgSANOtherNameType, MsgSANUnknownAttribute, MsgSANValueType, MsgSANValueEncoding,
		MsgSANDuplicate, MsgSANMissing, MsgSANBadFlags, MsgSANFlagsLength, MsgSANUnknownSex, MsgSANBadBirthDate,
		MsgSANUnknownEra, MsgSANBirthDateIncomplete, MsgSANEraMismatch,
		MsgSigPassed, MsgSigPassedPermitted, MsgSigPassedTest, MsgSigPassedTestPermitted,
		MsgDocPassed, MsgDocFailed, MsgDocIndeterminate, MsgDocUnsigned,
	}
	for _, code := range []int{0, 1, 2, 3, 4, 5, 6, 8, 9, 10} {
		keys = append(keys, MsgRevReasonPrefix+ReasonName(code))
	}
	keys = append(keys, MsgRevReasonPrefix+"none", MsgRevReasonPrefix+"other")
	keys = append(keys, crlErrorKeys()...)
	keys = append(keys, authCheckKeys()...)
	return keys
}
