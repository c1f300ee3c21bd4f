package pdf

import "crypto/x509"

// maxDSSEntries bounds how many entries of each /DSS array are read.
const maxDSSEntries = 500

// maxDSSEntrySize bounds one decoded /DSS stream (a JPKI CRL can be large).
const maxDSSEntrySize = 64 << 20

// dssStreams returns the decoded streams of the document security store's array key
// (/Certs, /CRLs or /OCSPs; ISO 32000-2 §12.8.4.3) as of revision rev, those that can be
// read.
func (f *File) dssStreams(rev int, key Name, limit int64) [][]byte {
	cat, _, err := f.Catalog(rev)
	if err != nil {
		return nil
	}
	dss, ok, err := f.dictAt(rev, cat.Get("DSS"))
	if err != nil || !ok {
		return nil
	}
	arr, err := f.deref(rev, dss.Get(key))
	if err != nil {
		return nil
	}
	list, _ := arr.(Array)
	var out [][]byte
	for i, o := range list {
		if i == maxDSSEntries {
			break
		}
		v, err := f.deref(rev, o)
		if err != nil {
			continue
		}
		st, ok := v.(*Stream)
		if !ok {
			continue
		}
		if data, err := f.decodeStream(st, limit); err == nil {
			out = append(out, data)
		}
	}
	return out
}

// dssCertificates returns the certificates of the /DSS (/Certs) as of revision rev, those
// that parse. A signer certificate found only there is the signer's all the same: the
// signature value verifies with it or not. Trust never comes from it.
func (f *File) dssCertificates(rev int) []*x509.Certificate {
	var out []*x509.Certificate
	for _, data := range f.dssStreams(rev, "Certs", 1<<20) {
		if c, err := x509.ParseCertificate(data); err == nil {
			out = append(out, c)
		}
	}
	return out
}

// dssRevocation returns the CRLs and OCSP responses of the /DSS as of revision rev (DER,
// unverified: trust.Policy verifies each against the issuer it is used for).
func (f *File) dssRevocation(rev int) (crls, ocsps [][]byte) {
	return f.dssStreams(rev, "CRLs", maxDSSEntrySize), f.dssStreams(rev, "OCSPs", 1<<20)
}
