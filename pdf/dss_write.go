package pdf

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"os"
	"strings"

	"github.com/mynasign/mynasign/trust"
)

// appendDSS adds a document security store (ISO 32000-2 §12.8.4.3, PAdES B-LT) to the
// signed file out, size bytes long, in a further incremental update: the certificates
// and CRLs of vd as streams in /Certs and /CRLs, and a /VRI entry for the signature whose
// CMS is cms (keyed by the upper-case hex SHA-1 of the /Contents value) naming them.
func appendDSS(out *os.File, size int64, cms []byte, vd *trust.ValidationData) error {
	f, err := NewFile(out, size)
	if err != nil {
		return fmt.Errorf("reading the signed file back for the /DSS: %w", err)
	}
	inc, err := newIncrement(f)
	if err != nil {
		return err
	}
	cat, root, err := f.Catalog(f.Last())
	if err != nil {
		return fmt.Errorf("adding the /DSS: %w", err)
	}
	var certs, crls Array
	for _, c := range vd.Certs {
		certs = append(certs, inc.add(&Stream{Dict: Dict{}, Data: c.Raw}))
	}
	for _, der := range vd.CRLs {
		crls = append(crls, inc.add(&Stream{Dict: Dict{}, Data: der}))
	}
	vri := Dict{}
	vri.Set("Cert", certs)
	vri.Set("CRL", crls)
	sum := sha1.Sum(cms)
	vris := Dict{}
	vris.Set(Name(strings.ToUpper(hex.EncodeToString(sum[:]))), inc.add(vri))
	dss := Dict{}
	dss.Set("Type", Name("DSS"))
	dss.Set("Certs", certs)
	dss.Set("CRLs", crls)
	dss.Set("VRI", vris)
	cat = cat.Clone()
	cat.Set("DSS", inc.add(dss))
	inc.set(root, cat)
	ser, err := inc.serialize(size, 0, false)
	if err != nil {
		return err
	}
	if _, err := out.WriteAt(ser.data, size); err != nil {
		return fmt.Errorf("writing the /DSS: %w", err)
	}
	return nil
}
