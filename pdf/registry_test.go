package pdf

import (
	"context"
	"testing"
)

func TestRegistryConformance(t *testing.T) {
	ok, okPath := signBytes(t, makePDF(t, docSpec{}), personaOptions(t, "valid", Registry))
	rep, err := CheckRegistryFile(context.Background(), okPath)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Passed || len(rep.Signatures) != 1 || len(rep.Signatures[0].Rows) != 6 {
		t.Fatalf("registry-profile output does not conform: %+v", rep)
	}
	_ = ok
	// A PAdES signature fails on SubFilter and Name, and says so row by row.
	_, padesPath := signBytes(t, makePDF(t, docSpec{}), personaOptions(t, "valid", PAdES))
	rep, err = CheckRegistryFile(context.Background(), padesPath)
	if err != nil {
		t.Fatal(err)
	}
	failed := map[string]bool{}
	for _, row := range rep.Signatures[0].Rows {
		if !row.Passed {
			failed[row.Key] = true
		}
	}
	if rep.Passed || !failed["SubFilter"] || !failed["Name"] || failed["Type"] || failed["M"] || failed["ByteRange"] || failed["Contents"] {
		t.Fatalf("PAdES file against the registry table: failed rows %v", failed)
	}
	// A later change: the signature no longer covers the whole file.
	later, _ := signBytes(t, ok, personaOptions(t, "blocked", Registry))
	rep, err = CheckRegistryFile(context.Background(), writeTemp(t, "later.pdf", later))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Passed || rep.Signatures[0].Rows[4].Key != "ByteRange" || rep.Signatures[0].Rows[4].Passed || !rep.Signatures[1].Passed {
		t.Fatalf("two registry signatures: %+v", rep.Signatures)
	}
	// A /Name that is not the certificate's: only the Name row fails.
	opts := personaOptions(t, "valid", Registry)
	opts.SignerName = "山田　次郎"
	_, renamed := signBytes(t, makePDF(t, docSpec{}), opts)
	rep, _ = CheckRegistryFile(context.Background(), renamed)
	for _, row := range rep.Signatures[0].Rows {
		if row.Passed == (row.Key == "Name") {
			t.Fatalf("wrong /Name: row %+v", row)
		}
		if row.Key == "Name" && row.Detail.Key != MsgRegNameMismatch {
			t.Fatalf("wrong /Name reported as %v", row.Detail)
		}
	}
	// An unsigned file.
	rep, _ = CheckRegistryFile(context.Background(), writeTemp(t, "unsigned.pdf", makePDF(t, docSpec{})))
	if rep.Passed || rep.Problem == nil || rep.Problem.Key != MsgRegNoSignature {
		t.Fatalf("unsigned: %+v", rep)
	}
}
