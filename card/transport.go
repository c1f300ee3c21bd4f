package card

// Transport carries command APDUs to one card: Conn over PC/SC, softcard.Card
// in-process.
type Transport interface {
	// Transmit sends one command APDU and returns the response APDU: the response data
	// followed by SW1 SW2. An error means the exchange itself failed (card removed,
	// reader gone); errors wrap ErrCardRemoved, ErrCardReset, ... where they apply.
	Transmit(command []byte) ([]byte, error)
}

// Transactor is implemented by transports that can hold the card for a group of
// commands, as a PC/SC transaction does. A Session brackets each operation with one
// transaction when its Transport implements Transactor.
type Transactor interface {
	// BeginTransaction starts exclusive use of the card. reset reports that the card
	// was reset since the previous transaction (every verified PIN is gone).
	BeginTransaction() (reset bool, err error)
	// EndTransaction ends it, leaving the card as it is.
	EndTransaction() error
}
