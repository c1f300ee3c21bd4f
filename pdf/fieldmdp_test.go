package pdf

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/mynasign/mynasign/trust"
)

// signLocked signs in with a FieldMDP transform that locks the given fields.
func signLocked(t *testing.T, in []byte, action, fields string) []byte {
	t.Helper()
	f, err := NewFile(bytes.NewReader(in), int64(len(in)))
	if err != nil {
		t.Fatal(err)
	}
	opts := personaOptions(t, "valid", PAdES)
	p, err := prepare(f, opts)
	if err != nil {
		t.Fatal(err)
	}
	lock := "/Type /Sig /Reference [<</Type /SigRef /TransformMethod /FieldMDP /TransformParams <</Type /TransformParams /Action /" +
		action + " /Fields [" + fields + "] /V /1.2>>>>]"
	p.inc.raw[p.sigRef.Num] = bytes.Replace(p.inc.raw[p.sigRef.Num], []byte("/Type /Sig"), []byte(lock), 1)
	out := filepath.Join(t.TempDir(), "locked.pdf")
	fh, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := p.write(context.Background(), bytes.NewReader(in), int64(len(in)), fh, p.signWith(context.Background(), opts), nil); err != nil {
		t.Fatal(err)
	}
	fh.Close()
	data, _ := os.ReadFile(out)
	return data
}

func TestFieldMDPLocks(t *testing.T) {
	pol := testPolicy(t)
	// makePDF with a text field: catalog 1, ..., the field "Name" is object 7 (link none).
	in := makePDF(t, docSpec{acroForm: "indirect", textField: true})
	fieldNum := -1
	f, _ := NewFile(bytes.NewReader(in), int64(len(in)))
	fields, _ := f.Fields(0)
	for _, fl := range fields {
		if fl.Name == "Name" {
			fieldNum = fl.Ref.Num
		}
	}
	if fieldNum < 0 {
		t.Fatal("no text field")
	}
	fill := func(signed []byte) []byte {
		body := serializeObj(t, signed, fieldNum, func(d Dict) Dict {
			d.Set("V", String{Bytes: []byte("Jiro")})
			return d
		})
		return appendUpdate(t, signed, map[int]string{fieldNum: body}, "")
	}
	for _, c := range []struct {
		action, fields string
		locked         bool
	}{
		{"Include", "(Name)", true},
		{"All", "", true},
		{"Exclude", "(Name)", false},
		{"Include", "(Other)", false},
	} {
		t.Run(c.action+c.fields, func(t *testing.T) {
			signed := signLocked(t, in, c.action, c.fields)
			requirePassed(t, verifyBytes(t, signed, pol), 1)
			rep := verifyBytes(t, fill(signed), pol)
			s := rep.Signatures[0]
			if c.locked {
				if s.Indication != trust.TotalFailed || s.ChangesAfterSigning.Level != trust.ChangesNotPermitted {
					t.Fatalf("filling a locked field: %s %+v", s.Indication, s.ChangesAfterSigning)
				}
				found := false
				for _, o := range s.ChangesAfterSigning.Objects {
					found = found || o.Why.Key == MsgChangeFieldLocked
				}
				if !found {
					t.Fatalf("no field_locked reason: %+v", s.ChangesAfterSigning.Objects)
				}
			} else if s.Indication != trust.TotalPassed || s.ChangesAfterSigning.Level != trust.ChangesPermitted {
				t.Fatalf("filling an unlocked field: %s %+v", s.Indication, s.ChangesAfterSigning)
			}
		})
	}
}
