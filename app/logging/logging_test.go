package logging

import (
	"bytes"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"
)

func TestSetupLevels(t *testing.T) {
	var buf bytes.Buffer
	if err := Setup("debug", &buf); err != nil {
		t.Fatal(err)
	}
	if logrus.GetLevel() != logrus.DebugLevel {
		t.Fatalf("level = %v", logrus.GetLevel())
	}
	if err := Setup("loud", &buf); err == nil {
		t.Fatal("an unknown level was accepted")
	}
	t.Setenv(EnvLevel, "error")
	if err := Setup("", &buf); err != nil || logrus.GetLevel() != logrus.ErrorLevel {
		t.Fatalf("env level: %v %v", err, logrus.GetLevel())
	}
}

func TestRedactsMyNumberShapes(t *testing.T) {
	var buf bytes.Buffer
	if err := Setup("info", &buf); err != nil {
		t.Fatal(err)
	}
	logrus.WithField("value", "id=123456789012.").Info("number 123456789018 read")
	out := buf.String()
	for _, leak := range []string{"123456789012", "123456789018"} {
		if strings.Contains(out, leak) {
			t.Fatalf("log carries %s: %s", leak, out)
		}
	}
	// Longer and shorter digit runs (serials, dates) are not masked.
	if got := Redact("20260101 1234567890123"); got != "20260101 1234567890123" {
		t.Fatalf("Redact changed non-My-Number text: %q", got)
	}
}
