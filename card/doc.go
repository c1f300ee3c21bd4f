// Package card is mynasign's JPKI client for the My Number Card (マイナンバーカード).
//
// A Transport carries one command APDU to a card and brings its response back; Conn
// implements it over PC/SC (package card/internal/pcsc) and card/softcard implements it
// in-process. Open identifies the card behind a Transport and returns a Session with
// the card's operations: PIN status (without spending a try), VERIFY of the signature
// password, the certificates, a crypto.Signer over the signature key (the RSA operation
// runs on the card), and the text application's My Number and basic facts.
//
// PIN safety is built in: PINs are normalized (full-width to half-width, lowercase to
// uppercase) and validated before anything is sent, a malformed PIN is never sent,
// each Verify call sends at most one VERIFY with data and never retries, the last try
// is spent only with AllowLastTry, and PIN buffers are cleared after use. Nothing in
// this package logs a PIN, a My Number or personal data; BasicInfo and MyNumber print
// as redacted text.
//
// Every Session operation runs inside one PC/SC transaction. Watch reports readers and
// cards coming and going, from PC/SC events (no polling).
package card
