package card

import (
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"sync"
)

// app is an application of the card as the session believes it selected.
type app int

const (
	appUnknown app = iota
	appJPKI
	appText
)

// Application identifiers (docs/jpki-card.md §1).
var (
	aidJPKI = []byte{0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01}
	aidText = []byte{0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08}
)

// Elementary files. Every FID is below 0x1F and doubles as the short file identifier.
const (
	efSignCert   = 0x0001
	efSignCACert = 0x0002
	efTokenInfo  = 0x0006
	efAuthCert   = 0x000A
	efAuthCACert = 0x000B
	efAuthPIN    = 0x0018
	efSignKey    = 0x001A
	efSignPIN    = 0x001B

	efTextMyNumber  = 0x0001
	efTextBasic     = 0x0002
	efTextIntegrity = 0x0003
	efTextPIN       = 0x0011
)

// Options tune how a Session talks to the card.
type Options struct {
	// ShortFileIDs names files by short file identifier in READ BINARY (P1 = 80|SFI),
	// VERIFY and COMPUTE DIGITAL SIGNATURE (P2 = 80|SFI) instead of selecting each EF
	// first. It saves one APDU per file; the default (SELECT EF) is the form that OpenSC
	// has used against real cards for years.
	ShortFileIDs bool
}

// Stats counts what a session exchanged with the card.
type Stats struct {
	Commands      int // command APDUs sent (GET RESPONSE and re-sends included)
	BytesSent     int
	BytesReceived int // response bytes, status words included
	Transactions  int
}

// Session is one open card. Its methods may be called from several goroutines; each
// runs as one transaction on the card.
type Session struct {
	mu     sync.Mutex
	t      Transport
	tx     Transactor
	opts   Options
	closed bool

	kind  Kind
	label string

	// What the session believes the card's state is. A reset or removal, or another
	// program's commands between our transactions, can make it stale; the code below
	// recovers where that is safe and otherwise lets the card's status word decide.
	app          app
	ef           uint16 // current EF; 0 = unknown
	signVerified bool   // this session verified the signature password

	certs map[uint16]*x509.Certificate
	stats Stats
}

// Open identifies the card behind t (SELECT of the JPKI application and its token
// label) and returns a session. A card that is not a My Number Card still gives a
// session: Kind says what it is, and the JPKI operations return *UnsupportedCard.
func Open(t Transport) (*Session, error) {
	return OpenWith(t, Options{})
}

// OpenWith is Open with options.
func OpenWith(t Transport, opts Options) (*Session, error) {
	s := &Session{t: t, opts: opts, certs: map[uint16]*x509.Certificate{}}
	s.tx, _ = t.(Transactor)
	if err := s.do("identifying the card", (*Session).identify); err != nil {
		return nil, err
	}
	return s, nil
}

// Kind reports what the card is.
func (s *Session) Kind() Kind {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.kind
}

// Label returns the JPKI token label read from the card ("" when there is none).
func (s *Session) Label() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.label
}

// SignVerified reports whether this session verified the signature password and has
// not lost that state since (as far as it knows).
func (s *Session) SignVerified() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.signVerified
}

// Stats returns what the session exchanged so far.
func (s *Session) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// Close ends the session; it closes the transport when that is an io.Closer (as a
// Conn from OpenReader is). The card's verified state is left as it is: call Logout
// first to clear it.
func (s *Session) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	s.forget()
	if c, ok := s.t.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// forget drops everything the session believes about the card's state.
func (s *Session) forget() {
	s.app, s.ef, s.signVerified = appUnknown, 0, false
	clear(s.certs)
}

