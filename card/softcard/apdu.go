package softcard

import "errors"

// command is a parsed command APDU as the card sees it.
type command struct {
	cla, ins, p1, p2 byte
	data             []byte
	// le is the expected response length: -1 when absent, else 1..65536.
	le       int
	extended bool
}

// errLength is any malformed length field: the card answers 6700.
var errLength = errors.New("malformed APDU length")

// parseCommand decodes a command APDU in any of the ISO/IEC 7816-3 cases (1, 2, 3, 4,
// short or extended). It never panics; malformed input gives errLength.
func parseCommand(b []byte) (command, error) {
	if len(b) < 4 {
		return command{}, errLength
	}
	c := command{cla: b[0], ins: b[1], p1: b[2], p2: b[3], le: -1}
	body := b[4:]
	switch {
	case len(body) == 0: // case 1
		return c, nil
	case len(body) == 1: // case 2 short
		c.le = shortLe(body[0])
		return c, nil
	case body[0] != 0: // short Lc
		lc := int(body[0])
		switch len(body) {
		case 1 + lc: // case 3 short
			c.data = body[1:]
			return c, nil
		case 2 + lc: // case 4 short
			c.data = body[1 : 1+lc]
			c.le = shortLe(body[1+lc])
			return c, nil
		}
		return command{}, errLength
	}
	// body[0] == 0 and more than one byte: extended length.
	c.extended = true
	if len(body) == 3 { // case 2 extended
		c.le = extendedLe(body[1], body[2])
		return c, nil
	}
	if len(body) < 3 {
		return command{}, errLength
	}
	lc := int(body[1])<<8 | int(body[2])
	if lc == 0 {
		return command{}, errLength
	}
	switch len(body) {
	case 3 + lc: // case 3 extended
		c.data = body[3:]
		return c, nil
	case 5 + lc: // case 4 extended
		c.data = body[3 : 3+lc]
		c.le = extendedLe(body[3+lc], body[4+lc])
		return c, nil
	}
	return command{}, errLength
}

func shortLe(b byte) int {
	if b == 0 {
		return 256
	}
	return int(b)
}

func extendedLe(hi, lo byte) int {
	n := int(hi)<<8 | int(lo)
	if n == 0 {
		return 65536
	}
	return n
}

// Status words the card answers with.
const (
	swOK                 = 0x9000
	swWrongLength        = 0x6700
	swChannelUnsupported = 0x6881
	swSMUnsupported      = 0x6882
	swChainUnsupported   = 0x6884
	swFileIncompatible   = 0x6981
	swSecurityStatus     = 0x6982
	swAuthBlocked        = 0x6983
	swRefDataBlocked     = 0x6984
	swConditions         = 0x6985
	swNoCurrentEF        = 0x6986
	swWrongData          = 0x6A80
	swFileNotFound       = 0x6A82
	swIncorrectP1P2      = 0x6A86
	swRefNotFound        = 0x6A88
	swWrongOffset        = 0x6B00
	swINSUnsupported     = 0x6D00
	swCLAUnsupported     = 0x6E00
	swSMRefused          = 0x69FC
)
