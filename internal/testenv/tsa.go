package testenv

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/mynasign/mynasign/internal/testpki"
)

// TSA is a time-stamping authority for tests: `openssl ts -reply` (an independent RFC
// 3161 implementation) with a certificate from a test CA, served over HTTP on 127.0.0.1.
// With At set, openssl runs under faketime, so that its tokens carry that time (the
// clock then runs on from it).
type TSA struct {
	// URL is the address to send time-stamp requests to.
	URL string
	// CA issued the authority's certificate; add CA.Cert (or Cert) as a time-stamp anchor
	// to trust the authority.
	CA *testpki.ForeignCA
	// Cert is the authority's certificate.
	Cert *x509.Certificate

	mu      sync.Mutex
	at      time.Time
	dir     string
	openssl string
	fake    string
	// Requests counts the requests answered.
	Requests int
}

// NewTSA starts a test TSA whose certificate is valid from eight years ago for twenty
// years (so that tokens of past times are within it); it stops when the test ends.
func NewTSA(t testing.TB) *TSA {
	t.Helper()
	a := &TSA{openssl: Tool(t, "openssl"), fake: Tool(t, "faketime"), dir: t.TempDir()}
	now := time.Now()
	ca, err := testpki.NewForeignCA("mynasign test TSA CA", now.AddDate(-9, 0, 0), now.AddDate(13, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	cert, key, err := ca.IssueTSA("mynasign test TSA", now.AddDate(-8, 0, 0), now.AddDate(12, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	a.CA, a.Cert = ca, cert
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(a.dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("tsa.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}))
	write("ca.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Cert.Raw}))
	write("tsa.key", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}))
	write("serial", []byte("01\n"))
	write("tsa.cnf", []byte(fmt.Sprintf(`[ tsa ]
default_tsa = tsa_config1
[ tsa_config1 ]
dir = %s
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/ca.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`, a.dir)))
	srv := httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(srv.Close)
	a.URL = srv.URL + "/tsa"
	return a
}

// SetTime makes the following tokens carry times from at on (the zero time: now).
func (a *TSA) SetTime(at time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.at = at
}

func (a *TSA) serve(w http.ResponseWriter, r *http.Request) {
	query, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if err != nil || r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/timestamp-query" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	resp, err := a.reply(query)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/timestamp-reply")
	w.Write(resp)
}

// reply runs openssl ts -reply on a DER TimeStampReq.
func (a *TSA) reply(query []byte) ([]byte, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.Requests++
	q, out := filepath.Join(a.dir, "query.tsq"), filepath.Join(a.dir, "reply.tsr")
	if err := os.WriteFile(q, query, 0o600); err != nil {
		return nil, err
	}
	args := []string{"ts", "-reply", "-config", filepath.Join(a.dir, "tsa.cnf"), "-queryfile", q, "-out", out}
	cmd := exec.Command(a.openssl, args...)
	if !a.at.IsZero() {
		cmd = exec.Command(a.fake, append([]string{"-f", "@" + a.at.UTC().Format("2006-01-02 15:04:05"), a.openssl}, args...)...)
		cmd.Env = append(os.Environ(), "TZ=UTC")
	}
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("openssl ts -reply: %v: %s", err, msg)
	}
	return os.ReadFile(out)
}

// VerifyToken checks a DER time-stamp token over data with `openssl ts -verify`, the
// authority's CA as the only trusted root. It returns openssl's output.
func (a *TSA) VerifyToken(t testing.TB, token, data []byte) error {
	t.Helper()
	dir := t.TempDir()
	tok, dat := filepath.Join(dir, "token.der"), filepath.Join(dir, "data.bin")
	if err := os.WriteFile(tok, token, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dat, data, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(a.openssl, "ts", "-verify", "-token_in", "-in", tok, "-data", dat,
		"-CAfile", filepath.Join(a.dir, "ca.pem"), "-untrusted", filepath.Join(a.dir, "tsa.pem"))
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("openssl ts -verify: %v: %s", err, buf.String())
	}
	return nil
}
