package tsp

import (
	"context"
	"crypto"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mynasign/mynasign/internal/testenv"
)

// A token from openssl ts (through Client) verifies over its data and not over other
// data, carries the time openssl was given, and openssl ts -verify accepts it.
func TestStampAndVerify(t *testing.T) {
	tsa := testenv.NewTSA(t)
	c, err := NewClient(tsa.URL)
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("署名値のつもり")
	past := time.Date(2026, 1, 15, 3, 4, 5, 0, time.UTC)
	tsa.SetTime(past)
	token, err := c.Stamp(context.Background(), crypto.SHA256, data)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := Verify(token, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := tok.Time.Sub(past); d < 0 || d > time.Minute {
		t.Errorf("token time %v, want about %v", tok.Time, past)
	}
	if tok.Certificate == nil || !tok.Certificate.Equal(tsa.Cert) || tok.TSA() == "" {
		t.Errorf("TSA certificate not found in the token")
	}
	if err := tsa.VerifyToken(t, token, data); err != nil {
		t.Error(err)
	}
	if _, err := Verify(token, []byte("other"), nil); !errors.Is(err, ErrImprint) {
		t.Errorf("other data: %v, want ErrImprint", err)
	}
	bad := append([]byte(nil), token...)
	bad[len(bad)-3] ^= 1 // inside the signature value
	if _, err := Verify(bad, data, nil); err == nil {
		t.Error("altered token verified")
	}
	if _, err := Verify([]byte("not a token"), data, nil); !errors.Is(err, ErrFormat) {
		t.Errorf("garbage: %v, want ErrFormat", err)
	}
}

// A TSA that answers with something else, or cannot be reached, gives an error of its
// kind, never a token.
func TestStampErrors(t *testing.T) {
	junk := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("hello")) }))
	defer junk.Close()
	c, err := NewClient(junk.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Stamp(context.Background(), crypto.SHA256, []byte("x")); !errors.Is(err, ErrTSARefused) {
		t.Errorf("junk answer: %v", err)
	}
	junk.Close()
	if _, err := c.Stamp(context.Background(), crypto.SHA256, []byte("x")); !errors.Is(err, ErrTSAUnreachable) {
		t.Errorf("closed server: %v", err)
	}
	if _, err := NewClient("ftp://example.test/"); err == nil {
		t.Error("ftp address accepted")
	}
}
