// Package app is mynasign's desktop GUI (Fyne): the home screen with the live reader
// and card status, the signing wizard, マイカード, verification, CRL management, reader
// diagnostics and the test card. It adds no cryptography of its own: it drives
// app/flow, card, trust, pdf and xades, and shows their results.
//
// Every text the user sees comes from app/i18n (Japanese by default, English
// selectable) and is drawn with the embedded BIZ UDGothic font (theme.go). Work that
// talks to a card or reads files runs on goroutines started by UI.goWork; widgets are
// only changed on Fyne's thread (fyne.Do).
package app

import (
	"context"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/sirupsen/logrus"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/trust"

	// Initialized before Fyne's lang package reads the locale (LANG=C.UTF-8).
	_ "github.com/mynasign/mynasign/app/localeenv"
	"github.com/mynasign/mynasign/app/logging"
	"github.com/mynasign/mynasign/internal/render"
	"github.com/mynasign/mynasign/internal/tempfile"
)

// AppID is the application identifier (FyneApp.toml, preferences).
const AppID = "jp.mynasign.app"

// Preference keys.
const (
	prefLang      = "lang"
	prefTextScale = "textScale"
)

// Config is what the GUI runs with. The zero value is the real app: PC/SC readers,
// the production trust store, the CRL store in the user's data folder.
type Config struct {
	// Lang forces a language; empty means the saved preference, then MYNASIGN_LANG,
	// then Japanese.
	Lang i18n.Lang
	// CRLDir is the CRL store; empty means the default folder (trust.DefaultCRLDir).
	CRLDir string
	// AnchorDir is the store of the CAs the user added; empty means the default folder
	// (trust.DefaultAnchorDir).
	AnchorDir string
	// Cards is where cards come from; nil means the PC/SC service.
	Cards CardSource
	// Now is the clock (tests pin it); nil means time.Now.
	Now func() time.Time
	// RenderCache keeps the page renderer's compiled code between runs; empty means
	// the user's cache folder (os.UserCacheDir()/mynasign/pdfium).
	RenderCache string
}

// UI is one running GUI: its window, language and the screen shown.
type UI struct {
	fa  fyne.App
	win fyne.Window
	cfg Config
	l   *i18n.Localizer

	jobs    sync.WaitGroup // background work started by goWork
	running atomic.Int32   // how much of it is still running

	cur *screen // the screen shown
	// modals are the app's pop-ups shown (showModal), each with what Escape does.
	modals map[fyne.CanvasObject]func()
	home   *homeScreen
	// verified are the documents of 検証する's list, kept until the clerk clears it.
	verified []*trust.DocumentReport
	// idCheck is the identity check screen last started (次の方 starts a new one).
	idCheck *idCheckScreen

	// cards is the source of cards in use: the PC/SC service, or the test card.
	cards    CardSource
	realSrc  CardSource
	testCard *testCardSource // non-nil while the test card is in use
	watch    *cardWatch
	// bannerToggle is the test banner's take out / put back button on the screen shown.
	bannerToggle *pushButton
	// pdfium renders page previews; its runtime starts on the first one (renderer).
	pdfium render.PDFium
}

// screen is one page of the window.
type screen struct {
	title   string
	body    fyne.CanvasObject
	actions []fyne.CanvasObject // buttons at the bottom right
	// cancel is one step back: Escape, Alt+← (the menu's 戻る) and the screen's own
	// 戻る run it; it asks first when work would be lost. nil means the home screen
	// (as home).
	cancel func()
	// home runs on the top bar's ホーム and Alt+Home: it asks first when work would be
	// lost, then shows the home screen. nil means the home screen at once.
	home func()
	// primary is the main action of the screen: Enter presses it (when it is enabled)
	// unless the focused control takes Enter itself.
	primary *pushButton
	// leave runs when the screen is replaced (stop work, clear secrets).
	leave func()
	// drop takes files dropped on the window while the screen is shown.
	drop func(paths []string)
	// focus is focused when the screen appears (keyboard users start there).
	focus fyne.Focusable
	// isHome marks the home screen (no back button).
	isHome bool
}

// Main starts the desktop app and returns when its window is closed. SIGINT and SIGTERM
// remove the app's temporary files and folders at once (package tempfile: signing
// outputs not yet saved, copies of e-Gov folders) and close the app.
func Main() int {
	if err := logging.Setup("", nil); err != nil {
		logrus.WithError(err).Warn("log level")
	}
	sigs := tempfile.WatchSignals(context.Background(), tempfile.DefaultGrace)
	fa := fyneapp.NewWithID(AppID)
	fa.SetIcon(iconPNG)
	u := New(fa, Config{})
	go func() {
		<-sigs.Context().Done()
		if sigs.Received() != nil {
			fyne.Do(fa.Quit)
		}
	}()
	u.win.ShowAndRun()
	u.Close()
	sigs.Stop()
	if sig := sigs.Received(); sig != nil {
		return tempfile.ExitCode(sig)
	}
	return 0
}

