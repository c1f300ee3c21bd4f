package card

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/mynasign/mynasign/card/internal/pcsc"
)

// EventKind says what changed.
type EventKind int

// The changes Watch reports.
const (
	ReaderAdded EventKind = iota + 1
	ReaderRemoved
	CardInserted
	CardRemoved
	// ServiceAvailable: Watch reached the PC/SC service (at start, or again).
	ServiceAvailable
	// ServiceUnavailable: the PC/SC service is not running or went away; Watch keeps
	// trying to reach it. Err says why.
	ServiceUnavailable
)

// String describes the EventKind in English (for logs and errors).
func (k EventKind) String() string {
	switch k {
	case ReaderAdded:
		return "reader added"
	case ReaderRemoved:
		return "reader removed"
	case CardInserted:
		return "card inserted"
	case CardRemoved:
		return "card removed"
	case ServiceAvailable:
		return "service available"
	case ServiceUnavailable:
		return "service unavailable"
	}
	return "unknown event"
}

// Event is one change of readers, cards or the PC/SC service.
type Event struct {
	Kind   EventKind
	Reader string // for reader and card events
	ATR    []byte // for CardInserted
	Err    error  // for ServiceUnavailable
}

// serviceRetry is how long Watch waits before trying to reach the service again.
const serviceRetry = time.Second

// Watch reports reader and card changes on events until ctx is done, then returns
// ctx's error. It starts with the current state (ServiceAvailable, then ReaderAdded and
// CardInserted for what is there already), then waits on PC/SC events with
// SCardGetStatusChange and the PnP pseudo-reader: nothing polls. When the service is
// missing or stops, it reports the readers gone and ServiceUnavailable, and tries again
// every second. Sends on events block; the caller must keep reading.
func Watch(ctx context.Context, events chan<- Event) error {
	w := &watcher{out: events, present: map[string]bool{}}
	for {
		pc, err := pcsc.EstablishContext()
		if err == nil {
			if !w.send(ctx, Event{Kind: ServiceAvailable}) {
				pc.Release()
				return ctx.Err()
			}
			w.down = false
			err = w.run(ctx, pc)
			pc.Release()
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !w.sync(ctx, nil) {
			return ctx.Err()
		}
		if !w.down {
			w.down = true
			if !w.send(ctx, Event{Kind: ServiceUnavailable, Err: classifyPCSC(err)}) {
				return ctx.Err()
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(serviceRetry):
		}
	}
}

type watcher struct {
	out     chan<- Event
	present map[string]bool // known readers → card present
	down    bool
}

func (w *watcher) send(ctx context.Context, e Event) bool {
	select {
	case w.out <- e:
		return true
	case <-ctx.Done():
		return false
	}
}

// diffReaders compares the known readers with the current list.
func diffReaders(known map[string]bool, now []string) (added, removed []string) {
	for _, r := range now {
		if _, ok := known[r]; !ok {
			added = append(added, r)
		}
	}
	for r := range known {
		if !slices.Contains(now, r) {
			removed = append(removed, r)
		}
	}
	slices.Sort(added)
	slices.Sort(removed)
	return added, removed
}

// sync reports the readers that appeared and disappeared (a disappearing reader's card
// is reported removed first).
func (w *watcher) sync(ctx context.Context, now []string) bool {
	added, removed := diffReaders(w.present, now)
	for _, r := range removed {
		if w.present[r] && !w.send(ctx, Event{Kind: CardRemoved, Reader: r}) {
			return false
		}
		delete(w.present, r)
		if !w.send(ctx, Event{Kind: ReaderRemoved, Reader: r}) {
			return false
		}
	}
	for _, r := range added {
		w.present[r] = false
		if !w.send(ctx, Event{Kind: ReaderAdded, Reader: r}) {
			return false
		}
	}
	return true
}

// run watches with one PC/SC context until an error (or ctx is done).
func (w *watcher) run(ctx context.Context, pc *pcsc.Context) error {
	states := []pcsc.ReaderState{{Reader: pcsc.PnPNotification}}
	relist := true
	quiet := 0
	for {
		if relist {
			readers, err := pc.ListReaders()
			if err != nil {
				return err
			}
			if !w.sync(ctx, readers) {
				return ctx.Err()
			}
			states = rebuildStates(states, readers)
			relist = false
		}
		err := pc.GetStatusChange(ctx, -1, states)
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, pcsc.ErrTimeout):
			continue
		case errors.Is(err, pcsc.ErrUnknownReader):
			relist = true // a reader left between listing and waiting
			continue
		case err != nil:
			return err
		}
		changed := false
		for i := range states {
			ev := states[i].EventState
			if ev.Has(pcsc.StateChanged) {
				changed = true
			}
			if i == 0 {
				if ev.Has(pcsc.StateChanged) {
					relist = true
				}
			} else if ev.Has(pcsc.StateUnknown) {
				relist = true
			} else if p := ev.Has(pcsc.StatePresent); p != w.present[states[i].Reader] {
				w.present[states[i].Reader] = p
				e := Event{Kind: CardRemoved, Reader: states[i].Reader}
				if p {
					e = Event{Kind: CardInserted, Reader: states[i].Reader, ATR: states[i].ATR}
				}
				if !w.send(ctx, e) {
					return ctx.Err()
				}
			}
			states[i].CurrentState = ev &^ pcsc.StateChanged
		}
		// A PC/SC stack that wakes us without reporting a change must not turn this
		// loop into a busy one.
		if quiet = quiet + 1; changed {
			quiet = 0
		}
		if quiet > 2 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(200 * time.Millisecond):
			}
		}
	}
}

// rebuildStates keeps the PnP entry and the known states of readers still there, and
// adds new readers as "unaware" (the next wait returns their state at once).
func rebuildStates(old []pcsc.ReaderState, readers []string) []pcsc.ReaderState {
	out := []pcsc.ReaderState{old[0]}
	for _, r := range readers {
		st := pcsc.ReaderState{Reader: r}
		for _, o := range old[1:] {
			if o.Reader == r {
				st.CurrentState = o.CurrentState
			}
		}
		out = append(out, st)
	}
	return out
}
