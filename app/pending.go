package app

import (
	"context"
	"fyne.io/fyne/v2"
)

// DEV SCAFFOLDING: replaced screen by screen as the APIs land. Not a feature.

type testCardSource struct{}

func (u *UI) testBanner() fyne.CanvasObject { return nil }
func (u *UI) showSignWizard()              {}
func (u *UI) showVerify(paths []string)    {}
func (u *UI) showMyCard()                  {}
func (u *UI) showCRLs()                    {}
func (u *UI) showDiagnostics()             {}
func (u *UI) showTestCard()                {}
func (u *UI) refreshCRLStatus()            {}

type pcscSource struct{}

func newPCSCSource() CardSource                                     { return pcscSource{} }
func (pcscSource) Watch(ctx context.Context, report func(Readers)) { report(Readers{}); <-ctx.Done() }
func (pcscSource) Test() bool                                       { return false }
