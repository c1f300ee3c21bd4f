package app

import (
	"context"
	"sort"
	"sync"

	"github.com/sirupsen/logrus"

	"github.com/mynasign/mynasign/app/flow"
	"github.com/mynasign/mynasign/card"
)

// CardSource is where the GUI gets cards from: the PC/SC service, or the software test
// card (テストカードで試す).
type CardSource interface {
	// Watch reports the readers and what is in them, once at the start and again after
	// every change, until ctx ends. It waits for events; it does not poll.
	Watch(ctx context.Context, report func(Readers))
	// Open opens the card in the named reader.
	Open(reader string) (*card.Session, error)
	// Test reports whether this is the software test card.
	Test() bool
}

// Readers is a snapshot of the readers and cards.
type Readers struct {
	// Err is set when the card service cannot be reached (pcscd not running).
	Err error
	// Known is false until the source has reported for the first time.
	Known   bool
	Readers []ReaderInfo
}

// ReaderInfo is one reader and what it holds.
type ReaderInfo struct {
	Name    string
	Present bool   // a card is in the reader
	ATR     []byte // the card's ATR, when present
	// Kind is what the card is (0 while not identified, or when that failed: IDErr).
	Kind  card.Kind
	IDErr error
	// SignBlocked and AuthBlocked say that the signature password or the
	// authentication PIN of a My Number Card is blocked, as read when the card was
	// identified (reading it spends no try).
	SignBlocked, AuthBlocked bool
}

// usable lists the readers holding a My Number Card.
func (r Readers) usable() []ReaderInfo {
	var out []ReaderInfo
	for _, rd := range r.Readers {
		if rd.Present && rd.Kind == card.KindMyNumberCard {
			out = append(out, rd)
		}
	}
	return out
}

// pcscSource is the real card service: card.Watch for the events, and a short session
// on each inserted card to tell what it is (SELECT and the token label: no PIN is
// involved, no try is spent).
type pcscSource struct{}

func newPCSCSource() CardSource { return pcscSource{} }

func (pcscSource) Test() bool { return false }

func (pcscSource) Open(reader string) (*card.Session, error) {
	return card.OpenReader(reader, card.Options{})
}

func (pcscSource) Watch(ctx context.Context, report func(Readers)) {
	events := make(chan card.Event)
	done := make(chan error, 1)
	go func() { done <- card.Watch(ctx, events) }()
	state := Readers{}
	byName := map[string]*ReaderInfo{}
	emit := func() {
		state.Known = true
		state.Readers = state.Readers[:0]
		for _, r := range byName {
			state.Readers = append(state.Readers, *r)
		}
		sort.Slice(state.Readers, func(i, j int) bool { return state.Readers[i].Name < state.Readers[j].Name })
		report(Readers{Err: state.Err, Known: true, Readers: append([]ReaderInfo(nil), state.Readers...)})
	}
	for {
		select {
		case <-ctx.Done():
			<-done
			return
		case err := <-done:
			if ctx.Err() == nil && err != nil {
				state.Err = err
				emit()
			}
			<-ctx.Done()
			return
		case ev := <-events:
			switch ev.Kind {
			case card.ServiceAvailable:
				state.Err = nil
			case card.ServiceUnavailable:
				state.Err = ev.Err
				if state.Err == nil {
					state.Err = card.ErrNoService
				}
			case card.ReaderAdded:
				byName[ev.Reader] = &ReaderInfo{Name: ev.Reader}
			case card.ReaderRemoved:
				delete(byName, ev.Reader)
			case card.CardInserted:
				r := byName[ev.Reader]
				if r == nil {
					r = &ReaderInfo{Name: ev.Reader}
					byName[ev.Reader] = r
				}
				r.Present, r.ATR, r.Kind, r.IDErr, r.SignBlocked, r.AuthBlocked = true, ev.ATR, 0, nil, false, false
				emit() // "a card is there" at once; what it is follows
				r.Kind, r.SignBlocked, r.AuthBlocked, r.IDErr = identify(ev.Reader)
			case card.CardRemoved:
				if r := byName[ev.Reader]; r != nil {
					r.Present, r.ATR, r.Kind, r.IDErr = false, nil, 0, nil
				}
			}
			// Several events in a row (the start) are reported once they are through.
			if len(events) == 0 {
				emit()
			}
		}
	}
}

// identify opens the card in reader just long enough to read what it is and, for a My
// Number Card, which of its PINs are blocked.
func identify(reader string) (kind card.Kind, signBlocked, authBlocked bool, err error) {
	s, err := card.OpenReader(reader, card.Options{})
	if err != nil {
		logrus.WithError(err).Info("identifying the inserted card")
		return 0, false, false, err
	}
	defer s.Close()
	signBlocked, authBlocked = pinsBlocked(s)
	return s.Kind(), signBlocked, authBlocked, nil
}

