package xades

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/mynasign/mynasign/trust"
)

// e-Gov 電子申請 packages: a folder (usually zipped for submission) holding kousei.xml
// (構成管理XML) and the application files it lists. The signature is plain XMLDSig
// inside <署名情報>: one reference to #構成情報 (Canonical XML 1.0) and one per file, by
// relative file name, over the file's raw bytes.
//
// What mynasign relies on in kousei.xml (formats.md §2b; the rest of the schema is
// e-Gov's and is left alone): exactly one element 構成情報 with ID="構成情報", exactly
// one element 署名情報 that receives the Signature, and the package's file names as the
// text of the elements inside 構成情報 whose names end in ファイル名 (申請書ファイル名,
// 添付書類ファイル名, …).

// KouseiName is the name of the e-Gov package's structure file.
const KouseiName = "kousei.xml"

const (
	egovInfoName = "構成情報"
	egovSigName  = "署名情報"
	egovInfoID   = "構成情報"
	egovFileTail = "ファイル名"
)

// Limits for packages read from zips.
const (
	maxZipEntries = 10000
	maxPackage    = 1 << 30 // total uncompressed bytes
)

// kousei is the structure of a kousei.xml that mynasign uses.
type kousei struct {
	info    *node    // 構成情報
	sigInfo *node    // 署名情報
	listed  []string // file names listed in 構成情報, in document order
}

