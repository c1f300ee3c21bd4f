package card

import (
	"errors"
	"fmt"
)

// Command is a command APDU (ISO/IEC 7816-4).
type Command struct {
	CLA, INS, P1, P2 byte
	Data             []byte
	// Le is the number of response bytes expected: 0 means none (no Le field), 1..256
	// a short Le (256 is encoded as 00), more an extended Le (65536 as 0000).
	Le int
}

// Instruction bytes used by the JPKI client.
const (
	insSelect      = 0xA4
	insReadBinary  = 0xB0
	insVerify      = 0x20
	insGetResponse = 0xC0
	insSign        = 0x2A
)

// Bytes encodes the command, in short form when it fits and in extended form otherwise.
func (c Command) Bytes() ([]byte, error) {
	if len(c.Data) > 65535 {
		return nil, fmt.Errorf("apdu: %d data bytes exceed 65535", len(c.Data))
	}
	if c.Le < 0 || c.Le > 65536 {
		return nil, fmt.Errorf("apdu: Le %d out of range", c.Le)
	}
	out := []byte{c.CLA, c.INS, c.P1, c.P2}
	if len(c.Data) <= 255 && c.Le <= 256 {
		if len(c.Data) > 0 {
			out = append(out, byte(len(c.Data)))
			out = append(out, c.Data...)
		}
		if c.Le > 0 {
			out = append(out, byte(c.Le)) // 256 becomes 00
		}
		return out, nil
	}
	if len(c.Data) > 0 {
		out = append(out, 0, byte(len(c.Data)>>8), byte(len(c.Data)))
		out = append(out, c.Data...)
		if c.Le > 0 {
			out = append(out, byte(c.Le>>8), byte(c.Le)) // 65536 becomes 0000
		}
		return out, nil
	}
	if c.Le > 0 {
		out = append(out, 0, byte(c.Le>>8), byte(c.Le))
	}
	return out, nil
}

// StatusWord is the SW1-SW2 trailer of a response APDU.
type StatusWord uint16

// Status words the JPKI client acts on (see docs/jpki-card.md §6).
const (
	SWOK                     StatusWord = 0x9000
	SWWrongLength            StatusWord = 0x6700
	SWSecurityNotSatisfied   StatusWord = 0x6982
	SWAuthMethodBlocked      StatusWord = 0x6983
	SWReferenceDataBlocked   StatusWord = 0x6984
	SWConditionsNotSatisfied StatusWord = 0x6985
	SWFileNotFound           StatusWord = 0x6A82
	SWIncorrectP1P2          StatusWord = 0x6A86
	SWReferenceNotFound      StatusWord = 0x6A88
	SWOffsetOutOfRange       StatusWord = 0x6B00
	SWINSNotSupported        StatusWord = 0x6D00
	SWCLANotSupported        StatusWord = 0x6E00
)

// SW1 returns the first status byte.
func (sw StatusWord) SW1() byte { return byte(sw >> 8) }

// SW2 returns the second status byte.
func (sw StatusWord) SW2() byte { return byte(sw) }

// Tries reports x for a 63Cx status word ("verification failed, x tries left").
func (sw StatusWord) Tries() (int, bool) {
	if sw&0xFFF0 == 0x63C0 {
		return int(sw & 0x000F), true
	}
	return 0, false
}

// String describes the StatusWord in English (for logs and errors).
func (sw StatusWord) String() string {
	return fmt.Sprintf("%04X", uint16(sw))
}

// Response is a response APDU split into its data and status word.
type Response struct {
	Data []byte
	SW   StatusWord
}

// ErrShortResponse means a response had fewer than the two status bytes.
var ErrShortResponse = errors.New("apdu: response shorter than its status word")

// ParseResponse splits a response APDU into data and status word. The data aliases b.
func ParseResponse(b []byte) (Response, error) {
	if len(b) < 2 {
		return Response{}, ErrShortResponse
	}
	n := len(b) - 2
	return Response{Data: b[:n:n], SW: StatusWord(uint16(b[n])<<8 | uint16(b[n+1]))}, nil
}
