// Command icongen draws mynasign's application icon (assets/icon.png): a card with a
// contact chip and a check-mark badge, drawn with geometric shapes and 4×4 supersampling.
// No third-party artwork is involved; re-run it after changing the shapes:
//
//	go run ./assets/icongen -o assets/icon.png
package main

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
)

const size = 512

// rgba is a straight-alpha colour with components in 0..1.
type rgba struct{ r, g, b, a float64 }

func hex(s string, a float64) rgba {
	var r, g, b uint8
	fmt.Sscanf(s, "#%02x%02x%02x", &r, &g, &b)
	return rgba{float64(r) / 255, float64(g) / 255, float64(b) / 255, a}
}

// shape reports whether the point (x, y) is inside, and the colour there.
type shape func(x, y float64) (rgba, bool)

func roundRect(x0, y0, x1, y1, rad float64, fill func(x, y float64) rgba) shape {
	return func(x, y float64) (rgba, bool) {
		if x < x0 || x > x1 || y < y0 || y > y1 {
			return rgba{}, false
		}
		cx := math.Max(x0+rad, math.Min(x, x1-rad))
		cy := math.Max(y0+rad, math.Min(y, y1-rad))
		if (x-cx)*(x-cx)+(y-cy)*(y-cy) > rad*rad {
			return rgba{}, false
		}
		return fill(x, y), true
	}
}

func circle(cx, cy, r float64, c rgba) shape {
	return func(x, y float64) (rgba, bool) {
		return c, (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r
	}
}

// stroke is a polyline of width w with round joins and caps.
func stroke(pts [][2]float64, w float64, c rgba) shape {
	return func(x, y float64) (rgba, bool) {
		for i := 0; i+1 < len(pts); i++ {
			if segDist(x, y, pts[i], pts[i+1]) <= w/2 {
				return c, true
			}
		}
		return rgba{}, false
	}
}

func segDist(x, y float64, a, b [2]float64) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := ((x-a[0])*dx + (y-a[1])*dy) / (dx*dx + dy*dy)
	t = math.Max(0, math.Min(1, t))
	px, py := a[0]+t*dx, a[1]+t*dy
	return math.Hypot(x-px, y-py)
}

func solid(c rgba) func(x, y float64) rgba { return func(float64, float64) rgba { return c } }

// over composites src over dst (straight alpha).
func over(dst, src rgba) rgba {
	a := src.a + dst.a*(1-src.a)
	if a == 0 {
		return rgba{}
	}
	mix := func(s, d float64) float64 { return (s*src.a + d*dst.a*(1-src.a)) / a }
	return rgba{mix(src.r, dst.r), mix(src.g, dst.g), mix(src.b, dst.b), a}
}

func layers() []shape {
	top, bottom := hex("#2563B8", 1), hex("#163F7A", 1)
	cardFill := func(_, y float64) rgba {
		t := (y - 100) / 300
		t = math.Max(0, math.Min(1, t))
		return rgba{top.r + (bottom.r-top.r)*t, top.g + (bottom.g-top.g)*t, top.b + (bottom.b-top.b)*t, 1}
	}
	gold, goldDark := hex("#F2C14E", 1), hex("#B8862A", 1)
	white := hex("#FFFFFF", 1)
	bar := hex("#FFFFFF", 0.55)
	green := hex("#1E8E3E", 1)
	return []shape{
		// shadow and card body
		roundRect(44, 112, 476, 424, 44, solid(hex("#000000", 0.18))),
		roundRect(36, 96, 468, 408, 44, cardFill),
		// contact chip with its contact lines
		roundRect(84, 164, 188, 248, 14, solid(gold)),
		roundRect(84, 199, 188, 205, 0, solid(goldDark)),
		roundRect(133, 164, 139, 248, 0, solid(goldDark)),
		// text lines
		roundRect(84, 292, 300, 312, 10, solid(bar)),
		roundRect(84, 334, 236, 354, 10, solid(bar)),
		// check-mark badge
		circle(382, 372, 106, hex("#163F7A", 1)),
		circle(382, 372, 92, white),
		stroke([][2]float64{{332, 374}, {368, 410}, {434, 338}}, 28, green),
	}
}

func main() {
	out := flag.String("o", "assets/icon.png", "output PNG file")
	flag.Parse()
	ls := layers()
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	const ss = 4
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var acc rgba
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					x := float64(px) + (float64(sx)+0.5)/ss
					y := float64(py) + (float64(sy)+0.5)/ss
					var c rgba
					for _, l := range ls {
						if lc, ok := l(x, y); ok {
							c = over(c, lc)
						}
					}
					// accumulate premultiplied
					acc.r += c.r * c.a
					acc.g += c.g * c.a
					acc.b += c.b * c.a
					acc.a += c.a
				}
			}
			n := float64(ss * ss)
			a := acc.a / n
			var col color.NRGBA
			if a > 0 {
				col = color.NRGBA{
					R: uint8(math.Round(acc.r / acc.a * 255)),
					G: uint8(math.Round(acc.g / acc.a * 255)),
					B: uint8(math.Round(acc.b / acc.a * 255)),
					A: uint8(math.Round(a * 255)),
				}
			}
			img.SetNRGBA(px, py, col)
		}
	}
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := png.Encode(f, img); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
