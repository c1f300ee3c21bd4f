package trust

import (
	"strings"
)

// Hidden replaces personal data in a masked report.
const Hidden = "***"

// MaskPersonalData returns a copy of r without the signers' personal data, wherever a
// report carries it:
//
//   - Signer: name, address, birth date and era, sex are removed and the subject (which
//     names the holder's prefecture and municipality) reads Hidden;
//   - Certificate: the signer's entry of Chain (its subject) and every
//     CRLDistributionPoints name (a JPKI signature certificate's CRL partition is the
//     holder's municipality) read Hidden, except one that is the issuer's name itself;
//   - Revocation: the scope of a partition CRL (a municipality's distribution point) and
//     the name of the file it came from read Hidden ("whole" scopes are kept);
//   - SignerClaims (the signer's own /Reason, /Location, /ContactInfo, free text that may
//     name a person, a place or a telephone number) read Hidden;
//   - every message argument (summaries, check details, warnings, changes, the error)
//     that contains any of the above, or the prefecture or municipality alone, reads
//     Hidden.
//
// What identifies the document, the certificate (serial, issuer, fingerprint) and the
// CRL (issuer, number, hash, dates) is kept. r itself is not changed. This is the one
// masking function: lists, the CLI's JSON and CSV and the printable records without
// personal data all go through it.
func MaskPersonalData(r *DocumentReport) *DocumentReport {
	if r == nil {
		return nil
	}
	m := masker{personal: personalStrings(r)}
	c := *r
	c.Summary = m.mask(r.Summary)
	if r.Error != nil {
		e := m.mask(*r.Error)
		c.Error = &e
	}
	if r.Signatures != nil {
		c.Signatures = make([]SignatureReport, len(r.Signatures))
	}
	for i, s := range r.Signatures {
		c.Signatures[i] = m.maskSignature(s)
	}
	return &c
}

// masker hides the message arguments that contain one of a report's personal strings.
type masker struct {
	personal []string
}

// mask returns m with every argument that contains a personal string replaced by
// Hidden (a copy: m's arguments are not changed).
func (k masker) mask(m Message) Message {
	if len(m.Args) == 0 {
		return m
	}
	args := append([]string(nil), m.Args...)
	for i, a := range args {
		for _, p := range k.personal {
			if strings.Contains(a, p) {
				args[i] = Hidden
				break
			}
		}
	}
	m.Args = args
	return m
}

// maskAll masks each message of ms, into a new slice (nil stays nil).
func (k masker) maskAll(ms []Message) []Message {
	if ms == nil {
		return nil
	}
	out := make([]Message, len(ms))
	for i, m := range ms {
		out[i] = k.mask(m)
	}
	return out
}

// maskSignature returns s (a copy, sharing nothing that is masked) without the
// signer's personal data; see MaskPersonalData.
func (k masker) maskSignature(s SignatureReport) SignatureReport {
	s.Summary = k.mask(s.Summary)
	s.Warnings = k.maskAll(s.Warnings)
	if s.Timestamps != nil {
		ts := make([]TimestampReport, len(s.Timestamps))
		for j, e := range s.Timestamps {
			e.Summary = k.mask(e.Summary)
			ts[j] = e
		}
		s.Timestamps = ts
	}
	if s.Checks != nil {
		checks := make([]Check, len(s.Checks))
		for j, ch := range s.Checks {
			ch.Detail = k.mask(ch.Detail)
			checks[j] = ch
		}
		s.Checks = checks
	}
	if s.ChangesAfterSigning.Objects != nil {
		objs := make([]ChangedObject, len(s.ChangesAfterSigning.Objects))
		for j, o := range s.ChangesAfterSigning.Objects {
			o.Why = k.mask(o.Why)
			objs[j] = o
		}
		s.ChangesAfterSigning.Objects = objs
	}
	if s.SignerClaims != nil {
		s.SignerClaims = &SignerClaims{Reason: hideText(s.SignerClaims.Reason), Location: hideText(s.SignerClaims.Location),
			ContactInfo: hideText(s.SignerClaims.ContactInfo)}
	}
	if s.Signer != nil {
		s.Signer = &Signer{Subject: Hidden, Test: s.Signer.Test,
			NameSubstituted: s.Signer.NameSubstituted, AddressSubstituted: s.Signer.AddressSubstituted}
	}
	if s.Certificate != nil {
		s.Certificate = maskCertificate(s.Certificate)
	}
	if s.Revocation != nil {
		rv := *s.Revocation
		if rv.CRLScope != "" && rv.CRLScope != "whole" {
			rv.CRLScope = Hidden
			if rv.CRLFile != "" {
				rv.CRLFile = Hidden
			}
		}
		s.Revocation = &rv
	}
	return s
}