// parseKousei finds 構成情報 and 署名情報 and the listed file names.
func parseKousei(doc *document) (*kousei, error) {
	k := &kousei{}
	// Elements are counted by local name in any namespace: a reader that looks them up
	// by name alone (DOM's getElementsByTagName, a local-name() query) would otherwise
	// find a copy the verifier never looked at.
	var infos, sigInfos []*node
	walkElements(doc.root, func(n *node) bool {
		switch n.local {
		case egovInfoName:
			infos = append(infos, n)
		case egovSigName:
			sigInfos = append(sigInfos, n)
		}
		return true
	})
	if len(infos) > 1 {
		// Two 構成情報: one signed, one perhaps read by the application (wrapping).
		var paths []string
		for _, n := range infos {
			paths = append(paths, n.path())
		}
		return nil, newError(fmt.Errorf("%d elements %s", len(infos), egovInfoName), MsgEGovWrapped, strings.Join(paths, ", "))
	}
	if len(infos) != 1 {
		return nil, fmt.Errorf("no element %s", egovInfoName)
	}
	if len(sigInfos) != 1 {
		return nil, fmt.Errorf("%d elements %s (want exactly one)", len(sigInfos), egovSigName)
	}
	k.info, k.sigInfo = infos[0], sigInfos[0]
	if k.info.uri != "" || k.sigInfo.uri != "" {
		return nil, fmt.Errorf("%s or %s is in a namespace (%s)", egovInfoName, egovSigName, k.info.uri+k.sigInfo.uri)
	}
	if id, _ := k.info.attrValue("ID"); id != egovInfoID {
		return nil, fmt.Errorf("%s has no ID=%q", egovInfoName, egovInfoID)
	}
	for p := k.info; p != nil; p = p.parent {
		if p.is(NSDSig, "Signature") {
			return nil, fmt.Errorf("%s is inside a signature", egovInfoName)
		}
	}
	seen := map[string]bool{}
	var err error
	walkElements(k.info, func(n *node) bool {
		if n == k.info || !strings.HasSuffix(n.local, egovFileTail) {
			return true
		}
		name := strings.TrimSpace(n.text())
		if name == "" {
			return true
		}
		if e := checkPlainName(name); e != nil {
			err = fmt.Errorf("%s lists %q: %v", egovInfoName, name, e)
			return false
		}
		if strings.EqualFold(name, KouseiName) {
			err = fmt.Errorf("%s lists %s itself", egovInfoName, KouseiName)
			return false
		}
		if !seen[name] {
			seen[name] = true
			k.listed = append(k.listed, name)
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	return k, nil
}

// IsEGovKousei reports whether data looks like an e-Gov kousei.xml (構成管理XML): XML with
// one 構成情報 element carrying ID="構成情報" and one 署名情報 element. It is how the app
// recognizes e-Gov material by content.
func IsEGovKousei(data []byte) bool {
	if !bytes.Contains(data, []byte(egovInfoName)) {
		return false
	}
	doc, err := parseFull(string(data))
	if err != nil {
		return false
	}
	_, err = parseKousei(doc)
	return err == nil
}

// packageFiles gives access to the files of an e-Gov package other than kousei.xml.
type packageFiles interface {
	// open returns a file's bytes as a stream, by its name in the package folder
	// (fs.ErrNotExist when there is none, a *packageError when it is not a plain file
	// or too large). The stream fails rather than give more bytes than the package
	// allows, or, in a zip, other bytes than its directory declares.
	open(name string) (io.ReadCloser, error)
	// names lists the plain files of the package folder other than kousei.xml.
	names() []string
	// unsafe lists entries that are not plain files (folders, links, …).
	unsafe() []string
	// outside lists what a zip holds outside the package folder (files at the zip's root
	// or in another folder, by their top-level name): unpacking shows them next to the
	// package, and no signature of kousei.xml can cover them.
	outside() []string
}

// packageError is a package entry that must not be used.
type packageError struct {
	name string
	key  string
	ind  trust.Indication
	sub  trust.SubIndication
}

func (e *packageError) Error() string { return fmt.Sprintf("%s: %s", e.name, e.key) }

// dirFiles is a package folder on disk.
type dirFiles struct {
	dir     string
	plain   []string
	special []string
}

func openDirFiles(dir string) (*dirFiles, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	d := &dirFiles{dir: dir}
	clashes := nameClashes{}
	for _, e := range entries {
		if err := clashes.add(e.Name()); err != nil {
			return nil, err
		}
		if e.Name() == KouseiName {
			continue
		}
		if e.Type().IsRegular() {
			d.plain = append(d.plain, e.Name())
		} else {
			d.special = append(d.special, e.Name())
		}
	}
	return d, nil
}

func (d *dirFiles) open(name string) (io.ReadCloser, error) {
	if err := checkPlainName(name); err != nil {
		return nil, &packageError{name: name, key: MsgRefOutsidePackage, ind: trust.TotalFailed, sub: trust.FormatFailure}
	}
	p := filepath.Join(d.dir, name)
	fi, err := os.Lstat(p)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &packageError{name: name, key: MsgEGovNotPlainFile, ind: trust.TotalFailed, sub: trust.FormatFailure}
	}
	if fi.Size() > maxPackage {
		return nil, &packageError{name: name, key: MsgEGovTooLarge, ind: trust.Indeterminate, sub: trust.FormatFailure}
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	// The opened file must still be the plain file that was checked (no swap for a link).
	if fi2, err := f.Stat(); err != nil || !os.SameFile(fi, fi2) {
		f.Close()
		return nil, &packageError{name: name, key: MsgEGovNotPlainFile, ind: trust.TotalFailed, sub: trust.FormatFailure}
	}
	return &cappedFile{f: f, name: name, left: maxPackage}, nil
}

// cappedFile reads a package file within the package limit: a file that has grown past
// maxPackage since it was checked fails while it is read, instead of being hashed whole.
type cappedFile struct {
	f    *os.File
	name string
	left int64
}

func (c *cappedFile) Read(p []byte) (int, error) {
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.f.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return 0, &packageError{name: c.name, key: MsgEGovTooLarge, ind: trust.Indeterminate, sub: trust.FormatFailure}
	}
	return n, err
}

func (c *cappedFile) Close() error { return c.f.Close() }

// hashFile writes a package file to w (a hash, or a copy) as a stream: memory does not
// grow with the file's size.
func hashFile(files packageFiles, name string, w io.Writer) error {
	rc, err := files.open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	if _, err := io.Copy(w, rc); err != nil {
		return err
	}
	return nil
}

func (d *dirFiles) names() []string   { return d.plain }
func (d *dirFiles) unsafe() []string  { return d.special }
func (d *dirFiles) outside() []string { return nil }

// zipFiles is a package inside a zip: the folder holding kousei.xml (the zip's root or
// one top-level folder).
type zipFiles struct {
	base    string // "" or "folder/"
	files   map[string]*zip.File
	plain   []string
	special []string
	out     []string
	kousei  *zip.File
}

func openZipFiles(zr *zip.Reader) (*zipFiles, error) {
	if len(zr.File) > maxZipEntries {
		return nil, fmt.Errorf("the zip has %d entries (limit %d)", len(zr.File), maxZipEntries)
	}
	z := &zipFiles{files: map[string]*zip.File{}}
	var kouseis []string
	var total uint64
	clashes := nameClashes{}
	for _, f := range zr.File {
		name := f.Name
		if err := checkZipName(name); err != nil {
			return nil, &packageError{name: name, key: MsgEGovUnsafeEntry, ind: trust.TotalFailed, sub: trust.FormatFailure}
		}
		if _, dup := z.files[name]; dup {
			return nil, &packageError{name: name, key: MsgEGovUnsafeEntry, ind: trust.TotalFailed, sub: trust.FormatFailure}
		}
		if err := clashes.add(name); err != nil {
			return nil, err
		}
		z.files[name] = f
		total += f.UncompressedSize64
		if path.Base(name) == KouseiName && !strings.HasSuffix(name, "/") {
			kouseis = append(kouseis, name)
		}
	}
	if total > maxPackage {
		return nil, fmt.Errorf("the zip holds %d MB (limit %d MB)", total>>20, maxPackage>>20)
	}
	if len(kouseis) != 1 {
		return nil, errNoKousei
	}
	z.kousei = z.files[kouseis[0]]
	if dir := path.Dir(kouseis[0]); dir != "." {
		z.base = dir + "/"
	}
	// Every entry is in the package folder (a plain file, or something else there, by its
	// name in the folder: a sub-folder counts once, with or without an entry of its own)
	// or outside it (by its top-level name: the zip's root or another folder); only the
	// folders that lead to the package folder are neither.
	special, outside := map[string]bool{}, map[string]bool{}
	for _, f := range zr.File {
		if f == z.kousei {
			continue
		}
		if !strings.HasPrefix(f.Name, z.base) {
			if strings.HasSuffix(f.Name, "/") && strings.HasPrefix(z.base, f.Name) {
				continue // a folder on the way to the package folder
			}
			top, _, _ := strings.Cut(f.Name, "/")
			if top != f.Name {
				top += "/"
			}
			if !outside[top] {
				outside[top] = true
				z.out = append(z.out, top)
			}
			continue
		}
		rest := f.Name[len(z.base):]
		first, _, nested := strings.Cut(rest, "/")
		switch {
		case rest == "":
		case nested || !f.Mode().IsRegular():
			if !special[first] {
				special[first] = true
				z.special = append(z.special, first)
			}
		default:
			z.plain = append(z.plain, rest)
		}
	}
	sort.Strings(z.plain)
	return z, nil
}

// checkZipName refuses entry names that could point outside the extraction folder.
func checkZipName(name string) error {
	if name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, "\\") || strings.Contains(name, "\x00") {
		return errors.New("unsafe name")
	}
	if len(name) >= 2 && name[1] == ':' {
		return errors.New("drive letter")
	}
	for _, part := range strings.Split(strings.TrimSuffix(name, "/"), "/") {
		if part == ".." || part == "." || part == "" {
			return errors.New("unsafe path element")
		}
	}
	return nil
}

var errNoKousei = errors.New("no single kousei.xml in the package")

// checkZipFileLayout runs checkZipLayout on the zip file at p.
func checkZipFileLayout(p string, files []*zip.File) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	return checkZipLayout(f, files)
}