// New builds the GUI in fa (a real app, or test.NewApp() in tests) and shows the home
// screen in its window. The window is not shown: the caller does (ShowAndRun), or not
// (tests).
func New(fa fyne.App, cfg Config) *UI {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	u := &UI{fa: fa, cfg: cfg}
	u.pdfium.CacheDir = renderCacheDir(cfg.RenderCache)
	l := cfg.Lang
	if l == "" {
		l = i18n.Lang(fa.Preferences().StringWithFallback(prefLang, string(i18n.FromEnv().Lang())))
	}
	u.l = i18n.New(l)
	applyFyneLanguage(u.l.Lang())
	fa.Settings().SetTheme(newTheme(float32(fa.Preferences().FloatWithFallback(prefTextScale, 1))))

	u.realSrc = cfg.Cards
	if u.realSrc == nil {
		u.realSrc = newPCSCSource()
	}
	u.cards = u.realSrc

	u.win = fa.NewWindow(u.t("gui.app.title"))
	u.win.SetIcon(iconPNG)
	u.win.Resize(fyne.NewSize(980, 700))
	u.win.SetMaster()
	u.win.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) { u.Drop(uriPaths(uris)) })
	u.win.Canvas().SetOnTypedKey(u.typedKey)
	u.watch = newCardWatch(u)
	u.watch.subscribe(u.followTestCard)
	u.setMenu()
	u.showHome()
	u.watch.start(u.cards)
	return u
}

// Close stops the background work (the card watcher, a running job) and waits for it.
func (u *UI) Close() {
	if u.cur != nil && u.cur.leave != nil {
		u.cur.leave()
		u.cur.leave = nil
	}
	u.watch.stop()
	u.jobs.Wait()
	if err := u.pdfium.Close(); err != nil {
		logrus.WithError(err).Warn("closing the page renderer")
	}
}

// Window is the app's main window.
func (u *UI) Window() fyne.Window { return u.win }

// t translates a message key.
func (u *UI) t(key string, args ...any) string { return u.l.T(key, args...) }

// tn translates a message key with plural forms, in the form that n takes.
func (u *UI) tn(key string, n int, args ...any) string { return u.l.Plural(key, n, args...) }

// now is the clock.
func (u *UI) now() time.Time { return u.cfg.Now() }

// doUI runs f on Fyne's thread (fyne.Do). Background work changes widgets only through
// it. Tests replace it with a queue that the test goroutine drains: Fyne's test driver
// would otherwise run f at once on the calling goroutine, concurrently with the test.
var doUI = fyne.Do

// goWork runs work on a goroutine, tracked so that tests (and Close) can wait for it.
// work changes widgets only through doUI.
func (u *UI) goWork(work func()) {
	u.jobs.Add(1)
	u.running.Add(1)
	go func() {
		defer u.jobs.Done()
		defer u.running.Add(-1)
		work()
	}()
}

// show replaces the window's content with s.
func (u *UI) show(s *screen) {
	if u.cur != nil && u.cur.leave != nil {
		u.cur.leave()
	}
	// A pop-up asks about the screen it was shown over: it goes with it.
	for pop := range u.modals {
		pop.Hide()
	}
	clear(u.modals)
	u.cur = s
	u.win.SetContent(u.frame(s))
	u.relayout()
	if s.focus != nil {
		u.win.Canvas().Focus(s.focus)
	}
}

// relayout lays the window's content out again from the top. Fyne sizes a wrapped
// label by the width it had at the previous layout, and a container whose objects
// changed does not make its parents grow: after a screen appears or a part of it is
// rebuilt, a second pass from the top gives every text the height it needs.
func (u *UI) relayout() {
	if c := u.win.Content(); c != nil {
		c.Refresh()
	}
}

// typedKey handles the keys that reach the window: those typed while no control has
// the focus, and those the app's controls pass on (pushButton, keyEntry).
//   - Escape closes the dialog shown, else goes one step back (cancelScreen).
//   - Enter, with no button focused (a focused button takes Enter itself), presses the
//     screen's main action, unless a dialog is shown.
func (u *UI) typedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyEscape:
		if !u.closeDialog() {
			u.cancelScreen()
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		if !u.dialogShown() && u.cur != nil {
			u.cur.primary.press()
		}
	}
}

// cancelScreen is Escape and the menu's 戻る: the screen's own step back, else home
// (asking first when work would be lost).
func (u *UI) cancelScreen() {
	if u.cur == nil {
		return
	}
	if u.cur.cancel != nil {
		u.cur.cancel()
		return
	}
	u.goHome()
}

// goHome is the top bar's ホーム and the menu's ホーム: the screen's own way home (which
// asks first when work would be lost), else the home screen at once.
func (u *UI) goHome() {
	if u.cur == nil || u.cur.isHome {
		return
	}
	if u.cur.home != nil {
		u.cur.home()
		return
	}
	u.showHome()
}