// hideText returns Hidden for a non-empty v.
func hideText(v string) string {
	if v == "" {
		return ""
	}
	return Hidden
}

// maskCertificate returns a copy of orig with the signer's entry of the chain and every
// CRL distribution point but one naming the issuer itself reading Hidden.
func maskCertificate(orig *CertificateInfo) *CertificateInfo {
	ci := *orig
	if len(ci.Chain) > 0 {
		ci.Chain = append([]string{Hidden}, ci.Chain[1:]...)
	}
	if len(ci.CRLDistributionPoints) > 0 {
		ci.CRLDistributionPoints = make([]string, len(orig.CRLDistributionPoints))
		for j, dp := range orig.CRLDistributionPoints {
			ci.CRLDistributionPoints[j] = Hidden
			if issuerNamed(&ci, dp) {
				ci.CRLDistributionPoints[j] = dp
			}
		}
	}
	return &ci
}

// personalStrings lists what a report holds about its signers' persons: name, address,
// birth date, certificate subject, the CRL distribution points and a partition CRL's
// scope, and the places these name (the subject's localities: prefecture and
// municipality; a distribution point's municipality).
func personalStrings(r *DocumentReport) []string {
	var out []string
	add := func(s string) {
		// A very short value ("", a stray letter) would hide unrelated text.
		if len([]rune(strings.TrimSpace(s))) >= 2 {
			out = append(out, s)
		}
	}
	for _, s := range r.Signatures {
		if sg := s.Signer; sg != nil {
			for _, p := range []string{sg.Name, sg.Address, sg.BirthDate, sg.Subject} {
				add(p)
			}
			for _, v := range nameValues(sg.Subject, "L") {
				add(v)
			}
		}
		if ci := s.Certificate; ci != nil {
			if len(ci.Chain) > 0 {
				add(ci.Chain[0])
				for _, v := range nameValues(ci.Chain[0], "L") {
					add(v)
				}
			}
			for _, dp := range ci.CRLDistributionPoints {
				if issuerNamed(ci, dp) {
					continue
				}
				add(dp)
				for _, v := range nameValues(dp, "CN") {
					add(strings.TrimSuffix(v, " CRLDP"))
				}
			}
		}
		if rv := s.Revocation; rv != nil && rv.CRLScope != "whole" {
			for _, part := range strings.Split(rv.CRLScope, " | ") {
				add(part)
				for _, v := range nameValues(part, "CN") {
					add(strings.TrimSuffix(v, " CRLDP"))
				}
			}
		}
	}
	return out
}

// issuerNamed reports whether a distribution point is just the certificate's issuer name
// (a CA that publishes one CRL for all its certificates, as GPKI's demo CA does). The
// issuer is kept in a masked report, so hiding it elsewhere would protect nothing and only
// leave out which CRL to import.
func issuerNamed(ci *CertificateInfo, dp string) bool {
	return dp != "" && dp == ci.Issuer
}

// nameValues returns the values of the attributes of type typ ("L", "CN", …) in an
// RFC 4514 name string (as this package and crypto/x509/pkix write them: "," or "+"
// between attributes, "\" escapes, optional spaces after a separator).
func nameValues(name, typ string) []string {
	var out []string
	var attr strings.Builder
	flush := func() {
		k, v, ok := strings.Cut(attr.String(), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), typ) {
			out = append(out, strings.TrimSpace(v))
		}
		attr.Reset()
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '\\' && i+1 < len(name):
			if i+2 < len(name) && isHexDigit(name[i+1]) && isHexDigit(name[i+2]) {
				attr.WriteByte(unhex(name[i+1])<<4 | unhex(name[i+2]))
				i += 2
			} else {
				attr.WriteByte(name[i+1])
				i++
			}
		case c == ',' || c == '+':
			flush()
		default:
			attr.WriteByte(c)
		}
	}
	flush()
	return out
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
