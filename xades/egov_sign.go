package xades

import (
	"archive/zip"
	"errors"
	"io"
	"os"
	"strings"

	"github.com/mynasign/mynasign/internal/atomicfile"
	"github.com/mynasign/mynasign/internal/tempfile"
)

// SignEGov signs an e-Gov package. in is the package folder, a zip holding it, or its
// kousei.xml; out is where the signed package goes (a folder for a folder, a zip for a
// zip) and must not exist. kousei.xml must list exactly the files present: a present
// file it does not list, or a listed file that is missing, is refused, as are
// sub-folders and links. The Signature (plain XMLDSig, formats.md §2b) is added as the
// last child of 署名情報 — after 構成情報 and after any earlier signature, which stays
// valid — with Reference 1 to #構成情報 (Canonical XML 1.0) and one reference per listed
// file over its raw bytes. The input is never modified; the output is written to a
// temporary folder or file, verified there, and renamed into place.
func SignEGov(in, out string, opts SignOptions) error {
	return signEGov(in, out, opts, egovStyle{})
}

// egovStyle holds variations of the e-Gov signature used by tests only.
type egovStyle struct {
	// rawInfoFragment writes Reference 1 as URI="#構成情報" instead of the percent-encoded
	// form formats.md prescribes: xmlsec1 (1.2.37) and the JDK's XMLDSig resolve a
	// same-document fragment without percent-decoding it, so only this spelling lets them
	// check the rest of the signature. mynasign's verifier accepts both spellings.
	rawInfoFragment bool
}

// signEGov is SignEGov with the variations of style.
func signEGov(in, out string, opts SignOptions, style egovStyle) error {
	algURI, err := opts.check()
	if err != nil {
		return err
	}
	if err := checkDistinct(in, out); err != nil {
		return err
	}
	pkg, err := openPackage(in)
	if err != nil {
		if m := packageMessage(err); m != nil {
			return newError(err, m.Key, m.Args...)
		}
		return err
	}
	defer pkg.close()

	doc, err := parseFull(string(pkg.kouseiData))
	if err != nil {
		key, args := parseErrorMessage(err)
		return newError(err, key, args...)
	}
	k, err := parseKousei(doc)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return e
		}
		return newError(err, MsgEGovStructure, err.Error())
	}
	if err := checkPackageFiles(pkg, k); err != nil {
		return err
	}

	id, err := newID(doc, "egov-sig-")
	if err != nil {
		return err
	}
	infoURI := "#" + fileURI(egovInfoID)
	if style.rawInfoFragment {
		infoURI = "#" + egovInfoID
	}
	render := egovRenderer(id, algURI, infoURI, k.listed, &opts)
	signed, err := signInTree(doc, k.sigInfo, 1+len(k.listed), render, id, pkg.files, &opts, algURI)
	if err != nil {
		return signError(err)
	}
	return writeSignedPackage(out, pkg, k.listed, signed, id)
}

// checkPackageFiles refuses a package whose files are not plain files inside the package
// folder, or are not exactly those kousei.xml lists.
func checkPackageFiles(pkg *egovPackage, k *kousei) error {
	if bad := pkg.files.unsafe(); len(bad) > 0 {
		return newError(errors.New("not a plain file"), MsgEGovNotPlainFile, bad[0])
	}
	if out := pkg.files.outside(); len(out) > 0 {
		// The zip would be copied with it, unsigned, next to the signed package.
		return newError(errors.New("zip entry outside the package folder"), MsgEGovOutside, out[0])
	}
	listed := map[string]bool{}
	for _, name := range k.listed {
		listed[name] = true
	}
	present := map[string]bool{}
	for _, name := range pkg.files.names() {
		present[name] = true
		if !listed[name] {
			return newError(errors.New("file not listed in kousei.xml"), MsgEGovUnlisted, name)
		}
	}
	for _, name := range k.listed {
		if !present[name] {
			return newError(errors.New("listed file missing"), MsgEGovMissing, name)
		}
	}
	return nil
}