// do runs one operation under the session lock, inside one transaction.
func (s *Session) do(op string, f func(*Session) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return fmt.Errorf("%s: %w", op, ErrClosed)
	}
	// Between our transactions another program may have selected another EF (which
	// keeps the verified state): the current EF is only trusted within one
	// transaction. The application is re-selected when the card says a file is gone
	// (see inApp).
	s.ef = 0
	if s.tx != nil {
		s.stats.Transactions++
		reset, err := s.tx.BeginTransaction()
		if err != nil {
			s.lost(err)
			return fmt.Errorf("%s: %w", op, err)
		}
		if reset {
			s.forget()
		}
	}
	err := f(s)
	if s.tx != nil {
		if endErr := s.tx.EndTransaction(); err == nil && endErr != nil {
			err = endErr
		}
	}
	if err != nil {
		s.lost(err)
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// lost forgets the card state after an error that means it is gone or was reset.
func (s *Session) lost(err error) {
	if errors.Is(err, ErrCardRemoved) || errors.Is(err, ErrCardReset) || errors.Is(err, ErrNoCard) {
		s.forget()
	}
}

// requireMyNumberCard refuses JPKI operations on other cards.
func (s *Session) requireMyNumberCard() error {
	if s.kind != KindMyNumberCard {
		return &UnsupportedCard{Kind: s.kind, Label: s.label}
	}
	return nil
}

// send transmits one raw APDU and parses the response.
func (s *Session) send(raw []byte) (Response, error) {
	s.stats.Commands++
	s.stats.BytesSent += len(raw)
	out, err := s.t.Transmit(raw)
	if err != nil {
		return Response{}, err
	}
	s.stats.BytesReceived += len(out)
	resp, err := ParseResponse(out)
	if err != nil {
		return Response{}, &ProtocolError{Op: "response", Detail: err.Error()}
	}
	return resp, nil
}

// maxChain bounds a 61xx response chain.
const maxChain = 256

// exchange sends c and handles the transport-level status words: 6Cxx (wrong Le:
// send again with Le = xx; never for VERIFY) and 61xx (more data: GET RESPONSE until
// done). A VERIFY's encoded APDU is cleared after sending.
func (s *Session) exchange(c Command) (Response, error) {
	raw, err := c.Bytes()
	if err != nil {
		return Response{}, err
	}
	resp, err := s.send(raw)
	if c.INS == insVerify {
		clear(raw)
	}
	if err != nil {
		return Response{}, err
	}
	if resp.SW.SW1() == 0x6C && c.Le > 0 && c.INS != insVerify {
		c.Le = int(resp.SW.SW2())
		if c.Le == 0 {
			c.Le = 256
		}
		if raw, err = c.Bytes(); err != nil {
			return Response{}, err
		}
		if resp, err = s.send(raw); err != nil {
			return Response{}, err
		}
	}
	if resp.SW.SW1() != 0x61 {
		return resp, nil
	}
	data := append([]byte(nil), resp.Data...)
	for i := 0; resp.SW.SW1() == 0x61; i++ {
		if i >= maxChain || len(data) > 65536 {
			return Response{}, &ProtocolError{Op: "GET RESPONSE", Detail: "response chain does not end"}
		}
		le := resp.SW.SW2()
		if resp, err = s.send([]byte{0x00, insGetResponse, 0x00, 0x00, le}); err != nil {
			return Response{}, err
		}
		data = append(data, resp.Data...)
	}
	return Response{Data: data, SW: resp.SW}, nil
}

// selectApp selects an application (unless the session believes it is selected and
// force is false). It returns the card's response; a SELECT that the card refused is
// not an error here. Selecting clears every verified PIN on the card.
func (s *Session) selectApp(a app, force bool) (Response, error) {
	if s.app == a && !force {
		return Response{SW: SWOK}, nil
	}
	aid := aidJPKI
	if a == appText {
		aid = aidText
	}
	s.app, s.ef, s.signVerified = appUnknown, 0, false
	resp, err := s.exchange(Command{CLA: 0x00, INS: insSelect, P1: 0x04, P2: 0x0C, Data: aid})
	if err != nil {
		return resp, err
	}
	if resp.SW == SWOK {
		s.app = a
	}
	return resp, nil
}

// inApp sends c with application a selected. When the session only believed a was
// selected and the card answers "not found" (another program may have selected
// something else between our transactions), it selects a and sends c once more.
// Never use it for a command that carries a PIN.
func (s *Session) inApp(a app, op string, c Command) (Response, error) {
	fresh := s.app != a
	resp, err := s.selectApp(a, false)
	if err != nil {
		return resp, err
	}
	if resp.SW != SWOK {
		return resp, &StatusError{Op: op + ": selecting the application", SW: resp.SW}
	}
	resp, err = s.exchange(c)
	if err != nil || fresh || (resp.SW != SWFileNotFound && resp.SW != SWReferenceNotFound) {
		return resp, err
	}
	if resp, err = s.selectApp(a, true); err != nil {
		return resp, err
	}
	if resp.SW != SWOK {
		return resp, &StatusError{Op: op + ": selecting the application", SW: resp.SW}
	}
	return s.exchange(c)
}

// selectEF makes fid the current EF of application a.
func (s *Session) selectEF(a app, fid uint16) error {
	if s.app == a && s.ef == fid {
		return nil
	}
	resp, err := s.inApp(a, "selecting a file", Command{CLA: 0x00, INS: insSelect, P1: 0x02, P2: 0x0C, Data: []byte{byte(fid >> 8), byte(fid)}})
	if err != nil {
		return err
	}
	if resp.SW != SWOK {
		s.ef = 0
		return &StatusError{Op: fmt.Sprintf("selecting EF %04X", fid), SW: resp.SW}
	}
	s.ef = fid
	return nil
}

// readBinary reads up to le bytes of the current EF at offset.
func (s *Session) readBinary(offset, le int) (Response, error) {
	return s.exchange(Command{CLA: 0x00, INS: insReadBinary, P1: byte(offset>>8) & 0x7F, P2: byte(offset), Le: le})
}

// readPrefix reads the first le bytes (at most) of an EF of application a.
func (s *Session) readPrefix(a app, fid uint16, le int) ([]byte, error) {
	op := fmt.Sprintf("reading EF %04X", fid)
	var resp Response
	var err error
	if s.opts.ShortFileIDs {
		resp, err = s.inApp(a, op, Command{CLA: 0x00, INS: insReadBinary, P1: 0x80 | byte(fid), P2: 0x00, Le: le})
		if err == nil && resp.SW == SWOK {
			s.ef = fid
		}
	} else {
		if err = s.selectEF(a, fid); err != nil {
			return nil, err
		}
		resp, err = s.readBinary(0, le)
	}
	if err != nil {
		return nil, err
	}
	if resp.SW != SWOK {
		return nil, &StatusError{Op: op, SW: resp.SW}
	}
	return resp.Data, nil
}

// maxFile is the largest file READ BINARY can address with its 15-bit offset.
const maxFile = 0x7FFF

// readTLVFile reads an EF that holds one BER-TLV object (a certificate, a text-AP
// record) in 256-byte chunks, learning its size from the TLV header in the first
// chunk. Anything after the object (padding) is not read.
func (s *Session) readTLVFile(a app, fid uint16) ([]byte, error) {
	op := fmt.Sprintf("reading EF %04X", fid)
	first, err := s.readPrefix(a, fid, 256)
	if err != nil {
		return nil, err
	}
	_, l, h, err := tlvHeader(first)
	if err != nil {
		return nil, &ProtocolError{Op: op, Detail: "the file does not start with a TLV header"}
	}
	total := h + l
	if total > maxFile {
		return nil, &ProtocolError{Op: op, Detail: fmt.Sprintf("announced size %d exceeds what READ BINARY can address", total)}
	}
	data := make([]byte, 0, total)
	data = append(data, first[:min(len(first), total)]...)
	for len(data) < total {
		resp, err := s.readBinary(len(data), min(256, total-len(data)))
		if err != nil {
			return nil, err
		}
		if resp.SW == SWOffsetOutOfRange {
			return nil, &ProtocolError{Op: op, Detail: fmt.Sprintf("file ends at %d bytes, its header announces %d", len(data), total)}
		}
		if resp.SW != SWOK {
			return nil, &StatusError{Op: op, SW: resp.SW}
		}
		if len(resp.Data) == 0 {
			return nil, &ProtocolError{Op: op, Detail: "the card returned no data"}
		}
		data = append(data, resp.Data[:min(len(resp.Data), total-len(data))]...)
	}
	return data, nil
}

// asStatus is errors.As for *StatusError.
func asStatus(err error, target **StatusError) bool { return errors.As(err, target) }
