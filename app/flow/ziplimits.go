package flow

import (
	"archive/zip"
	"errors"
	"fmt"
	"sort"
)

// Zip bombs: an archive that expands far beyond its own size. Because archive/zip
// refuses to give an entry more bytes than the central directory declares, the declared
// sizes bound what extraction writes; the batch checks them before it extracts anything,
// so that a bomb is refused at once and leaves nothing in the temporary folder:
//
//   - entries whose compressed data overlap (several directory entries naming one
//     body, the trick of non-recursive bombs) refuse the whole archive;
//   - so does a total of declared sizes beyond BatchOptions.MaxZipTotal;
//   - an entry larger than zipRatioFloor that declares more than maxZipRatio times its
//     compressed size is refused alone (deflate reaches about 1,000:1 on constant data;
//     documents — PDF, XML, images — stay far below 100:1).
const (
	defaultMaxZipTotal = 8 << 30
	maxZipRatio        = 200
	zipRatioFloor      = 16 << 20
)

// errZipBomb marks an archive or an entry refused by these limits.
var errZipBomb = errors.New("zip expands far beyond its size (zip bomb)")

// checkZipArchive applies the archive-wide limits to the entries of a zip.
func checkZipArchive(files []*zip.File, maxTotal int64) error {
	type span struct{ start, end int64 }
	spans := make([]span, 0, len(files))
	var total uint64
	for _, f := range files {
		total += f.UncompressedSize64
		if total > uint64(maxTotal) {
			return fmt.Errorf("%w: it declares more than %d bytes", errZipBomb, maxTotal)
		}
		start, err := f.DataOffset()
		if err != nil {
			continue // the entry's own read fails later, with its error
		}
		spans = append(spans, span{start, start + int64(f.CompressedSize64)})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	for i := 1; i < len(spans); i++ {
		// Two entries at one offset overlap unless both are empty.
		if spans[i].start < spans[i-1].end || (spans[i].start == spans[i-1].start && spans[i].end > spans[i].start) {
			return fmt.Errorf("%w: entries overlap", errZipBomb)
		}
	}
	return nil
}

// checkZipEntry applies the per-entry ratio limit.
func checkZipEntry(f *zip.File) error {
	u, c := f.UncompressedSize64, f.CompressedSize64
	if u > zipRatioFloor && u > maxZipRatio*max(c, 1) {
		return fmt.Errorf("%w: %d bytes from %d", errZipBomb, u, c)
	}
	return nil
}
