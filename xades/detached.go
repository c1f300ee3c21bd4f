package xades

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/mynasign/mynasign/trust"
)

// Detached references of a plain XML document: a Reference whose URI is a relative file
// name (URI="data.bin") signs that file, which XMLDSig resolves against the document's
// location. mynasign follows such a reference only to a file directly in the folder of
// the verified file: the URI must be a plain name (no folder, "..", absolute path,
// drive, scheme, query or fragment; the checks of the e-Gov package files), and the file
// is opened through an os.Root of that folder, so no link leads outside it. Anything else
// stays unfollowed (INDETERMINATE, MsgRefExternal): it proves nothing about the signature.

// VerifyFile verifies the XML document read from path (data is its content) like
// Verify, and also resolves detached references to files next to it, inside its folder.
func VerifyFile(path string, data []byte, policy *trust.Policy) *trust.DocumentReport {
	root, err := os.OpenRoot(filepath.Dir(path))
	if err != nil {
		return verifyDocument(path, data, policy, nil)
	}
	defer root.Close()
	return verifyDocument(path, data, policy, &siblingFiles{root: root})
}

// siblingFiles are the files of the verified file's folder (packageFiles).
type siblingFiles struct {
	root *os.Root
}

func (s *siblingFiles) open(name string) (io.ReadCloser, error) {
	unfollowed := &packageError{name: name, key: MsgRefExternal, ind: trust.Indeterminate, sub: trust.SignedDataNotFound}
	if checkPlainName(name) != nil {
		return nil, unfollowed
	}
	f, err := s.root.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err != nil {
		return nil, unfollowed // a link out of the folder, a file we may not read, …
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, unfollowed
	}
	if fi.Size() > maxPackage {
		f.Close()
		return nil, &packageError{name: name, key: MsgEGovTooLarge, ind: trust.Indeterminate, sub: trust.FormatFailure}
	}
	return f, nil
}

// readPackageFile reads a whole file of files, for the transforms that need its bytes
// (a digest without transforms streams it instead), at most maxPackage bytes.
func readPackageFile(files packageFiles, name string) ([]byte, error) {
	r, err := files.open(name)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, maxPackage+1))
	if err == nil && len(data) > maxPackage {
		return nil, &packageError{name: name, key: MsgEGovTooLarge, ind: trust.Indeterminate, sub: trust.FormatFailure}
	}
	return data, err
}

func (s *siblingFiles) names() []string  { return nil }
func (s *siblingFiles) unsafe() []string { return nil }

// outside is empty: a loose file's folder is not a package.
func (s *siblingFiles) outside() []string { return nil }
