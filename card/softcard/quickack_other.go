//go:build !linux

package softcard

import "net"

// quickAck is a Linux refinement (see quickack_linux.go); elsewhere vpcd is just
// slower per APDU.
func quickAck(net.Conn) {}
