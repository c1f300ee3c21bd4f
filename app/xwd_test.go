package app

import (
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"math/bits"
)

// decodeXWD reads an X Window Dump (the output of xwd) of a TrueColor window in
// ZPixmap format, as an X server with a 24- or 32-bit visual writes it.
func decodeXWD(b []byte) (image.Image, error) {
	if len(b) < 100 {
		return nil, fmt.Errorf("xwd: %d bytes, too short for a header", len(b))
	}
	be := binary.BigEndian
	h := make([]uint32, 25)
	for i := range h {
		h[i] = be.Uint32(b[i*4:])
	}
	var (
		headerSize   = h[0]
		version      = h[1]
		format       = h[2]
		width        = int(h[4])
		height       = int(h[5])
		byteOrder    = h[7]
		bitsPerPixel = int(h[11])
		bytesPerLine = int(h[12])
		visualClass  = h[13]
		masks        = [3]uint32{h[14], h[15], h[16]}
		ncolors      = int(h[19])
	)
	if version != 7 || format != 2 {
		return nil, fmt.Errorf("xwd: version %d format %d, want 7 and ZPixmap (2)", version, format)
	}
	if visualClass != 4 && visualClass != 5 { // TrueColor, DirectColor
		return nil, fmt.Errorf("xwd: visual class %d is not TrueColor", visualClass)
	}
	if bitsPerPixel != 32 && bitsPerPixel != 24 {
		return nil, fmt.Errorf("xwd: %d bits per pixel not supported", bitsPerPixel)
	}
	off := int(headerSize) + ncolors*12
	if width <= 0 || height <= 0 || off+height*bytesPerLine > len(b) {
		return nil, fmt.Errorf("xwd: %dx%d image does not fit in %d bytes", width, height, len(b))
	}
	img := image.NewNRGBA(image.Rect(0, 0, width, height))
	bpp := bitsPerPixel / 8
	comp := func(p, m uint32) uint8 {
		if m == 0 {
			return 0
		}
		v := (p & m) >> bits.TrailingZeros32(m)
		n := bits.OnesCount32(m)
		return uint8(v * 255 / (1<<n - 1))
	}
	for y := 0; y < height; y++ {
		row := b[off+y*bytesPerLine:]
		for x := 0; x < width; x++ {
			px := row[x*bpp : x*bpp+bpp]
			var p uint32
			if byteOrder == 0 { // LSBFirst
				for i := bpp - 1; i >= 0; i-- {
					p = p<<8 | uint32(px[i])
				}
			} else {
				for i := 0; i < bpp; i++ {
					p = p<<8 | uint32(px[i])
				}
			}
			img.SetNRGBA(x, y, color.NRGBA{comp(p, masks[0]), comp(p, masks[1]), comp(p, masks[2]), 0xff})
		}
	}
	return img, nil
}
