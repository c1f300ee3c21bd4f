package testenv

import (
	"bufio"
	"os"
)

// WriteTinyXML streams to path an XML document of about size bytes made of tiny
// elements (<a>x</a>, 8 bytes each, no white space between them) under one document
// element: the shape that costs a parsed tree the most per byte, for memory benchmarks.
func WriteTinyXML(path string, size int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<r>")
	for n := int64(0); n < size; n += 8 {
		w.WriteString("<a>x</a>")
	}
	w.WriteString("</r>\n")
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
