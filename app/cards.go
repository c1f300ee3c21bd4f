package app

import (
	"context"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// CardSource is where the GUI gets cards from: the PC/SC service, or the software test
// card (テストカードで試す).
type CardSource interface {
	// Watch reports the readers and what is in them, once at the start and again after
	// every change, until ctx ends. It blocks; it waits for events, it does not poll.
	Watch(ctx context.Context, report func(Readers))
	// Test reports whether this is the software test card.
	Test() bool
}

// Readers is a snapshot of the readers and cards.
type Readers struct {
	// Err is set when the card service cannot be reached (pcscd not running).
	Err     error
	Readers []ReaderInfo
}

// ReaderInfo is one reader and what it holds.
type ReaderInfo struct {
	Name    string
	Present bool   // a card is in the reader
	ATR     []byte // the card's ATR, when present
}

// cardWatch runs the current CardSource's Watch and keeps the last snapshot for the
// screens (home status, reader selection).
type cardWatch struct {
	u      *UI
	mu     sync.Mutex
	last   Readers
	cancel context.CancelFunc
	done   chan struct{}
}

func newCardWatch(u *UI) *cardWatch { return &cardWatch{u: u} }

// start watches src (stopping the previous watch).
func (w *cardWatch) start(src CardSource) {
	w.stop()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	w.cancel, w.done = cancel, done
	go func() {
		defer close(done)
		src.Watch(ctx, func(r Readers) {
			w.mu.Lock()
			w.last = r
			w.mu.Unlock()
			fyne.Do(w.u.refreshCardStatus)
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

func (w *cardWatch) snapshot() Readers {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.last
}

// refreshCardStatus redraws the home screen's reader and card lines.
func (u *UI) refreshCardStatus() {
	if u.home == nil || u.home.cards == nil {
		return
	}
	r := u.watch.snapshot()
	var objs []fyne.CanvasObject
	switch {
	case r.Err != nil:
		objs = append(objs, widget.NewLabel(u.t("gui.status.no_service")))
	case len(r.Readers) == 0:
		objs = append(objs, widget.NewLabel(u.t("gui.status.no_reader")))
	default:
		for _, rd := range r.Readers {
			state := u.t("gui.status.no_card")
			if rd.Present {
				state = u.t("gui.status.card_present")
			}
			objs = append(objs, widget.NewLabel(u.t("gui.status.reader_line", rd.Name, state)))
		}
	}
	u.home.cards.Objects = objs
	u.home.cards.Refresh()
}
