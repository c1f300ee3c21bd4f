package render

import (
	"context"
	"errors"
	"fmt"
	"image"
)

// Comparison is one page as it was signed beside the page as it is now.
type Comparison struct {
	// Signed is the page in the signed revision; nil when that revision has no such page
	// (it was added later).
	Signed *Page
	// Now is the page in the file as it is.
	Now *Page
	// Regions are where the two differ, in the pixels of Now.Image (the whole page when
	// Signed is nil or its size changed); empty when they look the same.
	Regions []image.Rectangle
}

// Compare renders page of the signed revision (doc[:signedLen], the bytes a signature's
// ByteRange ends at) and of doc, both fitted into max by r, and finds where they differ.
func Compare(ctx context.Context, r Renderer, doc []byte, signedLen int64, page int, max image.Point) (*Comparison, error) {
	if signedLen <= 0 || signedLen > int64(len(doc)) {
		return nil, fmt.Errorf("render: signed revision of %d bytes in a file of %d", signedLen, len(doc))
	}
	now, err := r.Render(ctx, doc, page, max)
	if err != nil {
		return nil, fmt.Errorf("render: the file as it is: %w", err)
	}
	c := &Comparison{Now: now}
	signed, err := r.Render(ctx, doc[:signedLen], page, max)
	var pe *PageError
	switch {
	case errors.As(err, &pe):
		c.Regions = []image.Rectangle{now.Image.Bounds()}
		return c, nil
	case err != nil:
		return nil, fmt.Errorf("render: the signed revision: %w", err)
	}
	c.Signed = signed
	c.Regions = Diff(signed.Image, now.Image)
	return c, nil
}
