package render

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"image"
	"strings"
	"testing"
	"time"

	"github.com/mynasign/mynasign/internal/samplepdf"
)

// heavyPDF is a one-page PDF whose page fills the whole page a million times: small
// (its content is compressed), slow to draw.
func heavyPDF(t *testing.T) []byte {
	t.Helper()
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte(strings.Repeat("0.5 g 0 0 595 842 re f 1 g 10 10 575 822 re f\n", 1_000_000)))
	zw.Close()
	var b bytes.Buffer
	offs := []int{}
	obj := func(body string) {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offs), body)
	}
	b.WriteString("%PDF-1.7\n")
	obj("<</Type /Catalog /Pages 2 0 R>>")
	obj("<</Type /Pages /Kids [3 0 R] /Count 1>>")
	obj("<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R>>")
	offs = append(offs, b.Len())
	fmt.Fprintf(&b, "4 0 obj\n<</Length %d /Filter /FlateDecode>>\nstream\n", z.Len())
	b.Write(z.Bytes())
	b.WriteString("\nendstream\nendobj\n")
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f\r\n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n\r\n", o)
	}
	fmt.Fprintf(&b, "trailer\n<</Size %d /Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)
	return b.Bytes()
}

// TestSlowPageIsStopped: a page that takes longer than the call's deadline is stopped
// (its instance killed: the page takes far longer than 20 s to draw), and the renderer
// renders the next document as before.
func TestSlowPageIsStopped(t *testing.T) {
	// Started first: on a cold cache, compiling the module takes longer than the deadline.
	if _, err := renderer.Render(context.Background(), samplepdf.Make(samplepdf.Spec{}), 1, image.Pt(100, 100)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if _, err := renderer.Render(ctx, heavyPDF(t), 1, image.Pt(800, 800)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a page past its deadline: %v", err)
	}
	if _, err := renderer.Render(context.Background(), samplepdf.Make(samplepdf.Spec{}), 1, image.Pt(100, 100)); err != nil {
		t.Fatalf("after a stopped page: %v", err)
	}
}
