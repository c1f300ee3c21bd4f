package pdf

import (
	"bytes"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"github.com/mynasign/mynasign/internal/testenv"
	"github.com/mynasign/mynasign/internal/testpki"
)

// peerSamples signs a few shapes of documents once and twice, for the independent peers.
func peerSamples(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, c := range []struct {
		name    string
		spec    docSpec
		profile Profile
		visible bool
		twice   bool
	}{
		{"pades-invisible", docSpec{}, PAdES, false, false},
		{"registry-visible", docSpec{acroForm: "indirect", textField: true}, Registry, true, false},
		{"pades-xrefstream-twice", docSpec{xrefStream: true, annots: "indirect"}, PAdES, true, true},
		{"registry-twice", docSpec{acroForm: "direct", annots: "direct"}, Registry, false, true},
	} {
		opts := personaOptions(t, "valid", c.profile)
		if c.visible {
			opts.Visible = &Appearance{Page: 1, X: 320, Y: 40, W: 230, H: 70}
		}
		data, _ := signBytes(t, makePDF(t, c.spec), opts)
		if c.twice {
			opts2 := personaOptions(t, "blocked", c.profile)
			data, _ = signBytes(t, data, opts2)
		}
		out[c.name] = writeTemp(t, c.name+".pdf", data)
	}
	return out
}

func TestPeersAcceptOurSignatures(t *testing.T) {
	pdfsig := testenv.Tool(t, "pdfsig")
	qpdf := testenv.Tool(t, "qpdf")
	openssl := testenv.Tool(t, "openssl")
	samples := peerSamples(t)

	caFile := filepath.Join(t.TempDir(), "ca.pem")
	var pemCA bytes.Buffer
	for _, c := range testpki.SignCAs() {
		pem.Encode(&pemCA, &pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
	}
	if err := os.WriteFile(caFile, pemCA.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	api.DisableConfigDir()

	for name, path := range samples {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f, err := NewFile(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			fields, err := f.Fields(f.Last())
			if err != nil {
				t.Fatal(err)
			}
			nsig := 0
			for _, fl := range fields {
				if fl.Type == "Sig" && fl.Dict.Has("V") {
					nsig++
				}
			}

			// poppler: every signature valid, the last one covering the whole document.
			out, _ := exec.Command(pdfsig, "-nocert", path).CombinedOutput()
			text := string(out)
			if got := strings.Count(text, "Signature is Valid."); got != nsig {
				t.Fatalf("pdfsig: %d valid signatures of %d:\n%s", got, nsig, text)
			}
			if !strings.Contains(text, "Total document signed") {
				t.Fatalf("pdfsig: the last signature does not cover the document:\n%s", text)
			}

			// qpdf: clean.
			out, err = exec.Command(qpdf, "--check", path).CombinedOutput()
			if err != nil || !strings.Contains(string(out), "No syntax or stream encoding errors") {
				t.Fatalf("qpdf --check: %v\n%s", err, out)
			}

			// openssl: each CMS verifies over its byte ranges, chained to the test CA.
			re := regexp.MustCompile(`/ByteRange \[0 (\d+) (\d+) (\d+)\]`)
			ms := re.FindAllStringSubmatch(string(data), -1)
			if len(ms) != nsig {
				t.Fatalf("found %d byte ranges for %d signatures", len(ms), nsig)
			}
			for i, m := range ms {
				a, _ := strconv.Atoi(m[1])
				b, _ := strconv.Atoi(m[2])
				c, _ := strconv.Atoi(m[3])
				// The CMS is the DER element at the start of the zero-padded /Contents
				// (trimming the zeros would also cut a signature whose last byte ends in 0).
				padded, err := hex.DecodeString(string(data[a+1 : b-1]))
				if err != nil {
					t.Fatalf("/Contents of signature %d: %v", i+1, err)
				}
				var el asn1.RawValue
				if _, err := asn1.Unmarshal(padded, &el); err != nil {
					t.Fatalf("/Contents of signature %d: %v", i+1, err)
				}
				der := el.FullBytes
				dir := t.TempDir()
				sigFile := filepath.Join(dir, "sig.der")
				contentFile := filepath.Join(dir, "content.bin")
				os.WriteFile(sigFile, der, 0o644)
				os.WriteFile(contentFile, append(append([]byte{}, data[:a]...), data[b:b+c]...), 0o644)
				out, err := exec.Command(openssl, "cms", "-verify", "-binary", "-inform", "DER", "-in", sigFile,
					"-content", contentFile, "-CAfile", caFile, "-purpose", "any", "-out", os.DevNull).CombinedOutput()
				if err != nil || !strings.Contains(string(out), "Verification successful") {
					t.Fatalf("openssl cms -verify of signature %d: %v\n%s", i+1, err, out)
				}
			}

			// pdfcpu's validator.
			conf := model.NewDefaultConfiguration()
			conf.ValidationMode = model.ValidationStrict
			if err := api.ValidateFile(path, conf); err != nil {
				t.Fatalf("pdfcpu validate: %v", err)
			}
		})
	}
}
