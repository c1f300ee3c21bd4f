// Package pdf signs PDF documents by incremental update — PAdES baseline B-B
// (ETSI.CAdES.detached) and the Legal Affairs Bureau registry profile
// (adbe.pkcs7.detached) — and verifies PDF signatures: byte-range sanity, CMS integrity,
// coverage, the difference analysis of every later revision, and (through package
// trust) the signer's certificate and its revocation.
//
// The package reads PDFs with its own lazy cross-reference reader, so that a 200 MB
// file costs little memory, and builds the signature dictionary, the CMS SignedData and
// the incremental update itself. It takes a crypto.Signer and certificates: it does not
// know about cards.
//
// # Bounds of the change analysis
//
// Every revision after a signature is compared with the one before it. The objects a
// revision does not redefine are shared with the earlier revisions (each object is
// parsed once per location; finding an object's entry at a revision is a binary search
// over the revisions that list it), and only the graphs of the revisions being compared
// are kept, so memory grows with the file, not with revisions × objects. Each comparison still
// walks what the two revisions reach, so the work is revisions × objects. Two bounds
// keep it to seconds (graph.go):
//
//   - at most 10,000 revisions after a signature are compared (maxComparedRevisions);
//   - at most 2^21 objects are walked over all the revision graphs of one file
//     (maxGraphWork; e.g. 4,000 revisions of a 400-object document, or 350 of a
//     6,000-object one).
//
// Past either bound the revisions left are not compared: the signature is INDETERMINATE
// (FORMAT_FAILURE) with pdf.sig.changes_not_analysed, its changes list ends with the
// revisions not compared (pdf.change.not_analysed), and it is never TOTAL-PASSED. It is
// not TOTAL-FAILED for that reason alone; a change that is not permitted in a revision
// that was compared still fails it. A file of more than 65,536 cross-reference sections
// (maxSections), or whose sections together list more than two entries per byte of the
// file plus a million (maxEntries), is not read at all: it is unreadable.
//
// Each signature lists the changes of every later revision, so a file of many
// signatures and many revisions would list signatures × revisions changed objects. One
// report lists at most 65,536 (maxListedChanges); past that a signature's list keeps the
// first change that is not permitted and ends with a count of the others
// (pdf.change.not_listed). Verdicts always weigh every change compared.
package pdf
