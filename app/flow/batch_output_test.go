package flow

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/trust"
)

func personalReport() *trust.DocumentReport {
	return &trust.DocumentReport{
		File: "a.pdf", Kind: "pdf", SHA256: strings.Repeat("ab", 32), Indication: trust.TotalPassed,
		Summary:        trust.Message{Key: "k", Args: []string{"山田　太郎", "other"}},
		ValidationTime: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), TrustStore: "test",
		Signatures: []trust.SignatureReport{{
			Indication: trust.TotalPassed,
			Summary:    trust.Message{Key: "k", Args: []string{"signed by 山田　太郎"}},
			Signer: &trust.Signer{Name: "山田　太郎", Address: "大阪府大阪市北区中之島一丁目３番２０号", BirthDate: "1975-04-02",
				BirthEra: "showa", Sex: "male", Subject: "C=JP, L=Osaka, CN=X", Test: true},
			Certificate: &trust.CertificateInfo{Generation: "test-2023", Chain: []string{"C=JP, L=Osaka, CN=X", "CA"}},
			Checks:      []trust.Check{{Name: "c", Passed: true, Detail: trust.Message{Key: "d", Args: []string{"1975-04-02"}}}},
		}},
	}
}

func TestBatchJSONAndCSV(t *testing.T) {
	res := &BatchResult{Reports: []*trust.DocumentReport{personalReport(),
		{File: "b.pdf", Error: &trust.Message{Key: MsgBatchReadError, Args: []string{"boom"}}, Signatures: []trust.SignatureReport{}}},
		TrustStore: "test"}
	for _, r := range res.Reports {
		res.Totals.Add(StatusOf(r))
	}
	var buf bytes.Buffer
	if err := res.WriteJSON(&buf, OutputOptions{AppVersion: "1.2.3"}); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	files := got["files"].([]any)
	first := files[0].(map[string]any)
	if got["schema"] != BatchSchema || got["allPassed"] != false || got["app"].(map[string]any)["version"] != "1.2.3" ||
		len(files) != 2 || first["status"] != "passed" || first["sha256"] != strings.Repeat("ab", 32) ||
		files[1].(map[string]any)["status"] != "error" || got["totals"].(map[string]any)["errors"] != 1.0 {
		t.Errorf("JSON:\n%s", buf.String())
	}
	if strings.Contains(buf.String(), "山田") {
		t.Error("JSON holds personal data that was not asked for")
	}
	buf.Reset()
	if err := res.WriteJSON(&buf, OutputOptions{ShowPersonalData: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "山田") {
		t.Error("JSON lacks the personal data that was asked for")
	}

	buf.Reset()
	if err := res.WriteCSV(&buf, OutputOptions{L: i18n.New(i18n.English)}); err != nil {
		t.Fatal(err)
	}
	// Excel on Japanese Windows needs the byte order mark to read the CSV as UTF-8; RFC
	// 4180 lines end in CRLF.
	raw := buf.String()
	if !strings.HasPrefix(raw, "\xef\xbb\xbf"+strings.Join(CSVHeader, ",")+"\r\n") {
		t.Errorf("CSV does not begin with the UTF-8 BOM and a CRLF-terminated header: %q", raw[:min(len(raw), 40)])
	}
	if strings.Count(raw, "\n") != strings.Count(raw, "\r\n") {
		t.Errorf("CSV has a line ending that is not CRLF: %q", raw)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(raw, CSVBOM))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || strings.Join(rows[0], ",") != strings.Join(CSVHeader, ",") {
		t.Fatalf("CSV rows: %q", rows)
	}
	if rows[1][0] != "a.pdf" || rows[1][2] != "passed" || rows[1][9] != "" || rows[1][10] != "test-2023" ||
		rows[2][2] != "error" || !strings.Contains(rows[2][14], "boom") {
		t.Errorf("CSV rows: %q", rows)
	}
}