// egovRenderer returns the renderer of the e-Gov Signature element id: SignedInfo with
// Reference 1 to infoURI (the 構成情報) and one reference per listed file, the signature
// value and the KeyInfo.
func egovRenderer(id, algURI, infoURI string, listed []string, opts *SignOptions) func(signatureParts) (string, error) {
	return func(parts signatureParts) (string, error) {
		var b strings.Builder
		b.WriteString(`<Signature xmlns="` + NSDSig + `" Id="` + escapeAttr(id) + `">`)
		b.WriteString(`<SignedInfo>`)
		b.WriteString(`<CanonicalizationMethod Algorithm="` + AlgC14N10 + `"/>`)
		b.WriteString(`<SignatureMethod Algorithm="` + algURI + `"/>`)
		b.WriteString(`<Reference URI="` + infoURI + `">`)
		b.WriteString(`<Transforms><Transform Algorithm="` + AlgC14N10 + `"/></Transforms>`)
		b.WriteString(`<DigestMethod Algorithm="` + AlgSHA256 + `"/><DigestValue>` + parts.digests[0] + `</DigestValue>`)
		b.WriteString(`</Reference>`)
		for i, name := range listed {
			b.WriteString(`<Reference URI="` + escapeAttr(fileURI(name)) + `">`)
			b.WriteString(`<DigestMethod Algorithm="` + AlgSHA256 + `"/><DigestValue>` + parts.digests[i+1] + `</DigestValue>`)
			b.WriteString(`</Reference>`)
		}
		b.WriteString(`</SignedInfo>`)
		b.WriteString(`<SignatureValue>` + parts.sigValue + `</SignatureValue>`)
		b.WriteString(keyInfoXML("", opts))
		b.WriteString(`</Signature>`)
		return b.String(), nil
	}
}

// writeSignedPackage writes the signed package to out, like the input (a zip or a
// folder) with kousei.xml replaced by signed, and checks the signature id in it before
// it is renamed into place.
func writeSignedPackage(out string, pkg *egovPackage, listed []string, signed []byte, id string) error {
	check := func(p string) error {
		tp, err := openPackage(p)
		if err != nil {
			return newError(err, MsgSignSelfCheck, err.Error())
		}
		defer tp.close()
		return selfCheck(tp.kouseiData, tp.files, id)
	}
	if pkg.zip != nil {
		return writeZipAtomic(out, pkg.zipFiles, &pkg.zip.Reader, signed, check)
	}
	files := map[string]func(io.Writer) error{KouseiName: func(w io.Writer) error {
		_, err := w.Write(signed)
		return err
	}}
	for _, name := range listed {
		files[name] = func(w io.Writer) error {
			if err := hashFile(pkg.files, name, w); err != nil {
				return newError(err, MsgDocUnreadable, err.Error())
			}
			return nil
		}
	}
	return writeDirAtomic(out, files, check)
}

// writeZipAtomic writes a copy of the zip zr with kousei.xml replaced by signed: every
// other entry is copied as it is (compressed bytes included), in the same order. The
// copy is checked before it is renamed into place.
func writeZipAtomic(out string, zf *zipFiles, zr *zip.Reader, signed []byte, check func(string) error) error {
	tmp, err := atomicfile.CreateTemp(out)
	if err != nil {
		return newError(err, MsgSignWrite, err.Error())
	}
	name := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			tempfile.Remove(name)
		}
	}()
	zw := zip.NewWriter(tmp)
	for _, f := range zr.File {
		if f != zf.kousei {
			if err := zw.Copy(f); err != nil {
				return newError(err, MsgSignWrite, err.Error())
			}
			continue
		}
		h := f.FileHeader
		h.CompressedSize64, h.UncompressedSize64, h.CRC32 = 0, 0, 0
		h.Extra = nil
		if h.Method != zip.Store {
			h.Method = zip.Deflate
		}
		w, err := zw.CreateHeader(&h)
		if err != nil {
			return newError(err, MsgSignWrite, err.Error())
		}
		if _, err := w.Write(signed); err != nil {
			return newError(err, MsgSignWrite, err.Error())
		}
	}
	if err := zw.Close(); err != nil {
		return newError(err, MsgSignWrite, err.Error())
	}
	if err := tmp.Sync(); err != nil {
		return newError(err, MsgSignWrite, err.Error())
	}
	if err := tmp.Close(); err != nil {
		return newError(err, MsgSignWrite, err.Error())
	}
	if err := check(name); err != nil {
		return err
	}
	if err := os.Chmod(name, 0o644); err != nil {
		return newError(err, MsgSignWrite, err.Error())
	}
	if err := atomicfile.Move(name, out, atomicfile.Options{NoReplace: true}); err != nil {
		return outputError(err, out)
	}
	ok = true
	return nil
}