// checkZipLayout checks that a zip holds its listed entries back to back from its first
// byte to its central directory, each local header naming the entry as the central
// directory does, with the same method and sizes. A reader that walks the local headers
// one after another (a streaming unzip, Java's ZipInputStream) then reads exactly the
// entries the central directory lists; otherwise it may read an entry the directory
// hides, such as a second, forged copy of a signed file.
func checkZipLayout(r io.ReaderAt, files []*zip.File) error {
	type entry struct {
		f    *zip.File
		data int64
	}
	list := make([]entry, 0, len(files))
	for _, f := range files {
		off, err := f.DataOffset()
		if err != nil {
			return &packageError{name: f.Name, key: MsgEGovZipLayout, ind: trust.TotalFailed, sub: trust.FormatFailure}
		}
		list = append(list, entry{f, off})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].data < list[j].data })
	bad := func(name string) error {
		return &packageError{name: name, key: MsgEGovZipLayout, ind: trust.TotalFailed, sub: trust.FormatFailure}
	}
	le16 := func(b []byte) int64 { return int64(b[0]) | int64(b[1])<<8 }
	le32 := func(b []byte) uint32 { return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24 }
	sigAt := func(pos int64, sig string) bool {
		var b [4]byte
		n, _ := r.ReadAt(b[:], pos)
		return n == 4 && string(b[:]) == sig
	}
	const localSig, centralSig, endSig, descSig = "PK\x03\x04", "PK\x01\x02", "PK\x05\x06", "PK\x07\x08"
	pos := int64(0)
	for i, e := range list {
		var h [30]byte
		if n, _ := r.ReadAt(h[:], pos); n != len(h) || string(h[:4]) != localSig {
			return bad(e.f.Name)
		}
		nameLen, extraLen := le16(h[26:]), le16(h[28:])
		if pos+30+nameLen+extraLen != e.data {
			return bad(e.f.Name)
		}
		name := make([]byte, nameLen)
		if n, _ := r.ReadAt(name, pos+30); int64(n) != nameLen || string(name) != e.f.Name {
			return bad(e.f.Name)
		}
		flags, method := le16(h[6:]), le16(h[8:])
		if method != int64(e.f.Method) || flags&8 != int64(e.f.Flags&8) {
			return bad(e.f.Name)
		}
		csize, usize := le32(h[18:]), le32(h[22:])
		if flags&8 == 0 && csize != 0xFFFFFFFF && usize != 0xFFFFFFFF &&
			(uint64(csize) != e.f.CompressedSize64 || uint64(usize) != e.f.UncompressedSize64) {
			return bad(e.f.Name)
		}
		end := e.data + int64(e.f.CompressedSize64)
		next := centralSig
		if i+1 < len(list) {
			next = localSig
		} else if len(files) == 0 {
			next = endSig
		}
		if flags&8 != 0 {
			// The data descriptor: an optional signature, the CRC and both sizes, in 32
			// or (zip64) 64 bits: whichever is followed by what comes next.
			lens := []int64{12, 20}
			if sigAt(end, descSig) {
				lens = []int64{16, 24}
			}
			found := false
			for _, l := range lens {
				if sigAt(end+l, next) {
					end, found = end+l, true
					break
				}
			}
			if !found {
				return bad(e.f.Name)
			}
		}
		pos = end
	}
	if len(list) > 0 && !sigAt(pos, centralSig) {
		return bad(list[len(list)-1].f.Name)
	}
	return nil
}

