package pdf

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"strings"

	"github.com/mynasign/mynasign/internal/atomicfile"
	"github.com/mynasign/mynasign/internal/cms"
	"github.com/mynasign/mynasign/internal/tempfile"
	"github.com/mynasign/mynasign/trust"
)

// TimestampOptions configure TimestampFile.
type TimestampOptions struct {
	// Timestamper obtains the token (a tsp.Client in practice).
	Timestamper Timestamper
	// FieldName names the new field; empty picks "Timestamp1", "Timestamp2", ….
	FieldName string
	// Policy, when set, is used for the self-verification report.
	Policy *trust.Policy
}

// TimestampFile adds a PDF document time-stamp (ISO 32000-2 §12.8.5, ETSI.RFC3161) over
// the whole of in and writes the result to out, atomically, after verifying it: the
// archive time-stamp of PAdES B-LTA, which keeps the signatures before it and the
// validation data in the /DSS provable after their algorithms or certificates age. in is
// never modified.
func TimestampFile(ctx context.Context, in, out string, opts TimestampOptions) (*SignResult, error) {
	if opts.Timestamper == nil {
		return nil, errors.New("no time-stamping authority")
	}
	if err := sameFile(in, out); err != nil {
		return nil, err
	}
	stamped, field, err := stampFile(ctx, in, out, opts.Timestamper, opts.FieldName)
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			tempfile.Remove(stamped)
		}
	}()
	rep, err := selfVerify(ctx, stamped, out, field, opts.Policy, 0)
	if err != nil {
		return nil, err
	}
	if err := atomicfile.Move(stamped, out, atomicfile.Options{}); err != nil {
		return nil, err
	}
	ok = true
	return &SignResult{Output: out, Field: field, Report: rep}, nil
}

// stampInto adds a document time-stamp to the file at in (a temporary output) and returns
// the new temporary file, next to out.
func stampInto(ctx context.Context, in, out string, ts Timestamper) (string, error) {
	stamped, _, err := stampFile(ctx, in, out, ts, "")
	return stamped, err
}

// stampFile writes in plus a document time-stamp update to a new temporary file next to
// out, and returns its name and the new field's.
func stampFile(ctx context.Context, in, out string, ts Timestamper, fieldName string) (string, string, error) {
	fh, f, err := openInput(in)
	if err != nil {
		return "", "", err
	}
	defer fh.Close()
	prep, err := prepareStamp(f, fieldName)
	if err != nil {
		return "", "", err
	}
	tmp, err := atomicfile.CreateTemp(out)
	if err != nil {
		return "", "", err
	}
	name := tmp.Name()
	produce := func(digest []byte) ([]byte, error) {
		token, err := ts.StampDigest(ctx, crypto.SHA256, digest)
		if err != nil {
			return nil, fmt.Errorf("document time-stamp: %w", err)
		}
		return token, nil
	}
	_, _, err = prep.write(ctx, fh, f.size, tmp, produce, nil)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		tempfile.Remove(name)
		return "", "", err
	}
	return name, prep.field, nil
}

// prepareStamp plans a document time-stamp: an invisible signature field on the first
// page whose value is a /DocTimeStamp dictionary with placeholders.
func prepareStamp(f *File, fieldName string) (*prepared, error) {
	pages, fields, err := f.signable()
	if err != nil {
		return nil, err
	}
	if fieldName, err = freeFieldName(fields, fieldName, "Timestamp"); err != nil {
		return nil, err
	}
	inc, err := newIncrement(f)
	if err != nil {
		return nil, &ReadError{Err: err}
	}
	sigRef := inc.reserve()
	if err := inc.addSignatureField(fieldName, sigRef, Array{Int(0), Int(0), Int(0), Int(0)}, pages[0].ref, emptyAppearance(inc)); err != nil {
		return nil, err
	}
	hexLen := 2 * (cms.MaxTimestampSize + placeholderMargin)
	zeros := strings.Repeat("0", byteRangeWidth)
	inc.raw[sigRef.Num] = []byte("<</Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161" +
		"\n/ByteRange [0 " + zeros + " " + zeros + " " + zeros + "]" +
		"\n/Contents <" + strings.Repeat("0", hexLen) + ">>>")
	newline := false
	if c, ok := f.w.at(f.size - 1); !ok || (c != '\n' && c != '\r') {
		newline = true
	}
	return &prepared{f: f, inc: inc, sigRef: sigRef, field: fieldName, hexLen: hexLen, newline: newline}, nil
}
