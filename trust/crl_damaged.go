package trust

import "fmt"

// IndexError is a stored CRL whose index file cannot be read: damaged, truncated, written
// by another version of this package, or not readable at all. Store.List lists such a CRL
// (CRLInfo.Problem), the revocation check reports it for the issuer it may belong to, and
// Store.Remove takes it out like any other.
type IndexError struct {
	// ID is the scope's identifier (what CRLInfo.ID carries and Store.Remove takes).
	ID string
	// Path is the index file.
	Path string
	// Err is what is wrong (matches os.ErrNotExist for a file removed meanwhile).
	Err error
}

// Error names the file and what is wrong, in English.
func (e *IndexError) Error() string {
	return fmt.Sprintf("stored CRL %s (%s) cannot be read: %s", e.ID, e.Path, errText(e.Err))
}

// Unwrap returns what is wrong.
func (e *IndexError) Unwrap() error { return e.Err }

// Problem is the reason as a message for CRLInfo.Problem (without the file's path).
func (e *IndexError) Problem() *Message {
	return &Message{Key: MsgCRLIndexDamaged, Args: []string{errText(e.Err)}}
}

// indexError wraps an error reading the index file at path.
func indexError(path string, err error) *IndexError {
	return &IndexError{ID: crlIDFromFile(path), Path: path, Err: err}
}

// damagedCRLInfo is what List says about a stored CRL it cannot read: its ID and why.
func damagedCRLInfo(e *IndexError) CRLInfo {
	return CRLInfo{ID: e.ID, Problem: e.Problem()}
}