// sameFileKey is a name as the file systems a package is unpacked on compare it: Windows
// and macOS ignore case, macOS takes the NFC and NFD forms of a name for one, and
// Windows drops trailing dots and spaces. Two entries with one key are one file there.
func sameFileKey(name string) string {
	parts := strings.Split(strings.TrimSuffix(name, "/"), "/")
	for i, p := range parts {
		parts[i] = cases.Fold().String(norm.NFC.String(strings.TrimRight(p, ". ")))
	}
	return strings.Join(parts, "/")
}

// nameClashes remembers the names of a package by sameFileKey and reports the first
// two different names that are one file.
type nameClashes map[string]string

func (c nameClashes) add(name string) error {
	key := sameFileKey(name)
	if first, ok := c[key]; ok && first != name {
		return newError(fmt.Errorf("%q and %q are one file on Windows and macOS", first, name), MsgEGovNameClash, first, name)
	}
	c[key] = name
	return nil
}

func readZipFile(f *zip.File) ([]byte, error) {
	if f.UncompressedSize64 > maxPackage {
		return nil, &packageError{name: f.Name, key: MsgEGovTooLarge, ind: trust.Indeterminate, sub: trust.FormatFailure}
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, int64(f.UncompressedSize64)+1))
	if err != nil {
		return nil, err
	}
	if uint64(len(data)) != f.UncompressedSize64 {
		return nil, fmt.Errorf("%s: size does not match the zip directory", f.Name)
	}
	return data, nil
}

func (z *zipFiles) open(name string) (io.ReadCloser, error) {
	if err := checkPlainName(name); err != nil {
		return nil, &packageError{name: name, key: MsgRefOutsidePackage, ind: trust.TotalFailed, sub: trust.FormatFailure}
	}
	f, ok := z.files[z.base+name]
	if !ok {
		return nil, fs.ErrNotExist
	}
	if !f.Mode().IsRegular() {
		return nil, &packageError{name: name, key: MsgEGovNotPlainFile, ind: trust.TotalFailed, sub: trust.FormatFailure}
	}
	if f.UncompressedSize64 > maxPackage {
		return nil, &packageError{name: f.Name, key: MsgEGovTooLarge, ind: trust.Indeterminate, sub: trust.FormatFailure}
	}
	// archive/zip's entry reader fails on more bytes than the directory declares, on
	// fewer, and on a CRC-32 that does not match.
	return f.Open()
}

