package softcard

import (
	"bytes"
	"crypto"
	"crypto/subtle"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Card is a software My Number Card. It is safe for use from several goroutines; the
// commands it receives are processed one at a time.
type Card struct {
	mu   sync.Mutex
	cfg  Config
	apps []*application
	sign *pinState // nil on a card without signature certificate
	auth *pinState
	text *pinState

	// Volatile state, lost on reset and removal.
	app      *application
	cur      *ef
	verified map[*pinState]bool
	pending  []byte // response data waiting for GET RESPONSE (Quirks.GetResponse)

	// Presence and faults (see transport.go).
	present      bool
	failIn       int
	resetPending bool
	changed      chan struct{}

	stats Stats
	log   apduLog
}

// New builds a card from cfg. It checks that the keys match the certificates.
func New(cfg Config) (*Card, error) {
	if cfg.TokenLabel == "" {
		cfg.TokenLabel = LabelMyNumberCard
	}
	if cfg.AuthCert == nil || cfg.AuthKey == nil {
		return nil, errors.New("softcard: an authentication certificate and key are required")
	}
	if !cfg.AuthKey.PublicKey.Equal(cfg.AuthCert.PublicKey) {
		return nil, errors.New("softcard: the authentication key does not match its certificate")
	}
	c := &Card{cfg: cfg, present: true, changed: make(chan struct{}), verified: map[*pinState]bool{}}
	c.log.size = cfg.LogSize
	if c.log.size <= 0 {
		c.log.size = 4096
	}

	jpki := &application{name: "JPKI", aid: AIDJPKI, efs: map[uint16]*ef{}}
	c.auth = &pinState{name: "auth", value: []byte(cfg.AuthPIN), max: 3, digits4: true}
	c.auth.left = max(0, c.auth.max-cfg.AuthFailures)
	jpki.add(&ef{fid: 0x0006, data: tokenInfo(cfg.TokenLabel)})
	jpki.add(&ef{fid: 0x000A, data: c.certFile(cfg.AuthCert.Raw)})
	if cfg.AuthCACert != nil {
		jpki.add(&ef{fid: 0x000B, data: c.certFile(cfg.AuthCACert.Raw)})
	}
	jpki.add(&ef{fid: 0x0017, kind: efKey, key: cfg.AuthKey, readPIN: c.auth})
	jpki.add(&ef{fid: 0x0018, kind: efPIN, pin: c.auth})
	if cfg.SignCACert != nil {
		jpki.add(&ef{fid: 0x0002, data: c.certFile(cfg.SignCACert.Raw)})
	}
	if cfg.SignCert != nil {
		if cfg.SignKey == nil || !cfg.SignKey.PublicKey.Equal(cfg.SignCert.PublicKey) {
			return nil, errors.New("softcard: the signature key does not match its certificate")
		}
		c.sign = &pinState{name: "sign", value: []byte(cfg.SignPassword), max: 5}
		c.sign.left = max(0, c.sign.max-cfg.SignFailures)
		jpki.add(&ef{fid: 0x0001, data: c.certFile(cfg.SignCert.Raw), readPIN: c.sign})
		jpki.add(&ef{fid: 0x001A, kind: efKey, key: cfg.SignKey, readPIN: c.sign})
		jpki.add(&ef{fid: 0x001B, kind: efPIN, pin: c.sign})
	}
	if !cfg.NoJPKI {
		c.apps = append(c.apps, jpki)
	}

	text := &application{name: "text", aid: AIDText, efs: map[uint16]*ef{}}
	c.text = &pinState{name: "text", value: []byte(cfg.TextPIN), max: 3, digits4: true}
	c.text.left = max(0, c.text.max-cfg.TextFailures)
	mn, err := MyNumberFile(cfg.MyNumber)
	if err != nil {
		return nil, err
	}
	basic, err := BasicInfoFile(cfg.Basic)
	if err != nil {
		return nil, err
	}
	integrity, err := IntegrityFile(mn, basic, cfg.TextIssuerKey)
	if err != nil {
		return nil, err
	}
	text.add(&ef{fid: 0x0001, data: mn, readPIN: c.text})
	text.add(&ef{fid: 0x0002, data: basic, readPIN: c.text})
	text.add(&ef{fid: 0x0003, data: integrity, readPIN: c.text})
	text.add(&ef{fid: 0x0011, kind: efPIN, pin: c.text})
	c.apps = append(c.apps, text,
		&application{name: "visual", aid: AIDVisual, efs: map[uint16]*ef{}},
		&application{name: "juki", aid: AIDJuki, efs: map[uint16]*ef{}})
	return c, nil
}

func (c *Card) certFile(der []byte) []byte {
	out := append([]byte(nil), der...)
	return append(out, bytes.Repeat([]byte{0xFF}, c.cfg.Quirks.CertPadding)...)
}

// ATR returns the card's answer to reset.
func (c *Card) ATR() []byte { return append([]byte(nil), ATR...) }

// TriesLeft reports the try counter of a secret: "sign", "auth" or "text" (-1 when
// the card has no such secret). Tests use it to check what a client spent.
func (c *Card) TriesLeft(secret string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p := c.pinByName(secret); p != nil {
		return p.left
	}
	return -1
}

func (c *Card) pinByName(name string) *pinState {
	for _, p := range []*pinState{c.sign, c.auth, c.text} {
		if p != nil && p.name == name {
			return p
		}
	}
	return nil
}

// powerOn clears everything volatile, as a reset or a new insertion does.
func (c *Card) powerOn() {
	c.app, c.cur, c.pending = nil, nil, nil
	clear(c.verified)
}

// process answers one command APDU. It never panics: anything malformed gets a status
// word. The caller holds c.mu.
func (c *Card) process(raw []byte) (resp []byte, sw uint16, cmd command) {
	start := time.Now()
	cmd, err := parseCommand(raw)
	if err != nil {
		sw = swWrongLength
	} else {
		resp, sw = c.dispatch(cmd)
	}
	if sw == swOK && len(resp) > 0 && c.cfg.Quirks.GetResponse && !(cmd.cla == 0x00 && cmd.ins == 0xC0) {
		c.pending = resp
		resp, sw = nil, 0x6100|uint16(len(c.pending)&0xFF)
	}
	c.stats.Commands++
	c.stats.BytesIn += len(raw)
	c.stats.BytesOut += len(resp) + 2
	c.log.add(raw, cmd, err == nil, sw, len(resp), start, time.Since(start))
	return resp, sw, cmd
}

func (c *Card) dispatch(cmd command) ([]byte, uint16) {
	switch {
	case cmd.cla&0x0C != 0: // secure messaging
		if cmd.ins == 0xA4 {
			return nil, swSMUnsupported
		}
		return nil, swSMRefused
	case cmd.cla&0x03 != 0:
		return nil, swChannelUnsupported
	case cmd.cla&0x10 != 0:
		return nil, swChainUnsupported
	}
	if !(cmd.cla == 0x00 && cmd.ins == 0xC0) {
		c.pending = nil
	}
	switch cmd.cla {
	case 0x00:
		switch cmd.ins {
		case 0xA4:
			return c.doSelect(cmd)
		case 0xB0:
			return c.readBinary(cmd)
		case 0x20:
			return c.verify(cmd)
		case 0x24:
			return c.changeReference(cmd)
		case 0xC0:
			return c.getResponse(cmd)
		}
		return nil, swINSUnsupported
	case 0x80:
		if cmd.ins == 0x2A {
			return c.computeSignature(cmd)
		}
		return nil, swINSUnsupported
	}
	return nil, swCLAUnsupported
}

func (c *Card) doSelect(cmd command) ([]byte, uint16) {
	if cmd.p2 != 0x0C {
		return nil, swIncorrectP1P2
	}
	switch cmd.p1 {
	case 0x04: // by application identifier
		if len(cmd.data) == 0 {
			return nil, swWrongLength
		}
		for _, a := range c.apps {
			if bytes.Equal(a.aid, cmd.data) {
				c.powerOnApp(a)
				return nil, swOK
			}
		}
		return nil, swFileNotFound
	case 0x02: // EF in the current application
		if len(cmd.data) != 2 {
			return nil, swWrongLength
		}
		if c.app == nil {
			return nil, swFileNotFound
		}
		e := c.app.efs[uint16(cmd.data[0])<<8|uint16(cmd.data[1])]
		if e == nil {
			return nil, swFileNotFound
		}
		c.cur = e
		return nil, swOK
	case 0x00: // the MF
		if len(cmd.data) == 0 || bytes.Equal(cmd.data, []byte{0x3F, 0x00}) {
			c.powerOnApp(nil)
			return nil, swOK
		}
		return nil, swFileNotFound
	}
	return nil, swIncorrectP1P2
}

// powerOnApp makes a the current application (nil: the MF); every verified PIN of the
// session is forgotten, as on the real card.
func (c *Card) powerOnApp(a *application) {
	c.app, c.cur = a, nil
	clear(c.verified)
}

// reference resolves the P2 of VERIFY, CHANGE REFERENCE DATA and COMPUTE DIGITAL
// SIGNATURE: 80 names the current EF, 80|SFI names an EF of the current application.
func (c *Card) reference(p2 byte) (*ef, uint16) {
	switch {
	case p2 == 0x80:
		return c.cur, swOK
	case p2&0xE0 == 0x80:
		if c.app == nil {
			return nil, swOK
		}
		return c.app.efs[uint16(p2&0x1F)], swOK
	}
	return nil, swIncorrectP1P2
}

func (c *Card) readBinary(cmd command) ([]byte, uint16) {
	if len(cmd.data) > 0 || cmd.le < 0 {
		return nil, swWrongLength
	}
	var offset int
	if cmd.p1&0x80 != 0 {
		sfi := cmd.p1 & 0x1F
		if cmd.p1&0x60 != 0 || sfi == 0 {
			return nil, swIncorrectP1P2
		}
		if c.app == nil || c.app.efs[uint16(sfi)] == nil {
			return nil, swFileNotFound
		}
		c.cur = c.app.efs[uint16(sfi)]
		offset = int(cmd.p2)
	} else {
		if c.cur == nil {
			return nil, swNoCurrentEF
		}
		offset = int(cmd.p1)<<8 | int(cmd.p2)
	}
	e := c.cur
	if e.kind != efData {
		return nil, swFileIncompatible
	}
	if e.readPIN != nil && !c.verified[e.readPIN] {
		return nil, swSecurityStatus
	}
	if offset >= len(e.data) {
		return nil, swWrongOffset
	}
	left := len(e.data) - offset
	if cmd.le > left && c.cfg.Quirks.WrongLe && !cmd.extended && left < 256 {
		return nil, 0x6C00 | uint16(left)
	}
	n := min(cmd.le, left)
	return append([]byte(nil), e.data[offset:offset+n]...), swOK
}

func (c *Card) blockedSW() uint16 {
	if c.cfg.Quirks.BlockedAs6983 {
		return swAuthBlocked
	}
	return swRefDataBlocked
}

func (c *Card) verify(cmd command) ([]byte, uint16) {
	if cmd.p1 != 0x00 {
		return nil, swIncorrectP1P2
	}
	e, sw := c.reference(cmd.p2)
	if sw != swOK {
		return nil, sw
	}
	if e == nil || e.kind != efPIN {
		return nil, swRefNotFound
	}
	p := e.pin
	if len(cmd.data) == 0 { // how many tries are left; spends nothing
		c.stats.VerifyEmpty++
		switch {
		case p.left == 0:
			return nil, c.blockedSW()
		case c.verified[p] && !c.cfg.Quirks.EmptyVerifyAfterSuccess63Cx:
			return nil, swOK
		}
		return nil, 0x63C0 | uint16(p.left)
	}
	c.countVerify(p)
	if p.left == 0 {
		return nil, c.blockedSW()
	}
	if subtle.ConstantTimeCompare(cmd.data, p.value) == 1 {
		p.left = p.max
		c.verified[p] = true
		return nil, swOK
	}
	p.left--
	delete(c.verified, p)
	return nil, 0x63C0 | uint16(p.left)
}

func (c *Card) countVerify(p *pinState) {
	switch p.name {
	case "sign":
		c.stats.VerifySign++
	case "auth":
		c.stats.VerifyAuth++
	case "text":
		c.stats.VerifyText++
	}
}

func (c *Card) changeReference(cmd command) ([]byte, uint16) {
	if cmd.p1 != 0x01 {
		return nil, swIncorrectP1P2
	}
	e, sw := c.reference(cmd.p2)
	if sw != swOK {
		return nil, sw
	}
	if e == nil || e.kind != efPIN {
		return nil, swRefNotFound
	}
	if len(cmd.data) == 0 {
		return nil, swWrongLength
	}
	p := e.pin
	if p.left == 0 {
		return nil, c.blockedSW()
	}
	if !c.verified[p] {
		return nil, swSecurityStatus
	}
	if !p.validFormat(cmd.data) {
		return nil, swWrongData
	}
	p.value = append([]byte(nil), cmd.data...)
	return nil, swOK
}

func (c *Card) computeSignature(cmd command) ([]byte, uint16) {
	if cmd.p1 != 0x00 {
		return nil, swIncorrectP1P2
	}
	e, sw := c.reference(cmd.p2)
	if sw != swOK {
		return nil, sw
	}
	if e == nil || e.kind != efKey {
		return nil, swRefNotFound
	}
	size := e.key.Size()
	if len(cmd.data) == 0 || len(cmd.data) > size-11 {
		return nil, swWrongLength
	}
	if cmd.le >= 0 && cmd.le < size {
		return nil, swWrongLength
	}
	if !c.verified[e.readPIN] {
		return nil, swSecurityStatus
	}
	// Hash 0: PKCS#1 v1.5 type-1 padding over the DigestInfo exactly as received.
	sig, err := e.key.Sign(nil, cmd.data, crypto.Hash(0))
	if err != nil {
		return nil, swConditions
	}
	c.stats.Signatures++
	return sig, swOK
}

func (c *Card) getResponse(cmd command) ([]byte, uint16) {
	if cmd.p1 != 0 || cmd.p2 != 0 {
		return nil, swIncorrectP1P2
	}
	if len(c.pending) == 0 {
		return nil, swConditions
	}
	if cmd.le < 0 || len(cmd.data) > 0 {
		return nil, swWrongLength
	}
	n := min(cmd.le, len(c.pending))
	out := append([]byte(nil), c.pending[:n]...)
	c.pending = c.pending[n:]
	if len(c.pending) > 0 {
		return out, 0x6100 | uint16(len(c.pending)&0xFF)
	}
	c.pending = nil
	return out, swOK
}

// String describes the card without any personal data.
func (c *Card) String() string {
	return fmt.Sprintf("softcard(%s)", c.cfg.TokenLabel)
}
