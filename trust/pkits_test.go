//go:debug x509negativeserial=1

package trust

import (
	"crypto/x509"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mynasign/mynasign/internal/testenv"
)

// corpusRoot returns the conformance corpus (testdata/corpus).
func corpusRoot(t testing.TB) string {
	t.Helper()
	return testenv.Corpus(t)
}

// pkitsCase is one entry of pkits.json.
type pkitsCase struct {
	ID         string         `json:"id"`
	Name       string         `json:"name"`
	Cert       string         `json:"cert"`
	OtherCerts []string       `json:"other_certs"`
	CRLs       []string       `json:"crls"`
	PathLen    int            `json:"path_len"`
	Params     map[string]any `json:"params"`
	Error      *struct {
		Class string `json:"class"`
		Msg   string `json:"msg_regex"`
	} `json:"error"`
}

func loadPKITS(t *testing.T) (string, []pkitsCase) {
	dir := filepath.Join(corpusRoot(t), "pki", "nist_pkits")
	raw, err := os.ReadFile(filepath.Join(dir, "pkits.json"))
	if err != nil {
		testenv.Unavailable(t, "the PKITS corpus is not at %s: %v", dir, err)
	}
	var cases []pkitsCase
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	return dir, cases
}

func pkitsCert(dir, name string) (*x509.Certificate, error) {
	der, err := os.ReadFile(filepath.Join(dir, "certs", name))
	if err != nil {
		return nil, err
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return c, nil
}

// pkitsTime is the validation time: inside every PKITS certificate's validity (2010–2030)
// and after the stale CRLs' nextUpdate.
var pkitsTime = time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC)

// runPKITS validates one case through the package: the case's CRLs (and the trust
// anchor's) are imported into a fresh store with the same importer the app uses, then the
// end-entity certificate is checked with the path-only purpose.
func runPKITS(t *testing.T, dir string, c pkitsCase) (*SignerResult, []string, error) {
	root, err := pkitsCert(dir, "TrustAnchorRootCertificate.crt")
	if err != nil {
		t.Fatal(err)
	}
	anchor := NewAnchor(root, KindNotJPKI, "pkits", false, "TrustAnchorRootCertificate.crt")
	ts := &TrustStore{Name: "pkits", Anchors: []*Anchor{anchor}}
	var others []*x509.Certificate
	signers := []crlSigner{{cert: root, anchor: anchor, keyID: anchor.KeyID}}
	for _, n := range c.OtherCerts {
		oc, err := pkitsCert(dir, n)
		if err != nil {
			return nil, nil, err
		}
		others = append(others, oc)
		signers = append(signers, crlSigner{cert: oc, keyID: subjectKeyID(oc)})
	}
	store := OpenStore(t.TempDir())
	var refused []string
	for _, n := range append([]string{"TrustAnchorRootCRL.crl"}, c.CRLs...) {
		if _, err := store.importWith(signers, []string{filepath.Join(dir, "crls", n)}, pkitsTime); err != nil {
			var ie *ImportError
			if !asImportError(err, &ie) {
				t.Fatalf("%s: %v", n, err)
			}
			refused = append(refused, n+": "+ie.Errors[0].Reason.Key)
		}
	}
	src, err := newPolicySource(ts, store.Dir(), true)
	if err != nil {
		t.Fatal(err)
	}
	p := &Policy{store: ts, crls: src, crlDir: store.Dir(), at: pkitsTime, minRSA: 2048, purpose: purposeAny}
	ee, err := pkitsCert(dir, c.Cert)
	if err != nil {
		return nil, nil, err
	}
	return p.CheckSigner(ee, others, nil), refused, nil
}

func asImportError(err error, ie **ImportError) bool {
	e, ok := err.(*ImportError)
	if ok {
		*ie = e
	}
	return ok
}

// pkitsExpect is this package's outcome for one PKITS case, or why the case does not
// apply to an offline, CRL-based JPKI verifier.
type pkitsExpect struct {
	ind Indication
	sub SubIndication
	na  string
}

