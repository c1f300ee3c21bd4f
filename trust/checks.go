package trust

// CheckName identifies a check in SignatureReport.Checks. The values are a stable
// interface (scripts read them): new ones may be added, none renamed.
type CheckName string

// The checks of the verifiers and of the certificate validation, roughly in the order
// they run.
const (
	// PDF: the signature dictionary, /ByteRange and the CMS structure.
	CheckSignatureDictionary CheckName = "signature-dictionary"
	CheckByteRange           CheckName = "byterange"
	CheckCMS                 CheckName = "cms"
	CheckCoverage            CheckName = "coverage"
	CheckChanges             CheckName = "changes"

	// XML: the signature's structure, its references, key material and profiles.
	CheckStructure        CheckName = "structure"
	CheckIDsUnique        CheckName = "ids-unique"
	CheckReference        CheckName = "reference"  // one reference's digest
	CheckReferences       CheckName = "references" // resolving and digesting them all
	CheckKeyInfo          CheckName = "keyinfo"
	CheckSignedProperties CheckName = "signed-properties"
	CheckEGovProfile      CheckName = "egov-profile"
	CheckCountersignature CheckName = "countersignature"

	// Both: the signed data and the signature value.
	CheckMessageDigest      CheckName = "message-digest"
	CheckSignatureValue     CheckName = "signature-value"
	CheckSigningCertificate CheckName = "signing-certificate"
	CheckAlgorithms         CheckName = "algorithms"

	// The signer certificate (Policy.CheckSigner).
	CheckChain              CheckName = "chain"
	CheckCrypto             CheckName = "crypto"
	CheckValidity           CheckName = "validity"
	CheckCAConstraints      CheckName = "ca-constraints"
	CheckCriticalExtensions CheckName = "critical-extensions"
	CheckKeyUsage           CheckName = "key-usage"
	CheckPersonalData       CheckName = "personal-data"
	CheckRevocation         CheckName = "revocation"
)
