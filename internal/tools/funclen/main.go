// Command funclen lists the longest functions of the module outside tests, for make vet:
// every function longer than -report lines is listed, longest first, and the command
// fails when one is longer than -fail lines. Lines are counted from the func keyword to
// the closing brace; _test.go files, testdata/ and hidden folders are skipped.
//
//	go run ./internal/tools/funclen [-report 100] [-fail 150] [DIR]
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	report := flag.Int("report", 100, "list functions longer than this many lines")
	fail := flag.Int("fail", 150, "fail when a function is longer than this many lines")
	flag.Parse()
	root := "."
	if flag.NArg() > 0 {
		root = flag.Arg(0)
	}
	os.Exit(run(os.Stdout, os.Stderr, root, *report, *fail))
}

// run measures the functions under root and prints the report; it returns the exit code.
func run(stdout, stderr io.Writer, root string, report, fail int) int {
	funcs, err := Measure(root)
	if err != nil {
		fmt.Fprintln(stderr, "funclen:", err)
		return 2
	}
	over := 0
	for _, f := range funcs {
		if f.Lines <= report {
			break
		}
		mark := ""
		if f.Lines > fail {
			mark = "  (over the limit)"
			over++
		}
		fmt.Fprintf(stdout, "funclen: %4d lines  %s:%d  %s%s\n", f.Lines, f.File, f.Line, f.Name, mark)
	}
	if over > 0 {
		fmt.Fprintf(stderr, "funclen: %d function(s) longer than %d lines: split them\n", over, fail)
		return 1
	}
	return 0
}