// Reasons a PKITS case does not apply.
const (
	naPolicy   = "RFC 5280 policy processing (4.8–4.12) is not implemented: a JPKI path is anchor → end entity with one policy OID per CA, recorded and checked by OID; critical policy constraints, policy mappings and inhibitAnyPolicy are refused as unknown critical extensions, and user-initial-policy-set parameters do not exist here"
	naNC       = "name constraints (4.13) are not processed: the J-LIS anchors carry none, and a certificate with critical nameConstraints is refused as an unknown critical extension"
	naDSA      = "DSA is not accepted (withdrawn by FIPS 186-5; JPKI uses RSA, ECDSA for the next card): DSA certificates and CRLs are refused"
	naSepKey   = "the CRL is signed by a key whose certificate is not on the validated path (a separate path for the CRL signer, RFC 5280 §6.3.3 (f)); each J-LIS generation signs the CRLs of the certificates it issued, so only keys on the path are accepted"
	naReasons  = "CRLs limited to some revocation reasons (onlySomeReasons) are refused at import; JPKI CRLs are partitioned by municipality, not by reason"
	naIndirect = "indirect CRLs (indirectCRL, cRLIssuer, certificateIssuer entries) are refused at import; JPKI CRLs are issued by the CA itself"
	naDelta    = "delta CRLs are refused at import (issue 3), and this case's expected outcome exists only in the delta CRL"
	naGoParse  = "crypto/x509 refuses to parse the end-entity certificate (nameRelativeToCRLIssuer in its cRLDistributionPoints), so the case cannot be run; JPKI distribution points are full directory names"
)

