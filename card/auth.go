package card

import (
	"crypto"
	"fmt"
)

// efAuthKey is the authentication private key of the JPKI application.
const efAuthKey = 0x0017

// Authenticate is the card's side of an identity check: it verifies the authentication
// PIN (利用者証明用パスワード) and has the card sign digest, the SHA-256, SHA-384 or
// SHA-512 hash named by h, with the authentication key (COMPUTE DIGITAL SIGNATURE over
// the DigestInfo; the card pads with PKCS#1 v1.5). It returns the signature as the card
// gave it: checking it against the certificate and the challenge is the caller's job.
//
// The PIN is handled as by VerifyAuthPIN: validated first (a malformed one gives
// *InvalidPIN and nothing is sent), the tries left read without spending one, exactly
// one VERIFY, never retried, the last try only with AllowLastTry, cleared before return.
// Everything runs in one transaction; afterwards the JPKI application is selected again
// so that the PIN does not stay verified. After the PIN it takes three APDUs (SELECT of
// the key, the signature, the re-select), two with Options.ShortFileIDs.
func (s *Session) Authenticate(pin []byte, h crypto.Hash, digest []byte, opts ...VerifyOption) ([]byte, error) {
	defer clear(pin)
	info, err := DigestInfo(h, digest)
	if err != nil {
		return nil, fmt.Errorf("authenticating with the card: %w", err)
	}
	norm, err := NormalizePIN(AuthPIN, pin)
	if err != nil {
		return nil, fmt.Errorf("verifying the %s: %w", AuthPIN, err)
	}
	defer clear(norm)
	var sig []byte
	err = s.do("authenticating with the card", func(s *Session) error {
		if err := s.verifyLocked(AuthPIN, norm, opts); err != nil {
			return err
		}
		var err error
		sig, err = s.authSignLocked(info)
		// Leave the PIN unverified, whatever happened.
		if _, selErr := s.selectApp(appJPKI, true); err == nil && selErr != nil {
			err = selErr
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return sig, nil
}

// authSignLocked sends COMPUTE DIGITAL SIGNATURE with the authentication key, the PIN
// having just been verified in the same transaction.
func (s *Session) authSignLocked(info []byte) ([]byte, error) {
	p2 := byte(0x80)
	if s.opts.ShortFileIDs {
		p2 |= efAuthKey
	} else if err := s.selectEF(appJPKI, efAuthKey); err != nil {
		return nil, err
	}
	resp, err := s.exchange(Command{CLA: 0x80, INS: insSign, P1: 0x00, P2: p2, Data: info, Le: 256})
	if err != nil {
		return nil, err
	}
	if resp.SW != SWOK {
		return nil, &StatusError{Op: "COMPUTE DIGITAL SIGNATURE (authentication key)", SW: resp.SW}
	}
	if len(resp.Data) == 0 {
		return nil, &ProtocolError{Op: "COMPUTE DIGITAL SIGNATURE (authentication key)", Detail: "the card returned no signature"}
	}
	return resp.Data, nil
}
