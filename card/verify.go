package card

import "fmt"

// pinLocation returns the application and EF of a secret.
func pinLocation(kind PINKind) (app, uint16) {
	switch kind {
	case SignPassword:
		return appJPKI, efSignPIN
	case AuthPIN:
		return appJPKI, efAuthPIN
	}
	return appText, efTextPIN
}

// PINStatus asks the card how many tries of a secret are left, with the empty VERIFY
// that spends none. Asking about TextPIN selects the text application, which ends a
// verified signature password (the card forgets it).
func (s *Session) PINStatus(kind PINKind) (PINStatus, error) {
	var st PINStatus
	err := s.do("reading the "+kind.String()+" status", func(s *Session) error {
		var err error
		st, err = s.pinStatus(kind)
		return err
	})
	return st, err
}

// pinStatus sends the empty VERIFY. On return the PIN's EF is selected (SELECT EF
// mode) and the application is the PIN's, so a VERIFY with data can follow at once.
func (s *Session) pinStatus(kind PINKind) (PINStatus, error) {
	if err := s.requireMyNumberCard(); err != nil {
		return PINStatus{}, err
	}
	if kind != SignPassword && kind != AuthPIN && kind != TextPIN {
		return PINStatus{}, fmt.Errorf("unknown PIN kind %d", int(kind))
	}
	a, fid := pinLocation(kind)
	var resp Response
	if s.opts.ShortFileIDs {
		var err error
		resp, err = s.inApp(a, "VERIFY", Command{CLA: 0x00, INS: insVerify, P1: 0x00, P2: 0x80 | byte(fid)})
		if err != nil {
			return PINStatus{}, s.noSecret(kind, err)
		}
	} else {
		if err := s.selectEF(a, fid); err != nil {
			return PINStatus{}, s.noSecret(kind, err)
		}
		var err error
		if resp, err = s.exchange(Command{CLA: 0x00, INS: insVerify, P1: 0x00, P2: 0x80}); err != nil {
			return PINStatus{}, err
		}
	}
	st := PINStatus{Kind: kind, Max: kind.MaxTries()}
	if left, ok := resp.SW.Tries(); ok {
		st.Left, st.Blocked = left, left == 0
		return st, nil
	}
	switch resp.SW {
	case SWOK:
		st.Left, st.Verified = st.Max, true
		return st, nil
	case SWReferenceDataBlocked, SWAuthMethodBlocked:
		st.Blocked = true
		return st, nil
	}
	return PINStatus{}, s.noSecret(kind, &StatusError{Op: "VERIFY (tries left)", SW: resp.SW})
}

// noSecret turns "file / reference not found" for the signature password into
// ErrNoSignCertificate (a card without a signature certificate has no password).
func (s *Session) noSecret(kind PINKind, err error) error {
	var se *StatusError
	if kind == SignPassword && asStatus(err, &se) && (se.SW == SWFileNotFound || se.SW == SWReferenceNotFound) {
		return fmt.Errorf("%w (%v)", ErrNoSignCertificate, err)
	}
	return err
}

// VerifySignPIN verifies the signature password (署名用パスワード), which unlocks the
// signature certificate and key for this session. pin is what the user typed: it is
// normalized and validated first (a malformed one gives *InvalidPIN and nothing is
// sent), and cleared before VerifySignPIN returns, whatever the outcome.
//
// In one transaction it reads the tries left (spending none), then sends exactly one
// VERIFY: never more, never again. A blocked password gives *Blocked without sending;
// with one try left it gives *LastTry without sending, unless AllowLastTry is passed.
// A wrong password gives *WrongPIN (or *Blocked with Now set, when that was the last
// try).
func (s *Session) VerifySignPIN(pin []byte, opts ...VerifyOption) error {
	return s.verifyPIN(SignPassword, pin, opts)
}

// VerifyAuthPIN verifies the authentication PIN (利用者証明用パスワード) the same way.
func (s *Session) VerifyAuthPIN(pin []byte, opts ...VerifyOption) error {
	return s.verifyPIN(AuthPIN, pin, opts)
}

func (s *Session) verifyPIN(kind PINKind, pin []byte, opts []VerifyOption) error {
	defer clear(pin)
	norm, err := NormalizePIN(kind, pin)
	if err != nil {
		return fmt.Errorf("verifying the %s: %w", kind, err)
	}
	defer clear(norm)
	return s.do("verifying the "+kind.String(), func(s *Session) error {
		return s.verifyLocked(kind, norm, opts)
	})
}

// verifyLocked checks the tries left and sends the one VERIFY with data. The PIN's
// application and EF are selected by the status query just before.
func (s *Session) verifyLocked(kind PINKind, norm []byte, opts []VerifyOption) error {
	st, err := s.pinStatus(kind)
	if err != nil {
		return err
	}
	switch {
	case st.Blocked:
		return &Blocked{Kind: kind}
	case st.Left == 1 && !hasOption(opts, AllowLastTry):
		return &LastTry{Kind: kind}
	}
	_, fid := pinLocation(kind)
	p2 := byte(0x80)
	if s.opts.ShortFileIDs {
		p2 |= byte(fid)
	}
	resp, err := s.exchange(Command{CLA: 0x00, INS: insVerify, P1: 0x00, P2: p2, Data: norm})
	if err != nil {
		return err
	}
	if left, ok := resp.SW.Tries(); ok {
		s.setVerified(kind, false)
		if left == 0 {
			return &Blocked{Kind: kind, Now: true}
		}
		return &WrongPIN{Kind: kind, Left: left}
	}
	switch resp.SW {
	case SWOK:
		s.setVerified(kind, true)
		return nil
	case SWReferenceDataBlocked, SWAuthMethodBlocked:
		s.setVerified(kind, false)
		return &Blocked{Kind: kind}
	}
	return &StatusError{Op: "VERIFY", SW: resp.SW}
}

func (s *Session) setVerified(kind PINKind, ok bool) {
	if kind == SignPassword {
		s.signVerified = ok
	}
}

// Logout makes the card forget every verified PIN, by selecting the JPKI application
// again (as OpenSC does). Call it when the signing is done.
func (s *Session) Logout() error {
	return s.do("logging out", func(s *Session) error {
		if s.kind == KindNotJPKI {
			return nil
		}
		resp, err := s.selectApp(appJPKI, true)
		if err != nil {
			return err
		}
		if resp.SW != SWOK {
			return &StatusError{Op: "selecting the JPKI application", SW: resp.SW}
		}
		return nil
	})
}
