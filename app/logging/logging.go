// Package logging configures the process-wide logrus logger for mynasign: plain text on
// standard error, at a level taken from the --log-level flag or MYNASIGN_LOG_LEVEL.
//
// The project's rule is that no PIN, My Number or personal data (name, address, birth date)
// is ever logged; code identifies a card by a short hash of its certificate serial. As a
// second line of defence, Setup installs a hook that masks any run of 12 digits (the shape
// of a My Number) before an entry is written.
package logging

import (
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/sirupsen/logrus"
)

// EnvLevel is the environment variable that sets the log level when no flag does.
const EnvLevel = "MYNASIGN_LOG_LEVEL"

// DefaultLevel is used when neither the flag nor the environment sets a level.
const DefaultLevel = "warning"

// Setup points the standard logrus logger at w (standard error when nil) with the given
// level ("" means MYNASIGN_LOG_LEVEL, then DefaultLevel).
func Setup(level string, w io.Writer) error {
	if level == "" {
		level = os.Getenv(EnvLevel)
	}
	if level == "" {
		level = DefaultLevel
	}
	lvl, err := logrus.ParseLevel(strings.ToLower(level))
	if err != nil {
		return fmt.Errorf("log level %q: want one of panic, fatal, error, warning, info, debug, trace", level)
	}
	if w == nil {
		w = os.Stderr
	}
	l := logrus.StandardLogger()
	l.SetOutput(w)
	l.SetLevel(lvl)
	l.SetFormatter(&logrus.TextFormatter{DisableColors: true, FullTimestamp: true})
	l.ReplaceHooks(logrus.LevelHooks{})
	l.AddHook(redactHook{})
	return nil
}

// myNumberShape matches a run of exactly 12 digits, the form of an individual number.
var myNumberShape = regexp.MustCompile(`(^|[^0-9])[0-9]{12}([^0-9]|$)`)

// Redact masks anything in s that has the shape of a My Number.
func Redact(s string) string {
	return myNumberShape.ReplaceAllString(s, "${1}************${2}")
}

// redactHook masks My Number shaped text in messages and string fields.
type redactHook struct{}

func (redactHook) Levels() []logrus.Level { return logrus.AllLevels }

func (redactHook) Fire(e *logrus.Entry) error {
	e.Message = Redact(e.Message)
	for k, v := range e.Data {
		if s, ok := v.(string); ok {
			e.Data[k] = Redact(s)
		}
	}
	return nil
}
