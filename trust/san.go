package trust

import (
	"encoding/asn1"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// The subjectAltName otherName attributes of a JPKI signature certificate (jpki-card.md §7).
var (
	oidJPKIName         = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 5, 1}
	oidJPKINameFlags    = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 5, 2}
	oidJPKISex          = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 5, 3}
	oidJPKIBirthDate    = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 5, 4}
	oidJPKIAddress      = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 5, 5}
	oidJPKIAddressFlags = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 5, 6}
	// oidJPKIAttributeArc is the arc of the personal data attributes.
	oidJPKIAttributeArc = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 5}
)

// maxSANValue bounds one attribute value (a real name or address is well under 1 KB).
const maxSANValue = 4096

// PersonalData is the holder's identity written in a JPKI signature certificate's
// subjectAltName: the four basic facts (基本4情報) and the substitute-character flags. It is
// personal data: never log it.
//
// Every field holds what the certificate says; a value that is missing, malformed or
// unknown is left empty and described in Problems instead of being guessed.
type PersonalData struct {
	// Name is 氏名 (surname, U+3000, given name) with substitutes already applied.
	Name string `json:"name,omitempty"`
	// NameFlags is the raw per-character substitute flag string ("0" normal, "1" substituted).
	NameFlags string `json:"nameFlags,omitempty"`
	// NameSubstituted lists the 0-based character positions of Name that are substitutes
	// (valid only when NameFlagsValid).
	NameSubstituted []int `json:"nameSubstituted,omitempty"`
	// NameFlagsValid is true when NameFlags is well-formed and as long as Name.
	NameFlagsValid bool `json:"nameFlagsValid"`

	// Sex is "male", "female" or "unknown" (certificate codes 1, 2, 3); empty when absent or
	// when the code is not one of these (see SexCode).
	Sex string `json:"sex,omitempty"`
	// SexCode is the raw code.
	SexCode string `json:"sexCode,omitempty"`

	// BirthDateRaw is the raw value "EYYYYMMDD": an era digit and the Gregorian date.
	BirthDateRaw string `json:"birthDateRaw,omitempty"`
	// BirthEra is the era the certificate names: "meiji", "taisho", "showa", "heisei",
	// "reiwa", or "unknown" (digit 0); empty when the digit is not one of these.
	BirthEra string `json:"birthEra,omitempty"`
	// BirthEraYear is the year within BirthEra (1 = 元年); 0 when the era is unknown or
	// does not match the date.
	BirthEraYear int `json:"birthEraYear,omitempty"`
	// BirthDate is the Gregorian date as YYYY-MM-DD; empty when absent, malformed or
	// incomplete.
	BirthDate string `json:"birthDate,omitempty"`

	// Address is 住所 (starting with the prefecture), substitutes applied.
	Address string `json:"address,omitempty"`
	// AddressFlags is the raw per-character substitute flag string.
	AddressFlags string `json:"addressFlags,omitempty"`
	// AddressSubstituted lists the 0-based character positions of Address that are
	// substitutes (valid only when AddressFlagsValid).
	AddressSubstituted []int `json:"addressSubstituted,omitempty"`
	// AddressFlagsValid is true when AddressFlags is well-formed and as long as Address.
	AddressFlagsValid bool `json:"addressFlagsValid"`

	// Present records which of the six attributes the certificate carries, by OID suffix
	// ("1" name … "6" address flags).
	Present map[string]bool `json:"present,omitempty"`
	// Problems describes everything that was missing, malformed or unknown.
	Problems []Message `json:"problems,omitempty"`
}

// HasPersonalData reports whether at least one JPKI personal data attribute was found.
func (p *PersonalData) HasPersonalData() bool { return len(p.Present) > 0 }