// Drop hands files dropped on the window (or given on the command line) to the screen
// shown; the home screen starts verification with them.
func (u *UI) Drop(paths []string) {
	if len(paths) == 0 || u.cur == nil {
		return
	}
	if u.cur.drop != nil {
		u.cur.drop(paths)
	}
}

func uriPaths(uris []fyne.URI) []string {
	var paths []string
	for _, x := range uris {
		if x != nil && x.Scheme() == "file" {
			paths = append(paths, x.Path())
		}
	}
	return paths
}

// frame lays out a screen: a top bar (back button, title, the test-card banner), the
// body, and the actions at the bottom right.
func (u *UI) frame(s *screen) fyne.CanvasObject {
	title := widget.NewLabelWithStyle(s.title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	var top fyne.CanvasObject = title
	if !s.isHome {
		// ホーム, not 戻る: the one 戻る of a screen is its own (a wizard's previous step).
		home := newButton(u.t("gui.common.home"), theme.HomeIcon(), u.goHome)
		home.Importance = widget.LowImportance
		top = container.NewBorder(nil, nil, home, nil, title)
	}
	tops := []fyne.CanvasObject{top}
	if u.testCard != nil {
		tops = append(tops, u.testBanner())
	}
	tops = append(tops, widget.NewSeparator())
	var bottom fyne.CanvasObject
	if len(s.actions) > 0 {
		bottom = container.NewVBox(widget.NewSeparator(),
			container.NewHBox(append([]fyne.CanvasObject{layout.NewSpacer()}, s.actions...)...))
	}
	// The order of the objects is the order of Tab: the content, its step buttons, then
	// the top bar.
	head := container.NewVBox(tops...)
	objs := []fyne.CanvasObject{s.body}
	if bottom != nil {
		objs = append(objs, bottom)
	}
	return container.New(layout.NewBorderLayout(head, bottom, nil, nil), append(objs, head)...)
}

// setLanguage switches the language and shows the home screen again in it.
func (u *UI) setLanguage(l i18n.Lang) {
	if l == u.l.Lang() {
		return
	}
	u.l = i18n.New(l)
	u.fa.Preferences().SetString(prefLang, string(l))
	applyFyneLanguage(l)
	u.win.SetTitle(u.t("gui.app.title"))
	u.setMenu()
	u.showHome()
}

// setMenu puts the main menu on the window: every tool, and 戻る / ホーム with
// shortcuts that work wherever the keyboard focus is (Escape reaches the window only
// when no field has the focus).
func (u *UI) setMenu() {
	item := func(key string, f func(), sc fyne.Shortcut) *fyne.MenuItem {
		it := fyne.NewMenuItem(u.t(key), f)
		it.Shortcut = sc
		return it
	}
	tools := fyne.NewMenu(u.t("gui.menu.tools"),
		item("gui.home.sign", u.showSignWizard, nil),
		item("gui.home.verify", func() { u.showVerify(nil) }, nil),
		fyne.NewMenuItemSeparator(),
		item("gui.home.idcheck", u.showIDCheck, nil),
		item("gui.home.mycard", u.showMyCard, nil),
		item("gui.home.crl", u.showCRLs, nil),
		item("gui.home.anchors", u.showAnchors, nil),
		item("gui.home.diagnostics", u.showDiagnostics, nil),
		item("gui.home.testcard", u.showTestCard, nil),
	)
	move := fyne.NewMenu(u.t("gui.menu.go"),
		item("gui.menu.back", u.cancelScreen, &desktop.CustomShortcut{KeyName: fyne.KeyLeft, Modifier: fyne.KeyModifierAlt}),
		item("gui.menu.home", u.goHome, &desktop.CustomShortcut{KeyName: fyne.KeyHome, Modifier: fyne.KeyModifierAlt}),
	)
	u.win.SetMainMenu(fyne.NewMainMenu(tools, move))
}

// setTextScale changes the text size factor (on top of the system's scale).
func (u *UI) setTextScale(f float32) {
	u.fa.Preferences().SetFloat(prefTextScale, float64(f))
	u.fa.Settings().SetTheme(newTheme(f))
}

// applyFyneLanguage makes Fyne's own strings (file dialogs, the entry's context menu)
// speak the app's language. Fyne takes the language from the environment (LANGUAGE,
// unless the locale is C/POSIX) and reads it again whenever translations are added.
// LC_ALL is left alone: C libraries underneath (GLFW's input handling) read it.
func applyFyneLanguage(l i18n.Lang) {
	os.Setenv("LANGUAGE", string(l))
	first := ""
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if first = os.Getenv(k); first != "" {
			break
		}
	}
	if (first == "C" || first == "POSIX") && os.Getenv("LC_ALL") == "" {
		os.Setenv("LC_MESSAGES", string(l))
	}
	_ = lang.AddTranslationsForLocale([]byte("{}"), fyne.Locale(l))
}
