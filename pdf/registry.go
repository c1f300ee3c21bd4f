package pdf

import (
	"bytes"
	"context"
	"regexp"
	"strconv"

	"github.com/mynasign/mynasign/internal/cms"
	"github.com/mynasign/mynasign/trust"
)

// RegistryRow is one row of the registry profile's table (formats.md §1b) checked
// against one signature.
type RegistryRow struct {
	Key    string        `json:"key"`  // Type, SubFilter, Name, M, ByteRange, Contents
	Want   string        `json:"want"` // what the registry prescribes
	Got    string        `json:"got"`  // what the file has
	Passed bool          `json:"passed"`
	Detail trust.Message `json:"detail"`
}

// RegistrySignature is the table for one signature.
type RegistrySignature struct {
	Signature string        `json:"signature"` // the field name
	Rows      []RegistryRow `json:"rows"`
	Passed    bool          `json:"passed"`
}

// RegistryReport is the conformance of a file to the Legal Affairs Bureau registry
// profile: every signature against every row of the table. The registry gives no
// reason when it rejects a file, so this says which row fails.
type RegistryReport struct {
	File       string              `json:"file"`
	Signatures []RegistrySignature `json:"signatures"`
	Passed     bool                `json:"passed"`
	// Problem is set when there is nothing to check (unreadable file, no signature).
	Problem *trust.Message `json:"problem,omitempty"`
}

var registryDate = regexp.MustCompile(`^D:\d{14}\+09'00'$`)

// CheckRegistryFile checks the PDF at path against the registry profile.
func CheckRegistryFile(ctx context.Context, path string) (*RegistryReport, error) {
	a, err := analyzeFile(ctx, path, nil)
	if err != nil {
		return nil, err
	}
	r := &RegistryReport{File: path, Signatures: []RegistrySignature{}}
	if a.f == nil {
		r.Problem = &trust.Message{Key: MsgUnreadable}
		return r, nil
	}
	if len(a.sigs) == 0 {
		r.Problem = &trust.Message{Key: MsgRegNoSignature}
		return r, nil
	}
	r.Passed = true
	for _, s := range a.sigs {
		rs := RegistrySignature{Signature: s.rep.ID, Passed: true}
		add := func(key, want, got string, ok bool, detail string, args ...string) {
			if ok {
				detail, args = MsgRegOK, nil
			}
			rs.Rows = append(rs.Rows, RegistryRow{Key: key, Want: want, Got: got, Passed: ok, Detail: trust.Message{Key: detail, Args: args}})
			if !ok {
				rs.Passed = false
			}
		}
		d := s.dict
		// Type
		typ := NameOf(d.Get("Type"))
		if typ == "" {
			add("Type", "Sig", "", false, MsgRegMissing)
		} else {
			add("Type", "Sig", string(typ), typ == "Sig", MsgRegWrongValue, string(typ), "Sig")
		}
		// SubFilter
		add("SubFilter", "adbe.pkcs7.detached", string(s.subFilter), s.subFilter == "adbe.pkcs7.detached",
			MsgRegWrongValue, string(s.subFilter), "adbe.pkcs7.detached")
		// Name
		name, hasName := d.Get("Name").(String)
		certName := ""
		if s.cert != nil {
			if prof := trust.ParseJPKIProfile(s.cert); prof.Personal != nil {
				certName = prof.Personal.Name
			}
		}
		switch {
		case !hasName || name.Text() == "":
			add("Name", "the signer's name", "", false, MsgRegMissing)
		case certName == "":
			add("Name", "the signer's name", name.Text(), false, MsgRegNoCertName)
		default:
			add("Name", certName, name.Text(), name.Text() == certName, MsgRegNameMismatch, name.Text(), certName)
		}
		// M
		m, hasM := d.Get("M").(String)
		switch {
		case !hasM:
			add("M", "D:YYYYMMDDHHmmSS+09'00'", "", false, MsgRegMissing)
		default:
			add("M", "D:YYYYMMDDHHmmSS+09'00'", m.Text(), registryDate.MatchString(m.Text()), MsgRegDateFormat, m.Text())
		}
		// ByteRange
		brGot := ""
		if arr, ok := d.Get("ByteRange").(Array); ok {
			var b []byte
			appendObjectTo(&b, arr)
			brGot = string(b)
		}
		switch {
		case !s.brOK:
			add("ByteRange", "[0 a b c], only /Contents excluded", brGot, false, MsgRegByteRange)
		case s.rep.Coverage != trust.CoverageWhole || a.f.TrailingData >= 0:
			add("ByteRange", "the whole file", brGot, false, MsgRegNotWhole)
		default:
			add("ByteRange", "[0 a b c], the whole file", brGot, true, "")
		}
		// Contents
		want := "PKCS#7 SignedData, SHA-256, RSA PKCS#1 v1.5"
		switch {
		case s.sd == nil:
			add("Contents", want, "", false, MsgRegContents)
		case s.sd.HasEContent:
			add("Contents", want, "eContent", false, MsgRegContents)
		default:
			si := s.si
			alg := si.SignatureAlgorithm.OID
			rsa15 := alg.Equal(cms.OIDRSAEncryption) || alg.Equal(cms.OIDSHA256WithRSA)
			got := s.rep.DigestAlgorithm + ", " + s.rep.SignatureAlgorithm
			_, ct := si.Attr(cms.OIDAttrContentType)
			_, md := si.Attr(cms.OIDAttrMessageDigest)
			switch {
			case s.rep.DigestAlgorithm != "SHA-256" || !rsa15:
				add("Contents", want, got, false, MsgRegAlgorithm, s.rep.DigestAlgorithm, s.rep.SignatureAlgorithm)
			case ct != 1 || md != 1:
				add("Contents", want, got, false, MsgRegAttributes)
			case !s.rep.Intact:
				add("Contents", want, got, false, MsgRegContents)
			default:
				add("Contents", want, got+", "+strconv.Itoa(len(si.SignedAttrs))+" signed attributes", true, "")
			}
		}
		if !rs.Passed {
			r.Passed = false
		}
		r.Signatures = append(r.Signatures, rs)
	}
	return r, nil
}

func appendObjectTo(b *[]byte, o Object) {
	var buf bytes.Buffer
	appendObject(&buf, o)
	*b = append(*b, buf.Bytes()...)
}