// pkitsTable holds every case of pkits.json (a test checks that none is missing).
var pkitsTable = map[string]pkitsExpect{
	"valid_signatures_test1":                                       {ind: TotalPassed},
	"invalid_ca_signature_test2":                                   {ind: Indeterminate, sub: NoCertificateChainFound},
	"invalid_ee_signature_test3":                                   {ind: Indeterminate, sub: NoCertificateChainFound},
	"valid_dsa_signatures_test4":                                   {na: naDSA},
	"valid_dsa_parameter_inheritance_test5":                        {na: naDSA},
	"invalid_dsa_signature_test6":                                  {na: naDSA},
	"invalid_ca_notbefore_date_test1":                              {ind: Indeterminate, sub: ChainConstraintsFailure},
	"invalid_ee_notbefore_date_test2":                              {ind: TotalFailed, sub: NotYetValid},
	"valid_pre2000_utc_notbefore_date_test3":                       {ind: TotalPassed},
	"valid_generalizedtime_notbefore_date_test4":                   {ind: TotalPassed},
	"invalid_ca_notafter_date_test5":                               {ind: Indeterminate, sub: OutOfBoundsNoPOE},
	"invalid_ee_notafter_date_test6":                               {ind: Indeterminate, sub: OutOfBoundsNoPOE},
	"invalid_pre2000_utc_ee_notafter_date_test7":                   {ind: Indeterminate, sub: OutOfBoundsNoPOE},
	"valid_generalizedtime_notbefore_date_test8":                   {ind: TotalPassed},
	"invalid_name_chaining_ee_test1":                               {ind: Indeterminate, sub: NoCertificateChainFound},
	"invalid_name_chaining_order_test2":                            {ind: Indeterminate, sub: NoCertificateChainFound},
	"valid_name_chaining_whitespace_test3":                         {ind: TotalPassed},
	"valid_name_chaining_whitespace_test4":                         {ind: TotalPassed},
	"valid_name_chaining_capitalization_test5":                     {ind: TotalPassed},
	"valid_name_chaining_uids_test6":                               {ind: TotalPassed},
	"valid_rfc3280_mandatory_attribute_types_test7":                {ind: TotalPassed},
	"valid_rfc3280_optional_attribute_types_test8":                 {ind: TotalPassed},
	"valid_utf8string_encoded_names_test9":                         {ind: TotalPassed},
	"valid_rollover_from_printablestring_to_utf8string_test10":     {ind: TotalPassed},
	"valid_utf8string_case_insensitive_match_test11":               {ind: TotalPassed},
	"missing_crl_test1":                                            {ind: Indeterminate, sub: TryLater},
	"invalid_revoked_ca_test2":                                     {ind: Indeterminate, sub: RevokedCANoPOE},
	"invalid_revoked_ee_test3":                                     {ind: TotalFailed, sub: Revoked},
	"invalid_bad_crl_signature_test4":                              {ind: Indeterminate, sub: TryLater},
	"invalid_bad_crl_issuer_name_test5":                            {ind: Indeterminate, sub: TryLater},
	"invalid_wrong_crl_test6":                                      {ind: Indeterminate, sub: TryLater},
	"valid_two_crls_test7":                                         {ind: TotalPassed},
	"invalid_unknown_crl_entry_extension_test8":                    {ind: Indeterminate, sub: TryLater},
	"invalid_unknown_crl_extension_test9":                          {ind: Indeterminate, sub: TryLater},
	"invalid_unknown_crl_extension_test10":                         {ind: Indeterminate, sub: TryLater},
	"invalid_old_crl_nextupdate_test11":                            {ind: Indeterminate, sub: TryLater},
	"invalid_pre2000_crl_nextupdate_test12":                        {ind: Indeterminate, sub: TryLater},
	"valid_generalizedtime_crl_nextupdate_test13":                  {ind: TotalPassed},
	"valid_negative_serial_number_test14":                          {ind: TotalPassed},
	"invalid_negative_serial_number_test15":                        {ind: TotalFailed, sub: Revoked},
	"valid_long_serial_number_test16":                              {ind: TotalPassed},
	"valid_long_serial_number_test17":                              {ind: TotalPassed},
	"invalid_long_serial_number_test18":                            {ind: TotalFailed, sub: Revoked},
	"valid_separate_certificate_and_crl_keys_test19":               {na: naSepKey},
	"invalid_separate_certificate_and_crl_keys_test20":             {na: naSepKey},
	"invalid_separate_certificate_and_crl_keys_test21":             {na: naSepKey},
	"valid_basic_self_issued_old_with_new_test1":                   {ind: TotalPassed},
	"invalid_basic_self_issued_old_with_new_test2":                 {ind: TotalFailed, sub: Revoked},
	"valid_basic_self_issued_new_with_old_test3":                   {ind: TotalPassed},
	"valid_basic_self_issued_new_with_old_test4":                   {na: naSepKey},
	"invalid_basic_self_issued_new_with_old_test5":                 {na: naSepKey},
	"valid_basic_self_issued_crl_signing_key_test6":                {na: naSepKey},
	"invalid_basic_self_issued_crl_signing_key_test7":              {na: naSepKey},
	"invalid_basic_self_issued_crl_signing_key_test8":              {ind: Indeterminate, sub: ChainConstraintsFailure},
	"invalid_missing_basicconstraints_test1":                       {ind: Indeterminate, sub: ChainConstraintsFailure},
	"invalid_ca_false_test2":                                       {ind: Indeterminate, sub: ChainConstraintsFailure},
	"invalid_ca_false_test3":                                       {ind: Indeterminate, sub: ChainConstraintsFailure},
	"valid_basicconstraints_not_critical_test4":                    {ind: TotalPassed},
	"invalid_pathlenconstraint_test5":                              {ind: Indeterminate, sub: ChainConstraintsFailure},
	"invalid_pathlenconstraint_test6":                              {ind: Indeterminate, sub: ChainConstraintsFailure},
	"valid_pathlenconstraint_test7":                                {ind: TotalPassed},
	"valid_pathlenconstraint_test8":                                {ind: TotalPassed},
	"invalid_pathlenconstraint_test9":                              {ind: Indeterminate, sub: ChainConstraintsFailure},
	"invalid_pathlenconstraint_test10":                             {ind: Indeterminate, sub: ChainConstraintsFailure},
	"invalid_pathlenconstraint_test11":                             {ind: Indeterminate, sub: ChainConstraintsFailure},
	"invalid_pathlenconstraint_test12":                             {ind: Indeterminate, sub: ChainConstraintsFailure},
	"valid_pathlenconstraint_test13":                               {ind: TotalPassed},
	"valid_pathlenconstraint_test14":                               {ind: TotalPassed},
	"valid_self_issued_pathlenconstraint_test15":                   {ind: TotalPassed},
	"invalid_self_issued_pathlenconstraint_test16":                 {ind: Indeterminate, sub: ChainConstraintsFailure},
	"valid_self_issued_pathlenconstraint_test17":                   {ind: TotalPassed},
	"invalid_keyusage_critical_keycertsign_false_test1":            {ind: Indeterminate, sub: ChainConstraintsFailure},
	"invalid_keyusage_not_critical_keycertsign_false_test2":        {ind: Indeterminate, sub: ChainConstraintsFailure},
	"valid_keyusage_not_critical_test3":                            {ind: TotalPassed},
	"invalid_keyusage_critical_crlsign_false_test4":                {ind: Indeterminate, sub: TryLater},
	"invalid_keyusage_not_critical_crlsign_false_test5":            {ind: Indeterminate, sub: TryLater},
	"all_certs_same_policy_test1_norestr":                          {na: naPolicy},
	"all_certs_same_policy_test1_explicit_policy":                  {na: naPolicy},
	"all_certs_same_policy_test1_with_constraints1":                {na: naPolicy},
	"all_certs_same_policy_test1_with_constraint_mismatch":         {na: naPolicy},
	"all_certs_same_policy_test1_with_constraint_mismatch_ignored": {na: naPolicy},
	"all_certs_same_policy_test1_with_constraints2":                {na: naPolicy},
	"all_certificates_no_policies_test2":                           {na: naPolicy},
	"all_certificates_no_policies_test2_force_explicit":            {na: naPolicy},
	"different_policies_test3":                                     {na: naPolicy},
	"different_policies_test3_force_explicit":                      {na: naPolicy},
	"different_policies_test3_force_explicit_with_user_set":        {na: naPolicy},
	"different_policies_test4":                                     {na: naPolicy},
	"different_policies_test5":                                     {na: naPolicy},
	"overlapping_policies_test6":                                   {na: naPolicy},
	"overlapping_policies_test6_with_testpol1":                     {na: naPolicy},
	"overlapping_policies_test6_with_testpol2":                     {na: naPolicy},
	"overlapping_policies_test6_with_testpol2_explicit":            {na: naPolicy},
	"different_policies_test7":                                     {na: naPolicy},
	"different_policies_test8":                                     {na: naPolicy},
	"different_policies_test9":                                     {na: naPolicy},
	"all_certificates_same_policies_test10":                        {na: naPolicy},
	"all_certificates_same_policies_test10_with_testpol1":          {na: naPolicy},
	"all_certificates_same_policies_test10_with_testpol2":          {na: naPolicy},
	"all_certificates_any_policy_test11":                           {na: naPolicy},
	"all_certificates_any_policy_test11_constrained":               {na: naPolicy},
	"different_policies_test12":                                    {na: naPolicy},
	"all_certificates_same_policies_test13":                        {na: naPolicy},
	"all_certificates_same_policies_test13_with_testpol1":          {na: naPolicy},
	"all_certificates_same_policies_test13_with_testpol2":          {na: naPolicy},
	"all_certificates_same_policies_test13_with_testpol3":          {na: naPolicy},
	"all_certificates_same_policies_test13_with_testpol1_2":        {na: naPolicy},
	"any_policy_test14":                                            {na: naPolicy},
	"any_policy_test14_with_testpol1":                              {na: naPolicy},
	"any_policy_test14_with_testpol1_2":                            {na: naPolicy},
	"any_policy_test14_with_testpol2":                              {na: naPolicy},
	"valid_require_explicit_policy_test1":                          {na: naPolicy},
	"valid_require_explicit_policy_test2":                          {na: naPolicy},
	"invalid_require_explicit_policy_test3":                        {na: naPolicy},
	"valid_require_explicit_policy_test4":                          {na: naPolicy},
	"invalid_require_explicit_policy_test5":                        {na: naPolicy},
	"valid_self_issued_require_explicit_policy_test6":              {na: naPolicy},
	"invalid_self_issued_require_explicit_policy_test7":            {na: naPolicy},
	"invalid_self_issued_require_explicit_policy_test8":            {na: naPolicy},
	"valid_policy_mapping_test2_with_testpol1":                     {na: naPolicy},
	"valid_policy_mapping_test2_with_testpol2":                     {na: naPolicy},
	"valid_policy_mapping_test2_inhibit_mapping":                   {na: naPolicy},
	"valid_policy_mapping_test2_inhibit_mapping_testpol1":          {na: naPolicy},
	"invalid_policy_mapping_test2":                                 {na: naPolicy},
	"invalid_policy_mapping_test2_inhibit_mapping":                 {na: naPolicy},
	"valid_policy_mapping_test3_with_testpol1":                     {na: naPolicy},
	"valid_policy_mapping_test3_with_testpol2":                     {na: naPolicy},
	"invalid_policy_mapping_test4":                                 {na: naPolicy},
	"valid_policy_mapping_test5_with_testpol1":                     {na: naPolicy},
	"valid_policy_mapping_test5_with_testpol6":                     {na: naPolicy},
	"valid_policy_mapping_test6_with_testpol1":                     {na: naPolicy},
	"valid_policy_mapping_test6_with_testpol6":                     {na: naPolicy},
	"invalid_mapping_from_any_policy_test7":                        {na: naPolicy},
	"invalid_mapping_to_any_policy_test8":                          {na: naPolicy},
	"valid_policy_mapping_test9":                                   {na: naPolicy},
	"invalid_policy_mapping_test10":                                {na: naPolicy},
	"valid_policy_mapping_test11":                                  {na: naPolicy},
	"valid_policy_mapping_test13":                                  {na: naPolicy},
	"valid_policy_mapping_test14":                                  {na: naPolicy},
	"invalid_inhibit_policy_mapping_test1":                         {na: naPolicy},
	"valid_inhibit_policy_mapping_test2":                           {na: naPolicy},
	"invalid_inhibit_policy_mapping_test3":                         {na: naPolicy},
	"valid_inhibit_policy_mapping_test4":                           {na: naPolicy},
	"invalid_inhibit_policy_mapping_test5":                         {na: naPolicy},
	"invalid_inhibit_policy_mapping_test6":                         {na: naPolicy},
	"valid_self_issued_inhibit_policy_mapping_test7":               {na: naPolicy},
	"invalid_self_issued_inhibit_policy_mapping_test8":             {na: naPolicy},
	"invalid_self_issued_inhibit_policy_mapping_test9":             {na: naPolicy},
	"invalid_self_issued_inhibit_policy_mapping_test10":            {na: naPolicy},
	"invalid_self_issued_inhibit_policy_mapping_test11":            {na: naPolicy},
	"invalid_inhibit_any_policy_test1":                             {na: naPolicy},
	"valid_inhibit_any_policy_test2":                               {na: naPolicy},
	"inhibit_any_policy_test3":                                     {na: naPolicy},
	"inhibit_any_policy_test3_initial_inhibit":                     {na: naPolicy},
	"invalid_inhibit_any_policy_test4":                             {na: naPolicy},
	"invalid_inhibit_any_policy_test5":                             {na: naPolicy},
	"invalid_inhibit_any_policy_test6":                             {na: naPolicy},
	"valid_self_issued_inhibit_any_policy_test7":                   {na: naPolicy},
	"invalid_self_issued_inhibit_any_policy_test8":                 {na: naPolicy},
	"valid_self_issued_inhibit_any_policy_test9":                   {na: naPolicy},
	"invalid_self_issued_inhibit_any_policy_test10":                {na: naPolicy},
	"valid_dn_nameconstraints_test1":                               {na: naNC},
	"invalid_dn_nameconstraints_test2":                             {na: naNC},
	"invalid_dn_nameconstraints_test3":                             {na: naNC},
	"valid_dn_nameconstraints_test4":                               {na: naNC},
	"valid_dn_nameconstraints_test5":                               {na: naNC},
	"valid_dn_nameconstraints_test6":                               {na: naNC},
	"invalid_dn_nameconstraints_test7":                             {na: naNC},
	"invalid_dn_nameconstraints_test8":                             {na: naNC},
	"invalid_dn_nameconstraints_test9":                             {na: naNC},
	"invalid_dn_nameconstraints_test10":                            {na: naNC},
	"valid_dn_nameconstraints_test11":                              {na: naNC},
	"invalid_dn_nameconstraints_test12":                            {na: naNC},
	"invalid_dn_nameconstraints_test13":                            {na: naNC},
	"valid_dn_nameconstraints_test14":                              {na: naNC},
	"invalid_dn_nameconstraints_test15":                            {na: naNC},
	"invalid_dn_nameconstraints_test16":                            {na: naNC},
	"invalid_dn_nameconstraints_test17":                            {na: naNC},
	"valid_dn_nameconstraints_test18":                              {na: naNC},
	"valid_self_issued_dn_nameconstraints_test19":                  {na: naNC},
	"invalid_self_issued_dn_nameconstraints_test20":                {na: naNC},
	"valid_rfc822_nameconstraints_test21":                          {na: naNC},
	"invalid_rfc822_nameconstraints_test22":                        {na: naNC},
	"valid_rfc822_nameconstraints_test23":                          {na: naNC},
	"invalid_rfc822_nameconstraints_test24":                        {na: naNC},
	"valid_rfc822_nameconstraints_test25":                          {na: naNC},
	"invalid_rfc822_nameconstraints_test26":                        {na: naNC},
	"valid_dn_and_rfc822_nameconstraints_test27":                   {na: naNC},
	"invalid_dn_and_rfc822_nameconstraints_test28":                 {na: naNC},
	"invalid_dn_and_rfc822_nameconstraints_test29":                 {na: naNC},
	"valid_dns_nameconstraints_test30":                             {na: naNC},
	"invalid_dns_nameconstraints_test31":                           {na: naNC},
	"valid_dns_nameconstraints_test32":                             {na: naNC},
	"invalid_dns_nameconstraints_test33":                           {na: naNC},
	"valid_uri_nameconstraints_test34":                             {na: naNC},
	"invalid_uri_nameconstraints_test35":                           {na: naNC},
	"valid_uri_nameconstraints_test36":                             {na: naNC},
	"invalid_uri_nameconstraints_test37":                           {na: naNC},
	"invalid_dns_nameconstraints_test38":                           {na: naNC},
	"valid_distributionpoint_test1":                                {ind: TotalPassed},
	"invalid_distributionpoint_test2":                              {ind: TotalFailed, sub: Revoked},
	"invalid_distributionpoint_test3":                              {ind: Indeterminate, sub: TryLater},
	"valid_distributionpoint_test4":                                {na: naGoParse},
	"valid_distributionpoint_test5":                                {na: naGoParse},
	"invalid_distributionpoint_test6":                              {na: naGoParse},
	"valid_distributionpoint_test7":                                {ind: TotalPassed},
	"invalid_distributionpoint_test8":                              {ind: Indeterminate, sub: TryLater},
	"invalid_distributionpoint_test9":                              {ind: Indeterminate, sub: TryLater},
	"valid_no_issuingdistributionpoint_test10":                     {ind: TotalPassed},
	"invalid_onlycontainsusercerts_crl_test11":                     {ind: Indeterminate, sub: TryLater},
	"invalid_onlycontainscacerts_crl_test12":                       {ind: Indeterminate, sub: TryLater},
	"valid_onlycontainscacerts_crl_test13":                         {ind: TotalPassed},
	"invalid_onlycontainsattributecerts_crl_test14":                {ind: Indeterminate, sub: TryLater},
	"invalid_onlysomereasons_test15":                               {na: naReasons},
	"invalid_onlysomereasons_test16":                               {na: naReasons},
	"invalid_onlysomereasons_test17":                               {ind: Indeterminate, sub: TryLater},
	"valid_onlysomereasons_test18":                                 {na: naReasons},
	"valid_onlysomereasons_test19":                                 {na: naReasons},
	"invalid_onlysomereasons_test20":                               {na: naReasons},
	"invalid_onlysomereasons_test21":                               {na: naReasons},
	"valid_idp_with_indirectcrl_test22":                            {na: naIndirect},
	"invalid_idp_with_indirectcrl_test23":                          {na: naIndirect},
	"valid_idp_with_indirectcrl_test24":                            {na: naIndirect},
	"valid_idp_with_indirectcrl_test25":                            {na: naIndirect},
	"invalid_idp_with_indirectcrl_test26":                          {ind: Indeterminate, sub: TryLater},
	"invalid_crlissuer_test27":                                     {ind: Indeterminate, sub: TryLater},
	"valid_crlissuer_test28":                                       {na: naIndirect},
	"valid_crlissuer_test29":                                       {na: naIndirect},
	"valid_crlissuer_test30":                                       {na: naIndirect},
	"invalid_crlissuer_test31":                                     {na: naIndirect},
	"invalid_crlissuer_test32":                                     {na: naIndirect},
	"valid_crlissuer_test33":                                       {na: naIndirect},
	"invalid_crlissuer_test34":                                     {na: naIndirect},
	"invalid_crlissuer_test35":                                     {na: naIndirect},
	"invalid_deltacrlindicator_no_base_set_test1":                  {ind: Indeterminate, sub: TryLater},
	"valid_deltacrl_test2":                                         {ind: TotalPassed},
	"invalid_deltacrl_test3":                                       {ind: TotalFailed, sub: Revoked},
	"invalid_deltacrl_test4":                                       {na: naDelta},
	"valid_deltacrl_test5":                                         {na: naDelta},
	"invalid_deltacrl_test6":                                       {na: naDelta},
	"valid_deltacrl_test7":                                         {ind: TotalPassed},
	"valid_deltacrl_test8":                                         {ind: TotalPassed},
	"invalid_deltacrl_test9":                                       {ind: TotalFailed, sub: Revoked},
	"invalid_deltacrl_test10":                                      {ind: Indeterminate, sub: TryLater},
	"valid_unknown_not_critical_certificate_extension_test1":       {ind: TotalPassed},
	"invalid_unknown_critical_certificate_extension_test2":         {ind: Indeterminate, sub: ChainConstraintsFailure},
}

