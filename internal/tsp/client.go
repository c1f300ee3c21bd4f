package tsp

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/mynasign/mynasign/internal/cms"
)

// Errors of Stamp.
var (
	// ErrTSAUnreachable: the TSA could not be reached (offline, wrong address, HTTP
	// error).
	ErrTSAUnreachable = errors.New("the time-stamping authority cannot be reached")
	// ErrTSARefused: the TSA answered but granted no token, or answered with something
	// that is not a token for the request.
	ErrTSARefused = errors.New("the time-stamping authority gave no time-stamp")
)

// maxResponse bounds a TSA response (a token is a few kilobytes).
const maxResponse = 1 << 20

// timeStampReq is RFC 3161's TimeStampReq (certReq true: the token carries the TSA
// certificate, so that verifiers can find it).
type timeStampReq struct {
	Version        int
	MessageImprint messageImprint
	Nonce          *big.Int `asn1:"optional"`
	CertReq        bool     `asn1:"optional"`
}

type messageImprint struct {
	HashAlgorithm algorithmIdentifier
	HashedMessage []byte
}

type algorithmIdentifier struct {
	Algorithm asn1.ObjectIdentifier
}

// Client requests time-stamps from one TSA over HTTP (RFC 3161 §3.4).
type Client struct {
	// URL is the TSA's address (http or https).
	URL string
	// HTTP is the client used; nil means one with a 30-second timeout.
	HTTP *http.Client
}

// NewClient checks rawURL and returns a client for it.
func NewClient(rawURL string) (*Client, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("time-stamping authority %q: not an http or https address", rawURL)
	}
	return &Client{URL: u.String()}, nil
}

// Stamp asks the TSA for a token over data (hashed with h) and returns the token after
// checking that it imprints data, answers this request's nonce and verifies. Whether the
// TSA is trusted is not checked here.
func (c *Client) Stamp(ctx context.Context, h crypto.Hash, data []byte) ([]byte, error) {
	if !h.Available() {
		return nil, fmt.Errorf("%w: %v", ErrUnsupported, h)
	}
	w := h.New()
	w.Write(data)
	return c.StampDigest(ctx, h, w.Sum(nil))
}

// StampDigest is Stamp for data the caller hashed with h (a PDF document time-stamp,
// over byte ranges).
func (c *Client) StampDigest(ctx context.Context, h crypto.Hash, digest []byte) ([]byte, error) {
	oid, ok := cms.OIDByHash(h)
	if !ok || len(digest) != h.Size() {
		return nil, fmt.Errorf("%w: %v", ErrUnsupported, h)
	}
	nonce, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 63))
	if err != nil {
		return nil, fmt.Errorf("time-stamp request: %w", err)
	}
	req, err := asn1.Marshal(timeStampReq{Version: 1, MessageImprint: messageImprint{
		HashAlgorithm: algorithmIdentifier{Algorithm: oid}, HashedMessage: digest}, Nonce: nonce, CertReq: true})
	if err != nil {
		return nil, fmt.Errorf("time-stamp request: %w", err)
	}
	body, err := c.post(ctx, req)
	if err != nil {
		return nil, err
	}
	token, err := parseResponse(body)
	if err != nil {
		return nil, err
	}
	if _, err := VerifyDigest(token, h, digest, nil); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrTSARefused, err)
	}
	if got := tokenNonce(token); got == nil || new(big.Int).SetBytes(got).Cmp(nonce) != 0 {
		return nil, fmt.Errorf("%w: the answer is not for this request (nonce)", ErrTSARefused)
	}
	return token, nil
}

func (c *Client) post(ctx context.Context, req []byte) ([]byte, error) {
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(req))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrTSAUnreachable, err)
	}
	r.Header.Set("Content-Type", "application/timestamp-query")
	resp, err := hc.Do(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrTSAUnreachable, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: HTTP %s", ErrTSAUnreachable, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrTSAUnreachable, err)
	}
	if len(body) > maxResponse {
		return nil, fmt.Errorf("%w: the answer is too large", ErrTSARefused)
	}
	return body, nil
}

// parseResponse reads a TimeStampResp: the status must be granted (0) or
// grantedWithMods (1), and the token is returned as its DER.
func parseResponse(b []byte) ([]byte, error) {
	s := cryptobyte.String(b)
	var resp, status cryptobyte.String
	var code int
	if !s.ReadASN1(&resp, cbasn1.SEQUENCE) || !resp.ReadASN1(&status, cbasn1.SEQUENCE) || !status.ReadASN1Integer(&code) {
		return nil, fmt.Errorf("%w: not a time-stamp response", ErrTSARefused)
	}
	if code != 0 && code != 1 {
		return nil, fmt.Errorf("%w: status %d", ErrTSARefused, code)
	}
	var token cryptobyte.String
	if !resp.ReadASN1Element(&token, cbasn1.SEQUENCE) {
		return nil, fmt.Errorf("%w: no token in the answer", ErrTSARefused)
	}
	return append([]byte(nil), token...), nil
}

// tokenNonce returns the nonce of a token (nil when it has none or cannot be read).
func tokenNonce(token []byte) []byte {
	sd, _, err := cms.Parse(token)
	if err != nil {
		return nil
	}
	info, err := cms.ParseTSTInfo(sd.EContent)
	if err != nil {
		return nil
	}
	return info.Nonce
}