func (z *zipFiles) names() []string   { return z.plain }
func (z *zipFiles) unsafe() []string  { return z.special }
func (z *zipFiles) outside() []string { return z.out }

// checkEGovProfile checks an e-Gov signature: it sits in 署名情報, and its reference to
// #構成情報 resolved to the one 構成情報 element of kousei.xml (the element the e-Gov
// system reads), not to a copy moved elsewhere. It also compares the files signed with
// the files listed and present (differences are warnings and make the coverage
// partial).
func (v *docVerifier) checkEGovProfile(sig *node, refs []*reference, r *sigResult) *sigResult {
	k := v.egov
	if sig.parent != k.sigInfo {
		return r.set(trust.TotalFailed, trust.FormatFailure, trust.CheckEGovProfile, MsgEGovStructure, "the Signature is not inside "+egovSigName)
	}
	var infoRefs int
	signed := map[string]bool{}
	for _, ref := range refs {
		switch {
		case ref.file != "":
			signed[ref.file] = true
		case ref.apex != nil && ref.apex.kind == elementNode && ref.apex.uri == "" && ref.apex.local == egovInfoName:
			if ref.apex != k.info {
				return r.set(trust.TotalFailed, trust.FormatFailure, trust.CheckEGovProfile, MsgEGovWrapped, ref.apex.path())
			}
			infoRefs++
		}
	}
	if infoRefs != 1 {
		return r.set(trust.TotalFailed, trust.FormatFailure, trust.CheckEGovProfile, MsgEGovStructure, "the signature does not sign "+egovInfoName)
	}
	complete := true
	listed := map[string]bool{}
	for _, name := range k.listed {
		listed[name] = true
		if !signed[name] {
			complete = false
			r.warn(MsgEGovUnsignedFile, name)
		}
	}
	present := map[string]bool{}
	for _, name := range v.files.names() {
		present[name] = true
		if !listed[name] {
			complete = false
			r.warn(MsgEGovUnlisted, name)
		}
	}
	for _, name := range v.files.unsafe() {
		complete = false
		r.warn(MsgEGovNotPlainFile, name)
	}
	for _, name := range v.files.outside() {
		complete = false
		r.warn(MsgEGovOutside, name)
	}
	for _, name := range k.listed {
		if !present[name] && !signed[name] {
			r.warn(MsgEGovMissing, name)
		}
	}
	for _, ref := range refs {
		if ref.file != "" && !listed[ref.file] {
			complete = false
			r.warn(MsgEGovUnlisted, ref.file)
		}
	}
	if p := uncoveredKouseiContent(k, v.doc); p != "" {
		complete = false
		r.warn(MsgEGovUncovered, p)
	}
	if complete {
		r.rep.Coverage = trust.CoverageWhole
	}
	r.passed(trust.CheckEGovProfile, MsgCheckEGovOK)
	return nil
}

// uncoveredKouseiContent returns the first part of kousei.xml that no e-Gov signature
// covers ("" when none): anything besides 構成情報, the signatures in 署名情報 and the
// elements that merely contain them.
func uncoveredKouseiContent(k *kousei, doc *document) string {
	var found string
	var walk func(n *node)
	walk = func(n *node) {
		if found != "" || n == k.info || n.is(NSDSig, "Signature") {
			return
		}
		container := n == k.sigInfo || n.isAncestorOf(k.info) || n.isAncestorOf(k.sigInfo)
		if !container || len(n.attrs) > 0 {
			found = n.path()
			return
		}
		for _, c := range n.children {
			switch c.kind {
			case elementNode:
				walk(c)
			case textNode:
				if strings.TrimSpace(c.data) != "" {
					found = n.path()
				}
			}
		}
	}
	walk(doc.elem)
	return found
}

