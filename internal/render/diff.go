package render

import (
	"image"
	"image/color"
	"image/draw"
)

// cell is the side, in pixels, of the squares the difference is counted in: changed
// squares next to each other make one region.
const cell = 8

// threshold is the smallest difference of a colour channel (0–255) that counts, so that
// anti-aliasing noise of the same drawing does not.
const threshold = 48

// Diff returns the regions where two renders of a page differ: boxes around adjacent
// changed areas, in the pixels of b. Images of different sizes differ everywhere.
func Diff(a, b *image.RGBA) []image.Rectangle {
	if a.Bounds().Size() != b.Bounds().Size() {
		return []image.Rectangle{image.Rect(0, 0, b.Bounds().Dx(), b.Bounds().Dy())}
	}
	w, h := b.Bounds().Dx(), b.Bounds().Dy()
	cw, ch := (w+cell-1)/cell, (h+cell-1)/cell
	changed := make([]bool, cw*ch)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if changed[(y/cell)*cw+x/cell] {
				continue
			}
			pa := a.PixOffset(a.Rect.Min.X+x, a.Rect.Min.Y+y)
			pb := b.PixOffset(b.Rect.Min.X+x, b.Rect.Min.Y+y)
			for c := 0; c < 4; c++ {
				d := int(a.Pix[pa+c]) - int(b.Pix[pb+c])
				if d > threshold || d < -threshold {
					changed[(y/cell)*cw+x/cell] = true
					break
				}
			}
		}
	}
	return regions(changed, cw, ch, w, h)
}

// regions joins changed cells that touch (also diagonally) into bounding boxes.
func regions(changed []bool, cw, ch, w, h int) []image.Rectangle {
	seen := make([]bool, len(changed))
	var out []image.Rectangle
	var stack []int
	for start, c := range changed {
		if !c || seen[start] {
			continue
		}
		box := image.Rectangle{}
		seen[start] = true
		stack = append(stack[:0], start)
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			cx, cy := i%cw, i/cw
			r := image.Rect(cx*cell, cy*cell, min((cx+1)*cell, w), min((cy+1)*cell, h))
			box = box.Union(r)
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := cx+dx, cy+dy
					if nx < 0 || ny < 0 || nx >= cw || ny >= ch {
						continue
					}
					j := ny*cw + nx
					if changed[j] && !seen[j] {
						seen[j] = true
						stack = append(stack, j)
					}
				}
			}
		}
		out = append(out, box)
	}
	return out
}

// Highlight is the colour regions are outlined in.
var Highlight = color.RGBA{R: 0xd0, G: 0x10, B: 0x10, A: 0xff}

// Outline returns a copy of img with each region framed (3 pixels wide, just outside
// the region where there is room) and lightly tinted.
func Outline(img *image.RGBA, regions []image.Rectangle) *image.RGBA {
	out := image.NewRGBA(img.Bounds())
	draw.Draw(out, out.Bounds(), img, img.Bounds().Min, draw.Src)
	tint := image.NewUniform(color.RGBA{R: 0x40, A: 0x40})
	frame := image.NewUniform(Highlight)
	const width = 3
	for _, r := range regions {
		r = r.Add(img.Bounds().Min)
		draw.Draw(out, r, tint, image.Point{}, draw.Over)
		o := r.Inset(-width).Intersect(out.Bounds())
		for _, side := range []image.Rectangle{
			image.Rect(o.Min.X, o.Min.Y, o.Max.X, o.Min.Y+width),
			image.Rect(o.Min.X, o.Max.Y-width, o.Max.X, o.Max.Y),
			image.Rect(o.Min.X, o.Min.Y, o.Min.X+width, o.Max.Y),
			image.Rect(o.Max.X-width, o.Min.Y, o.Max.X, o.Max.Y),
		} {
			draw.Draw(out, side, frame, image.Point{}, draw.Src)
		}
	}
	return out
}
