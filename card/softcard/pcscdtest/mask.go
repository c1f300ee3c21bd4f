package pcscdtest

import (
	"fmt"
	"strconv"
	"strings"
)

// apduMarker starts the hex dump of a command in pcscd's --apdu log.
const apduMarker = "APDU: "

// maskSecrets hides the data of a command that carries a password (VERIFY, CHANGE
// REFERENCE DATA, RESET RETRY COUNTER) in one line of pcscd's log: the header stays,
// so the log still tells which command was sent, and the password does not reach test
// output. Other lines are returned unchanged.
func maskSecrets(line string) string {
	i := strings.Index(line, apduMarker)
	if i < 0 {
		return line
	}
	fields := strings.Fields(line[i+len(apduMarker):])
	if len(fields) <= 5 {
		return line // no data: a status query such as VERIFY without Lc
	}
	ins, err := strconv.ParseUint(fields[1], 16, 8)
	if err != nil {
		return line
	}
	switch ins {
	case 0x20, 0x24, 0x2C:
		return line[:i+len(apduMarker)] + strings.Join(fields[:5], " ") +
			fmt.Sprintf(" (%d bytes of data hidden)", len(fields)-5)
	}
	return line
}