// agrees checks an expectation of the table against the corpus's own expected class, so
// that the table cannot call a PKITS failure a pass (or the reverse).
func agrees(class string, e pkitsExpect) bool {
	switch class {
	case "valid":
		return e.ind == TotalPassed
	case "RevokedError":
		return (e.ind == TotalFailed && e.sub == Revoked) || (e.ind == Indeterminate && e.sub == RevokedCANoPOE)
	case "InsufficientRevinfoError", "StaleRevinfoError":
		return e.ind == Indeterminate && e.sub == TryLater
	case "PathValidationError":
		switch e.sub {
		case NoCertificateChainFound, ChainConstraintsFailure, NotYetValid, OutOfBoundsNoPOE, CryptoConstraintsFailure:
			return e.ind != TotalPassed
		}
	}
	return false
}

// TestPKITS runs the certification-path and CRL cases of NIST PKITS through the package
// (read from testdata/corpus at test time) and checks each outcome against the table.
func TestPKITS(t *testing.T) {
	dir, cases := loadPKITS(t)
	seen := map[string]bool{}
	passed, notApplicable := 0, 0
	for _, c := range cases {
		seen[c.Name] = true
		want, ok := pkitsTable[c.Name]
		if !ok {
			t.Errorf("%s %s: not in the table", c.ID, c.Name)
			continue
		}
		class := "valid"
		if c.Error != nil {
			class = c.Error.Class
		}
		t.Run(c.ID+"_"+c.Name, func(t *testing.T) {
			r, refused, err := runPKITS(t, dir, c)
			if want.na != "" {
				notApplicable++
				if err != nil {
					t.Logf("not applicable (%s); cannot run: %v", want.na, err)
				} else {
					t.Logf("not applicable (%s); PKITS expects %s, outcome %s/%s", want.na, class, r.Indication, r.SubIndication)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !agrees(class, want) {
				t.Fatalf("the table's %s/%s contradicts the corpus class %s", want.ind, want.sub, class)
			}
			if r.Indication != want.ind || r.SubIndication != want.sub {
				t.Fatalf("got %s/%s (%v), want %s/%s; CRLs refused: %v", r.Indication, r.SubIndication, r.Summary, want.ind, want.sub, refused)
			}
			if class == "valid" && len(r.Certificate.Chain) != c.PathLen {
				t.Errorf("path of %d certificates, PKITS says %d", len(r.Certificate.Chain), c.PathLen)
			}
			if class == "StaleRevinfoError" && r.Summary.Key != MsgRevStale {
				t.Errorf("summary %v, want %s", r.Summary, MsgRevStale)
			}
			passed++
		})
	}
	for name := range pkitsTable {
		if !seen[name] {
			t.Errorf("table entry %s is not a PKITS case", name)
		}
	}
	t.Logf("PKITS: %d cases, %d passed, %d not applicable (listed with why in pkitsTable)", len(cases), passed, notApplicable)
}