// VerifyEGov verifies an e-Gov package: path is the package folder, a zip holding it, or
// its kousei.xml. Every signature in kousei.xml is checked against the package's files.
func VerifyEGov(p string, policy *trust.Policy) *trust.DocumentReport {
	pkg, err := openPackage(p)
	if err != nil {
		rep := newDocReport(p, nil, "egov", policy)
		return finishDoc(rep, packageMessage(err))
	}
	defer pkg.close()
	return verifyPackage(p, pkg, policy)
}

func packageMessage(err error) *trust.Message {
	var pe *packageError
	var ee *Error
	switch {
	case errors.As(err, &ee):
		return &trust.Message{Key: ee.Key, Args: ee.Args}
	case errors.As(err, &pe):
		return &trust.Message{Key: pe.key, Args: []string{pe.name}}
	case errors.Is(err, errNoKousei):
		return &trust.Message{Key: MsgEGovNoKousei}
	}
	return &trust.Message{Key: MsgDocUnreadable, Args: []string{err.Error()}}
}

func verifyPackage(name string, pkg *egovPackage, policy *trust.Policy) *trust.DocumentReport {
	rep := newDocReport(name, pkg.kouseiData, "egov", policy)
	if len(pkg.kouseiData) > MaxXMLSize {
		return finishDoc(rep, &trust.Message{Key: MsgDocTooLarge, Args: []string{fmt.Sprint(MaxXMLSize >> 20)}})
	}
	doc, err := parseFull(string(pkg.kouseiData))
	if err != nil {
		key, args := parseErrorMessage(err)
		return finishDoc(rep, &trust.Message{Key: key, Args: args})
	}
	k, err := parseKousei(doc)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return finishDoc(rep, &trust.Message{Key: e.Key, Args: e.Args})
		}
		return finishDoc(rep, &trust.Message{Key: MsgEGovStructure, Args: []string{err.Error()}})
	}
	v := newDocVerifier(doc, pkg.files, k)
	results, errMsg := v.verifyAll()
	for _, r := range results {
		rep.Signatures = append(rep.Signatures, r.apply(policy))
	}
	return finishDoc(rep, errMsg)
}

// egovPackage is an opened package.
type egovPackage struct {
	kouseiData []byte
	files      packageFiles
	zip        *zip.ReadCloser // when read from a zip
	zipFiles   *zipFiles
	dir        string // when read from a folder
}

func (p *egovPackage) close() {
	if p.zip != nil {
		p.zip.Close()
	}
}

// openPackage opens a folder, a zip or a kousei.xml (its folder is the package).
func openPackage(p string) (*egovPackage, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		head := make([]byte, 4)
		if f, err := os.Open(p); err == nil {
			io.ReadFull(f, head)
			f.Close()
		}
		if bytes.Equal(head, []byte("PK\x03\x04")) || bytes.Equal(head, []byte("PK\x05\x06")) {
			zr, err := zip.OpenReader(p)
			if err != nil {
				return nil, err
			}
			zf, err := openZipFiles(&zr.Reader)
			if err == nil {
				err = checkZipFileLayout(p, zr.File)
			}
			if err != nil {
				zr.Close()
				return nil, err
			}
			if zf.kousei.UncompressedSize64 > MaxXMLSize {
				// Refused before it is inflated, as kousei.xml in a folder is.
				zr.Close()
				return nil, newError(nil, MsgDocTooLarge, fmt.Sprint(MaxXMLSize>>20))
			}
			data, err := readZipFile(zf.kousei)
			if err != nil {
				zr.Close()
				return nil, err
			}
			return &egovPackage{kouseiData: data, files: zf, zip: zr, zipFiles: zf}, nil
		}
		p = filepath.Dir(p)
	}
	kp := filepath.Join(p, KouseiName)
	kfi, err := os.Lstat(kp)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errNoKousei
	}
	if err != nil {
		return nil, err
	}
	if !kfi.Mode().IsRegular() {
		return nil, &packageError{name: KouseiName, key: MsgEGovNotPlainFile}
	}
	if kfi.Size() > MaxXMLSize {
		return nil, newError(nil, MsgDocTooLarge, fmt.Sprint(MaxXMLSize>>20))
	}
	data, err := os.ReadFile(kp)
	if err != nil {
		return nil, err
	}
	df, err := openDirFiles(p)
	if err != nil {
		return nil, err
	}
	return &egovPackage{kouseiData: data, files: df, dir: p}, nil
}
