package render

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"io"
	"sync"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// memoryPages bounds the WebAssembly memory of one instance (64 KiB pages: 1 GiB).
const memoryPages = 16384

// workers is how many pages may render at once.
const workers = 2

// PDFium renders with PDFium compiled to WebAssembly. The runtime starts on the first
// Render (compiling the module takes a moment and some memory, which an app that never
// shows a preview does not pay); every Render then runs in a fresh instance, closed
// afterwards, so no state of one document reaches the next. The zero value is ready.
type PDFium struct {
	// CacheDir, when set, keeps the module's compiled code between runs (wazero's
	// compilation cache), which makes the first render of later runs much faster. It must
	// be a folder only the user can write (the user's cache folder). A cache that cannot
	// be used is left out.
	CacheDir string

	mu     sync.Mutex
	pool   pdfium.Pool
	cache  wazero.CompilationCache
	err    error
	closed bool
}

// start starts the runtime once; a failure is kept and returned from then on.
func (p *PDFium) start() (pdfium.Pool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, fmt.Errorf("render: renderer closed")
	}
	if p.pool != nil || p.err != nil {
		return p.pool, p.err
	}
	cfg := wazero.NewRuntimeConfig().
		WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
		WithMemoryLimitPages(memoryPages).
		WithCloseOnContextDone(true)
	if p.CacheDir != "" {
		if c, err := wazero.NewCompilationCacheWithDir(p.CacheDir); err == nil {
			p.cache = c
			cfg = cfg.WithCompilationCache(c)
		}
	}
	p.pool, p.err = webassembly.Init(webassembly.Config{
		MaxTotal:      workers,
		RuntimeConfig: cfg,
		FSConfig:      wazero.NewFSConfig(), // nothing mounted: PDFium sees no file
		Stdout:        io.Discard,
		Stderr:        io.Discard,
	})
	if p.err != nil {
		p.err = fmt.Errorf("render: starting PDFium: %w", p.err)
	}
	return p.pool, p.err
}

// Close stops the runtime if it was started. Render fails afterwards.
func (p *PDFium) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	var err error
	if p.pool != nil {
		err = p.pool.Close()
		p.pool = nil
	}
	if p.cache != nil {
		err = errors.Join(err, p.cache.Close(context.Background()))
		p.cache = nil
	}
	if err != nil {
		return fmt.Errorf("render: closing PDFium: %w", err)
	}
	return nil
}

// Render implements Renderer. A call past its context's deadline (DefaultTimeout when
// it has none) is stopped and returns the context's error.
func (p *PDFium) Render(ctx context.Context, doc []byte, page int, max image.Point) (*Page, error) {
	if len(doc) > MaxInput {
		return nil, ErrTooLarge
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultTimeout)
		defer cancel()
	}
	pool, err := p.start()
	if err != nil {
		return nil, err
	}
	inst, err := pool.GetInstanceWithContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("render: waiting for PDFium: %w", err)
	}
	type result struct {
		page *Page
		err  error
	}
	done := make(chan result, 1)
	go func() {
		pg, err := renderIn(inst, doc, page, fit(max))
		done <- result{pg, err}
	}()
	select {
	case r := <-done:
		inst.Close()
		return r.page, r.err
	case <-ctx.Done():
		// Kill cancels the instance's context: wazero stops the running call.
		inst.Kill()
		<-done
		return nil, fmt.Errorf("render: page %d: %w", page, ctx.Err())
	}
}

// renderIn opens doc in one instance and draws the page.
func renderIn(inst pdfium.Pdfium, doc []byte, page int, max image.Point) (*Page, error) {
	// PDFium reads its own copy: the caller's slice is never written.
	data := append([]byte(nil), doc...)
	opened, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
	if err != nil {
		return nil, fmt.Errorf("render: opening the document: %w", err)
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: opened.Document})
	count, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: opened.Document})
	if err != nil {
		return nil, fmt.Errorf("render: counting pages: %w", err)
	}
	if page < 1 || page > count.PageCount {
		return nil, &PageError{Page: page, Pages: count.PageCount}
	}
	res, err := inst.RenderPageInPixels(&requests.RenderPageInPixels{
		Page:   requests.Page{ByIndex: &requests.PageByIndex{Document: opened.Document, Index: page - 1}},
		Width:  max.X,
		Height: max.Y,
	})
	if err != nil {
		return nil, fmt.Errorf("render: page %d: %w", page, err)
	}
	defer res.Cleanup()
	src := res.Result.RenderedImage
	if src == nil {
		return nil, fmt.Errorf("render: page %d: no image", page)
	}
	// The pixels live in the instance's memory until Cleanup: copied out, on white
	// (a page without a background is transparent).
	b := src.Bounds()
	img := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(img, img.Bounds(), src, b.Min, draw.Over)
	// PointToPixelRatio is pixels per point, whatever its name says.
	ratio := res.Result.PointToPixelRatio
	if ratio <= 0 {
		return nil, fmt.Errorf("render: page %d: no scale", page)
	}
	return &Page{Image: img, Pages: count.PageCount,
		Width: float64(b.Dx()) / ratio, Height: float64(b.Dy()) / ratio}, nil
}
