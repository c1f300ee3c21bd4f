package softcard

import (
	"net"
	"syscall"
)

// quickAck asks the kernel to acknowledge received data at once. vpcd writes a length
// and its payload with two send calls and without TCP_NODELAY: with the kernel's
// delayed acknowledgement on our side, each payload would wait ~40 ms for the ACK of
// its length (Nagle). Quick-ACK mode is not sticky, so it is set before every read.
func quickAck(c net.Conn) {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return
	}
	raw, err := tc.SyscallConn()
	if err != nil {
		return
	}
	raw.Control(func(fd uintptr) {
		syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_QUICKACK, 1)
	})
}
