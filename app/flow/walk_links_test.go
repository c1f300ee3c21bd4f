package flow

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/mynasign/mynasign/trust"
)

// TestWalkNeverLeavesTheChosenFolder: a symbolic link inside a chosen folder is followed
// only when it leads to something inside that folder. A link to a file or a folder
// elsewhere, or up to the folder's parent, gets a report saying so, and nothing outside
// is read; a path the user names explicitly is followed even when it is a link.
func TestWalkNeverLeavesTheChosenFolder(t *testing.T) {
	outside := t.TempDir()
	writeFile(t, filepath.Join(outside, "secret.txt"), "T:pass")
	writeFile(t, filepath.Join(outside, "docs", "other.txt"), "T:pass")

	base := t.TempDir()
	root := filepath.Join(base, "chosen")
	writeFile(t, filepath.Join(root, "a.txt"), "T:pass")
	writeFile(t, filepath.Join(root, "sub", "b.txt"), "T:pass")
	writeFile(t, filepath.Join(base, "sibling.txt"), "T:pass")
	links := map[string]string{ // link → target
		"to-file":         filepath.Join(outside, "secret.txt"),
		"to-folder":       filepath.Join(outside, "docs"),
		"sub/up":          "../..",             // the chosen folder's parent
		"sub/sibling.txt": "../../sibling.txt", // relative, out of the folder
		"inside.txt":      "a.txt",             // stays inside: followed
		"sub/back":        "..",                // inside (a loop): not walked twice
	}
	for l, target := range links {
		if err := os.Symlink(target, filepath.Join(root, l)); err != nil {
			t.Fatal(err)
		}
	}
	opts := BatchOptions{Policy: testPolicy(t), Verifiers: []Verifier{textVerifier(nil, nil)}}
	res, err := VerifyBatch(context.Background(), []string{root}, opts)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]*trust.DocumentReport{}
	for _, r := range res.Reports {
		rel, _ := filepath.Rel(root, r.File)
		got[filepath.ToSlash(rel)] = r
	}
	for _, name := range []string{"a.txt", "inside.txt", "sub/b.txt"} {
		if r := got[name]; r == nil || StatusOf(r) != DocPassed {
			t.Errorf("%s: %+v", name, r)
		}
	}
	for _, name := range []string{"to-file", "to-folder", "sub/up", "sub/sibling.txt"} {
		if r := got[name]; r == nil || r.Error == nil || r.Error.Key != MsgBatchLinkOutside {
			t.Errorf("%s: %+v, want the error %s", name, r, MsgBatchLinkOutside)
		}
	}
	if len(res.Reports) != 7 {
		var names []string
		for n := range got {
			names = append(names, n)
		}
		t.Errorf("%d reports: %v", len(res.Reports), names)
	}

	// Named explicitly, a link is the user's choice.
	res, err = VerifyBatch(context.Background(), []string{filepath.Join(root, "to-folder")}, opts)
	if err != nil || len(res.Reports) != 1 || StatusOf(res.Reports[0]) != DocPassed {
		t.Fatalf("a linked folder named explicitly: %v %+v", err, res.Reports)
	}
}
