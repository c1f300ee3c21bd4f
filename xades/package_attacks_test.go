package xades

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/mynasign/mynasign/trust"
)

// Attacks on the names in an e-Gov package: two entries that are one file where the
// package is unpacked and read (Windows and macOS compare names without case, NFC and
// NFD alike, and Windows drops trailing dots and spaces). Whichever copy lands last is
// what the application reads; the verifier cannot know which one that is.

// zipWith zips the package folder dir and then adds the extra entries, in order.
func zipWith(t *testing.T, dir string, extra [][2]string) string {
	t.Helper()
	z := filepath.Join(t.TempDir(), "package.zip")
	f, err := os.Create(z)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		w, err := zw.Create(e.Name())
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	for _, x := range extra {
		w, err := zw.Create(x[0])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(x[1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return z
}

func TestPackageNamesThatAreOneFile(t *testing.T) {
	opts := personaOpts(t, "valid")
	pol := testPolicy(t)
	// The sample package with its attachment renamed 添付データ.pdf (デ has an NFD form).
	const nfc = "添付データ.pdf"
	src := copyDir(t, samplePackages[0])
	if err := os.Rename(filepath.Join(src, "tenpu_01.pdf"), filepath.Join(src, nfc)); err != nil {
		t.Fatal(err)
	}
	k, _ := os.ReadFile(filepath.Join(src, KouseiName))
	os.WriteFile(filepath.Join(src, KouseiName), []byte(strings.Replace(string(k), "tenpu_01.pdf", nfc, 1)), 0o644)
	signed := filepath.Join(t.TempDir(), "signed")
	if err := SignEGov(src, signed, opts); err != nil {
		t.Fatal(err)
	}
	if rep := VerifyEGov(signed, pol); rep.Indication != trust.TotalPassed {
		t.Fatalf("the signed package itself: %s %v", rep.Indication, rep.Error)
	}
	nfd := norm.NFD.String(nfc)
	if nfd == nfc {
		t.Fatal("no NFD form")
	}
	evil := "%PDF-1.4 forged attachment"
	cases := map[string]string{
		"upper case":            strings.ToUpper(nfc),
		"NFD form":              nfd,
		"trailing dot":          nfc + ".",
		"trailing space":        nfc + " ",
		"upper-case kousei.xml": "Kousei.xml",
	}
	for name, extra := range cases {
		t.Run("zip: "+name, func(t *testing.T) {
			z := zipWith(t, signed, [][2]string{{extra, evil}})
			checkOutcome(t, VerifyEGov(z, pol), outcome{key: MsgEGovNameClash, docError: true})
		})
		t.Run("folder: "+name, func(t *testing.T) {
			dir := copyDir(t, signed)
			if err := os.WriteFile(filepath.Join(dir, extra), []byte(evil), 0o644); err != nil {
				t.Fatal(err)
			}
			checkOutcome(t, VerifyEGov(dir, pol), outcome{key: MsgEGovNameClash, docError: true})
		})
	}
	t.Run("zip: same name in two folders that are one", func(t *testing.T) {
		z := filepath.Join(t.TempDir(), "nested.zip")
		f, _ := os.Create(z)
		zw := zip.NewWriter(f)
		entries, _ := os.ReadDir(signed)
		for _, e := range entries {
			b, _ := os.ReadFile(filepath.Join(signed, e.Name()))
			w, _ := zw.Create("pkg/" + e.Name())
			w.Write(b)
		}
		w, _ := zw.Create("PKG/" + nfc)
		w.Write([]byte(evil))
		zw.Close()
		f.Close()
		checkOutcome(t, VerifyEGov(z, pol), outcome{key: MsgEGovNameClash, docError: true})
	})
	t.Run("signing refuses such a folder", func(t *testing.T) {
		dir := copyDir(t, src)
		os.WriteFile(filepath.Join(dir, nfd), []byte(evil), 0o644)
		err := SignEGov(dir, filepath.Join(t.TempDir(), "out"), opts)
		var e *Error
		if !errors.As(err, &e) || e.Key != MsgEGovNameClash {
			t.Fatalf("signing a package with clashing names: %v", err)
		}
	})
}

// zipCDOffset returns the offset of the central directory of a (non-zip64) zip and the
// position of the end-of-central-directory record.
func zipCDOffset(t *testing.T, z []byte) (cd, eocd int) {
	t.Helper()
	eocd = bytes.LastIndex(z, []byte("PK\x05\x06"))
	if eocd < 0 {
		t.Fatal("no end of central directory")
	}
	return int(binary.LittleEndian.Uint32(z[eocd+16:])), eocd
}

// localEntry is a stored local file entry (header and data), without a data descriptor.
func localEntry(name, data string) []byte {
	var h [30]byte
	copy(h[:], "PK\x03\x04")
	binary.LittleEndian.PutUint16(h[4:], 20)
	binary.LittleEndian.PutUint32(h[14:], crc32.ChecksumIEEE([]byte(data)))
	binary.LittleEndian.PutUint32(h[18:], uint32(len(data)))
	binary.LittleEndian.PutUint32(h[22:], uint32(len(data)))
	binary.LittleEndian.PutUint16(h[26:], uint16(len(name)))
	return append(append(h[:], name...), data...)
}

func TestZipLocalEntriesTheDirectoryDoesNotList(t *testing.T) {
	opts := personaOpts(t, "valid")
	pol := testPolicy(t)
	signed := filepath.Join(t.TempDir(), "signed")
	if err := SignEGov(copyDir(t, samplePackages[0]), signed, opts); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(t.TempDir(), "good.zip")
	zipFolder(t, signed, good, "")
	if rep := VerifyEGov(good, pol); rep.Indication != trust.TotalPassed {
		t.Fatalf("the zipped package itself: %s %v", rep.Indication, rep.Error)
	}
	z, _ := os.ReadFile(good)
	evil := localEntry("tenpu_01.pdf", "%PDF-1.4 forged attachment")
	write := func(t *testing.T, data []byte) string {
		p := filepath.Join(t.TempDir(), "attack.zip")
		os.WriteFile(p, data, 0o644)
		return p
	}
	cases := map[string]func() []byte{
		// A reader that goes through the local headers (a streaming unzip) sees a second
		// tenpu_01.pdf after the first; the central directory does not list it.
		"hidden entry before the central directory": func() []byte {
			cd, eocd := zipCDOffset(t, z)
			out := append(append(append([]byte{}, z[:cd]...), evil...), z[cd:]...)
			binary.LittleEndian.PutUint32(out[eocd+len(evil)+16:], uint32(cd+len(evil)))
			return out
		},
		// The same, in front of the first entry: every offset moves, the central
		// directory is rewritten accordingly.
		"hidden entry in front": func() []byte {
			cd, eocd := zipCDOffset(t, z)
			out := append(append([]byte{}, evil...), z...)
			for p := cd + len(evil); p < eocd+len(evil); {
				binary.LittleEndian.PutUint32(out[p+42:], binary.LittleEndian.Uint32(out[p+42:])+uint32(len(evil)))
				p += 46 + int(binary.LittleEndian.Uint16(out[p+28:])) + int(binary.LittleEndian.Uint16(out[p+30:])) + int(binary.LittleEndian.Uint16(out[p+32:]))
			}
			binary.LittleEndian.PutUint32(out[eocd+len(evil)+16:], uint32(cd+len(evil)))
			return out
		},
		// The local header names the attachment otherwise than the central directory.
		"local name differs": func() []byte {
			out := append([]byte{}, z...)
			i := bytes.Index(out, []byte("PK\x03\x04"))
			for i >= 0 {
				n := int(binary.LittleEndian.Uint16(out[i+26:]))
				if string(out[i+30:i+30+n]) == "tenpu_01.pdf" {
					copy(out[i+30:], "tenpu_02.pdf")
					return out
				}
				j := bytes.Index(out[i+4:], []byte("PK\x03\x04"))
				if j < 0 {
					break
				}
				i += 4 + j
			}
			t.Fatal("no local header for tenpu_01.pdf")
			return nil
		},
	}
	for name, build := range cases {
		t.Run(name, func(t *testing.T) {
			data := build()
			zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
			if err != nil || len(zr.File) != 3 {
				t.Fatalf("the attack zip does not read as the package: %v", err)
			}
			checkOutcome(t, VerifyEGov(write(t, data), pol), outcome{key: MsgEGovZipLayout, docError: true})
		})
	}
}
