package card_test

import (
	"testing"

	"github.com/mynasign/mynasign/card"
	"github.com/mynasign/mynasign/card/softcard"
	"github.com/mynasign/mynasign/internal/testpki"
)

// modes are the two ways the client can name files; every flow runs in both.
var modes = []struct {
	name string
	opts card.Options
}{
	{"select-ef", card.Options{}},
	{"sfi", card.Options{ShortFileIDs: true}},
}

func persona(t testing.TB, id string) *testpki.Persona {
	t.Helper()
	p, err := testpki.PersonaByID(id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// newCard builds a software card for a persona, changed by edit when given.
func newCard(t testing.TB, id string, edit func(*softcard.Config)) *softcard.Card {
	t.Helper()
	cfg := softcard.ConfigFor(persona(t, id))
	if edit != nil {
		edit(&cfg)
	}
	c, err := softcard.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func open(t testing.TB, c *softcard.Card, opts card.Options) *card.Session {
	t.Helper()
	s, err := card.OpenWith(c, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// pin returns a fresh buffer holding s (the session clears it).
func pin(s string) []byte { return []byte(s) }
