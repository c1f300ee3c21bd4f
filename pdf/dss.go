package pdf

import "crypto/x509"

// maxDSSCertificates bounds how many /DSS certificates are read.
const maxDSSCertificates = 500

// dssCertificates returns the certificates of the document security store (/DSS /Certs,
// ISO 32000-2 §12.8.4.3) as of revision rev, those that parse. A signer certificate
// found only there is the signer's all the same: the signature value verifies with it
// or not. Trust never comes from it.
func (f *File) dssCertificates(rev int) []*x509.Certificate {
	cat, _, err := f.Catalog(rev)
	if err != nil {
		return nil
	}
	dss, ok, err := f.dictAt(rev, cat.Get("DSS"))
	if err != nil || !ok {
		return nil
	}
	arr, err := f.deref(rev, dss.Get("Certs"))
	if err != nil {
		return nil
	}
	list, _ := arr.(Array)
	var out []*x509.Certificate
	for i, o := range list {
		if i == maxDSSCertificates {
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
		data, err := f.decodeStream(st, 1<<20)
		if err != nil {
			continue
		}
		if c, err := x509.ParseCertificate(data); err == nil {
			out = append(out, c)
		}
	}
	return out
}