// pinsBlocked reads whether the signature password and the authentication PIN of the
// card in s are blocked (the status spends no try). A status that cannot be read (no
// signature certificate on a child's card, not a My Number Card) counts as not blocked:
// the screens that use the PIN say what is wrong.
func pinsBlocked(s *card.Session) (sign, auth bool) {
	if s.Kind() != card.KindMyNumberCard {
		return false, false
	}
	if st, err := s.PINStatus(card.SignPassword); err == nil {
		sign = st.Blocked
	}
	if st, err := s.PINStatus(card.AuthPIN); err == nil {
		auth = st.Blocked
	}
	return sign, auth
}

// cardWatch runs the current CardSource's Watch and keeps the last snapshot for the
// screens (home status, reader choice).
type cardWatch struct {
	u      *UI
	mu     sync.Mutex
	last   Readers
	cancel context.CancelFunc
	done   chan struct{}
	// subs are called (on the Fyne thread) after every change.
	subs map[int]func(Readers)
	next int
	// shown is the last snapshot the screens were updated with, delivered counts the
	// updates (tests wait on them).
	shown     Readers
	delivered int
	// noted are the PINs seen blocked by the screens (a PIN prompt) since the card
	// was put in: the status read at identification is older.
	noted map[notedPIN]bool
}

// notedPIN is a PIN of the card in a reader.
type notedPIN struct {
	reader string
	kind   card.PINKind
}

func newCardWatch(u *UI) *cardWatch { return &cardWatch{u: u, subs: map[int]func(Readers){}} }

// start watches src, stopping the previous watch.
func (w *cardWatch) start(src CardSource) {
	w.stop()
	w.mu.Lock()
	w.last = Readers{}
	w.mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	w.cancel, w.done = cancel, done
	go func() {
		defer close(done)
		src.Watch(ctx, func(r Readers) {
			if ctx.Err() != nil {
				return
			}
			w.mu.Lock()
			r = w.withNoted(r)
			w.last = r
			subs := make([]func(Readers), 0, len(w.subs))
			keys := make([]int, 0, len(w.subs))
			for k := range w.subs {
				keys = append(keys, k)
			}
			sort.Ints(keys)
			for _, k := range keys {
				subs = append(subs, w.subs[k])
			}
			w.mu.Unlock()
			doUI(func() {
				w.u.refreshCardStatus()
				for _, f := range subs {
					f(r)
				}
				w.mu.Lock()
				w.shown = r
				w.delivered++
				w.mu.Unlock()
			})
		})
	}()
}

func (w *cardWatch) stop() {
	if w.cancel != nil {
		w.cancel()
		<-w.done
		w.cancel = nil
	}
}

// withNoted marks the PINs noted blocked in r, and forgets those of readers whose card
// was taken out. w.mu is held.
func (w *cardWatch) withNoted(r Readers) Readers {
	if len(w.noted) == 0 {
		return r
	}
	r.Readers = append([]ReaderInfo(nil), r.Readers...)
	for i := range r.Readers {
		rd := &r.Readers[i]
		if !rd.Present {
			delete(w.noted, notedPIN{rd.Name, card.SignPassword})
			delete(w.noted, notedPIN{rd.Name, card.AuthPIN})
			continue
		}
		rd.SignBlocked = rd.SignBlocked || w.noted[notedPIN{rd.Name, card.SignPassword}]
		rd.AuthBlocked = rd.AuthBlocked || w.noted[notedPIN{rd.Name, card.AuthPIN}]
	}
	return r
}

// noteBlocked records that a screen found the PIN kind of the card in reader blocked,
// for the home status, until the card is taken out. It runs on the Fyne thread.
func (w *cardWatch) noteBlocked(reader string, kind card.PINKind) {
	if reader == "" || (kind != card.SignPassword && kind != card.AuthPIN) {
		return
	}
	w.mu.Lock()
	if w.noted == nil {
		w.noted = map[notedPIN]bool{}
	}
	w.noted[notedPIN{reader, kind}] = true
	w.last = w.withNoted(w.last)
	w.mu.Unlock()
	w.u.refreshCardStatus()
}

func (w *cardWatch) snapshot() Readers {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.last
}

// subscribe calls f on the Fyne thread after every change until the returned function
// is called.
func (w *cardWatch) subscribe(f func(Readers)) (unsubscribe func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	id := w.next
	w.next++
	w.subs[id] = f
	return func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		delete(w.subs, id)
	}
}

// cardErrorText explains a card error to the user (flow.Explain, the one mapping the CLI
// uses too).
func (u *UI) cardErrorText(err error) string {
	if e, ok := flow.Explain(err); ok {
		return e.Text(u.l)
	}
	return u.t("gui.carderr.other")
}

// kindKey is the message key describing a kind of card.
func kindKey(k card.Kind) string {
	switch k {
	case card.KindMyNumberCard:
		return "gui.kind.mynumber"
	case card.KindJukiCard:
		return "gui.kind.juki"
	case card.KindSmartphoneToken:
		return "gui.kind.smartphone"
	case card.KindUnknownJPKI:
		return "gui.kind.unknown_jpki"
	case card.KindNotJPKI:
		return "gui.kind.not_jpki"
	}
	return "gui.kind.unidentified"
}
