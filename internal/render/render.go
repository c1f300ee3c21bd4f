// Package render draws PDF pages into images, for the GUI's page previews and its
// comparison of a signed revision with the file as it is now.
//
// Renderer is the seam: the GUI takes one, and PDFium (PDFium compiled to WebAssembly,
// run by wazero: pure Go, no cgo) is the implementation. The input is always a byte
// slice the caller read: the renderer never opens, writes or locks a file, and PDFium
// runs with no file system mounted at all. Hostile files are bounded: the input size,
// the image size, the WebAssembly memory and the time of each call are limited, and a
// call past its time is stopped by closing its WebAssembly instance.
package render

import (
	"context"
	"errors"
	"fmt"
	"image"
	"time"
)

// Limits bound one rendering.
const (
	// MaxInput is the largest document handed to the renderer, in bytes.
	MaxInput = 256 << 20
	// MaxPixels is the longest side of an image the renderer makes.
	MaxPixels = 4096
	// DefaultTimeout bounds a call whose context has no earlier deadline.
	DefaultTimeout = 20 * time.Second
)

// ErrTooLarge is returned for a document larger than MaxInput.
var ErrTooLarge = errors.New("render: document too large to preview")

// PageError says that a page number is not in the document.
type PageError struct {
	Page, Pages int // the page asked for (1-based) and the document's page count
}

func (e *PageError) Error() string {
	return fmt.Sprintf("render: page %d of a document of %d pages", e.Page, e.Pages)
}

// Page is one rendered page.
type Page struct {
	// Image is the page as shown (its /Rotate applied), fitted into the size asked for.
	Image *image.RGBA
	// Pages is the document's page count.
	Pages int
	// Width and Height are the page's size as shown, in points.
	Width, Height float64
}

// Renderer draws one page of a PDF given as bytes.
type Renderer interface {
	// Render draws page (1-based) of doc fitted into max (in pixels; each side at most
	// MaxPixels). doc is not modified or kept.
	Render(ctx context.Context, doc []byte, page int, max image.Point) (*Page, error)
}

// fit bounds the size asked for.
func fit(max image.Point) image.Point {
	if max.X <= 0 || max.X > MaxPixels {
		max.X = MaxPixels
	}
	if max.Y <= 0 || max.Y > MaxPixels {
		max.Y = MaxPixels
	}
	return max
}