// era is one Japanese era with its first day in the Gregorian calendar.
type era struct {
	digit byte
	name  string
	start time.Time // first day
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// eras lists the era digits of the birth date attribute, oldest first. Meiji's first day is
// the Gregorian equivalent of Meiji 1-1-1 (the era was proclaimed retroactively).
var eras = []era{
	{'1', "meiji", day(1868, time.January, 25)},
	{'2', "taisho", day(1912, time.July, 30)},
	{'3', "showa", day(1926, time.December, 25)},
	{'4', "heisei", day(1989, time.January, 8)},
	{'5', "reiwa", day(2019, time.May, 1)},
}

// problem builds a Message describing a personal data problem.
func problem(key string, args ...string) Message { return Message{Key: key, Args: args} }

// ParsePersonalData reads the JPKI personal data from the DER value of a subjectAltName
// extension (GeneralNames). It never fails: what cannot be read is described in Problems.
// Non-JPKI names (dNSName, other otherName types, …) are reported as unknown attributes.
func ParsePersonalData(sanDER []byte) *PersonalData {
	p := &PersonalData{Present: map[string]bool{}}
	in := cryptobyte.String(sanDER)
	var names cryptobyte.String
	if !in.ReadASN1(&names, cbasn1.SEQUENCE) || !in.Empty() {
		p.Problems = append(p.Problems, problem(MsgSANMalformed))
		return p
	}
	values := map[string]string{}
	for !names.Empty() {
		var gn cryptobyte.String
		var tag cbasn1.Tag
		if !names.ReadAnyASN1(&gn, &tag) {
			p.Problems = append(p.Problems, problem(MsgSANMalformed))
			break
		}
		if tag != cbasn1.Tag(0).Constructed().ContextSpecific() { // not an otherName
			p.Problems = append(p.Problems, problem(MsgSANOtherNameType, strconv.Itoa(int(tag&0x1f))))
			continue
		}
		var oid asn1.ObjectIdentifier
		var explicit cryptobyte.String
		if !gn.ReadASN1ObjectIdentifier(&oid) ||
			!gn.ReadASN1(&explicit, cbasn1.Tag(0).Constructed().ContextSpecific()) || !gn.Empty() {
			p.Problems = append(p.Problems, problem(MsgSANMalformed))
			continue
		}
		suffix, ok := jpkiAttribute(oid)
		if !ok {
			p.Problems = append(p.Problems, problem(MsgSANUnknownAttribute, oid.String()))
			continue
		}
		var val cryptobyte.String
		var vtag cbasn1.Tag
		if !explicit.ReadAnyASN1(&val, &vtag) || !explicit.Empty() {
			p.Problems = append(p.Problems, problem(MsgSANMalformed))
			continue
		}
		if vtag != cbasn1.UTF8String {
			p.Problems = append(p.Problems, problem(MsgSANValueType, oid.String()))
			continue
		}
		if len(val) > maxSANValue || !utf8.Valid(val) {
			p.Problems = append(p.Problems, problem(MsgSANValueEncoding, oid.String()))
			continue
		}
		if p.Present[suffix] {
			p.Problems = append(p.Problems, problem(MsgSANDuplicate, oid.String()))
			continue
		}
		p.Present[suffix] = true
		values[suffix] = string(val)
	}

	p.Name = values["1"]
	p.NameFlags = values["2"]
	if p.Present["1"] || p.Present["2"] {
		p.NameSubstituted, p.NameFlagsValid = substitutes(p.Name, p.NameFlags, p.Present["2"], oidJPKINameFlags, &p.Problems)
	}
	p.Address = values["5"]
	p.AddressFlags = values["6"]
	if p.Present["5"] || p.Present["6"] {
		p.AddressSubstituted, p.AddressFlagsValid = substitutes(p.Address, p.AddressFlags, p.Present["6"], oidJPKIAddressFlags, &p.Problems)
	}
	if p.Present["3"] {
		p.SexCode = values["3"]
		switch p.SexCode {
		case "1":
			p.Sex = "male"
		case "2":
			p.Sex = "female"
		case "3":
			p.Sex = "unknown"
		default:
			p.Problems = append(p.Problems, problem(MsgSANUnknownSex))
		}
	}
	if p.Present["4"] {
		p.BirthDateRaw = values["4"]
		p.parseBirthDate()
	}
	if len(p.Present) == 0 {
		p.Present = nil
	}
	return p
}

// jpkiAttribute returns the last arc ("1".."6") of a JPKI personal data OID.
func jpkiAttribute(oid asn1.ObjectIdentifier) (string, bool) {
	for _, known := range []asn1.ObjectIdentifier{oidJPKIName, oidJPKINameFlags, oidJPKISex,
		oidJPKIBirthDate, oidJPKIAddress, oidJPKIAddressFlags} {
		if oid.Equal(known) {
			return strconv.Itoa(oid[len(oid)-1]), true
		}
	}
	return "", false
}

// substitutes checks a flag string against its text and returns the substituted positions.
func substitutes(text, flags string, present bool, flagOID asn1.ObjectIdentifier, problems *[]Message) ([]int, bool) {
	if !present {
		*problems = append(*problems, problem(MsgSANMissing, flagOID.String()))
		return nil, false
	}
	var pos []int
	for i := 0; i < len(flags); i++ {
		switch flags[i] {
		case '0':
		case '1':
			pos = append(pos, i)
		default:
			*problems = append(*problems, problem(MsgSANBadFlags, flagOID.String()))
			return nil, false
		}
	}
	if n := utf8.RuneCountInString(text); n != len(flags) {
		*problems = append(*problems, problem(MsgSANFlagsLength, flagOID.String(), strconv.Itoa(len(flags)), strconv.Itoa(n)))
		return nil, false
	}
	return pos, true
}

// parseBirthDate interprets BirthDateRaw ("EYYYYMMDD").
func (p *PersonalData) parseBirthDate() {
	raw := p.BirthDateRaw
	if len(raw) != 9 || !allDigits(raw) {
		p.Problems = append(p.Problems, problem(MsgSANBadBirthDate))
		return
	}
	digit := raw[0]
	var e *era
	switch {
	case digit == '0':
		p.BirthEra = "unknown"
	default:
		for i := range eras {
			if eras[i].digit == digit {
				e = &eras[i]
			}
		}
		if e == nil {
			p.Problems = append(p.Problems, problem(MsgSANUnknownEra, string(digit)))
		} else {
			p.BirthEra = e.name
		}
	}
	y, _ := strconv.Atoi(raw[1:5])
	m, _ := strconv.Atoi(raw[5:7])
	d, _ := strconv.Atoi(raw[7:9])
	if y == 0 || m == 0 || d == 0 {
		// The register allows unknown parts of a birth date; do not make one up.
		p.Problems = append(p.Problems, problem(MsgSANBirthDateIncomplete))
		return
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		p.Problems = append(p.Problems, problem(MsgSANBadBirthDate))
		return
	}
	p.BirthDate = fmt.Sprintf("%04d-%02d-%02d", y, m, d)
	if e == nil {
		return
	}
	// The era must contain the date: Heisei 1 starts on 1989-01-08, and so on.
	idx := 0
	for i := range eras {
		if &eras[i] == e {
			idx = i
		}
	}
	inEra := !t.Before(e.start) && (idx == len(eras)-1 || t.Before(eras[idx+1].start))
	if !inEra {
		p.Problems = append(p.Problems, problem(MsgSANEraMismatch, e.name, p.BirthDate))
		return
	}
	p.BirthEraYear = y - e.start.Year() + 1
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
