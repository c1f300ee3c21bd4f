package trust

import (
	"encoding/asn1"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// sanEntry is one GeneralName for buildSAN: an otherName (oid, value with its string tag)
// or, with tag set and no oid, another kind of name.
type sanEntry struct {
	oid   asn1.ObjectIdentifier
	value string
	vtag  cbasn1.Tag // default UTF8String
	tag   cbasn1.Tag // for a non-otherName entry
}

func buildSAN(t testing.TB, entries ...sanEntry) []byte {
	t.Helper()
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		for _, e := range entries {
			if e.oid == nil {
				b.AddASN1(e.tag, func(b *cryptobyte.Builder) { b.AddBytes([]byte(e.value)) })
				continue
			}
			b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
				b.AddASN1ObjectIdentifier(e.oid)
				b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
					vtag := e.vtag
					if vtag == 0 {
						vtag = cbasn1.UTF8String
					}
					b.AddASN1(vtag, func(b *cryptobyte.Builder) { b.AddBytes([]byte(e.value)) })
				})
			})
		}
	})
	der, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// fullSAN is a complete, valid personal data set with one attribute replaced or added.
func fullSAN(t testing.TB, override map[int]string, extra ...sanEntry) []byte {
	vals := map[int]string{1: "髙橋　花子", 2: "10000", 3: "2", 4: "419900115", 5: "東京都千代田区霞が関二丁目１番２号", 6: "00000000000000000"}
	for k, v := range override {
		vals[k] = v
	}
	oids := map[int]asn1.ObjectIdentifier{1: oidJPKIName, 2: oidJPKINameFlags, 3: oidJPKISex, 4: oidJPKIBirthDate, 5: oidJPKIAddress, 6: oidJPKIAddressFlags}
	var entries []sanEntry
	for i := 1; i <= 6; i++ {
		if v, ok := vals[i]; ok && v != "\x00" {
			entries = append(entries, sanEntry{oid: oids[i], value: v})
		}
	}
	return buildSAN(t, append(entries, extra...)...)
}

func problemKeys(pd *PersonalData) []string {
	var keys []string
	for _, p := range pd.Problems {
		keys = append(keys, p.Key)
	}
	return keys
}

func TestParsePersonalDataComplete(t *testing.T) {
	pd := ParsePersonalData(fullSAN(t, nil))
	want := &PersonalData{
		Name: "髙橋　花子", NameFlags: "10000", NameSubstituted: []int{0}, NameFlagsValid: true,
		Sex: "female", SexCode: "2",
		BirthDateRaw: "419900115", BirthEra: "heisei", BirthEraYear: 2, BirthDate: "1990-01-15",
		Address: "東京都千代田区霞が関二丁目１番２号", AddressFlags: "00000000000000000", AddressFlagsValid: true,
		Present: map[string]bool{"1": true, "2": true, "3": true, "4": true, "5": true, "6": true},
	}
	if !reflect.DeepEqual(pd, want) {
		t.Fatalf("got  %+v\nwant %+v", pd, want)
	}
}

func TestParsePersonalDataEras(t *testing.T) {
	tests := []struct {
		raw     string
		era     string
		eraYear int
		date    string
		problem string
	}{
		{"118680125", "meiji", 1, "1868-01-25", ""},
		{"119120729", "meiji", 45, "1912-07-29", ""},
		{"219120730", "taisho", 1, "1912-07-30", ""},
		{"219261224", "taisho", 15, "1926-12-24", ""},
		{"319261225", "showa", 1, "1926-12-25", ""},
		{"319890107", "showa", 64, "1989-01-07", ""},
		{"419890108", "heisei", 1, "1989-01-08", ""},
		{"420190430", "heisei", 31, "2019-04-30", ""},
		{"520190501", "reiwa", 1, "2019-05-01", ""},
		{"520240229", "reiwa", 6, "2024-02-29", ""},
		{"019750402", "unknown", 0, "1975-04-02", ""},
		// The era must contain the date: reported, not corrected.
		{"419890107", "heisei", 0, "1989-01-07", MsgSANEraMismatch},
		{"320190501", "showa", 0, "2019-05-01", MsgSANEraMismatch},
		{"119130101", "meiji", 0, "1913-01-01", MsgSANEraMismatch},
		// Unknown digit, impossible or incomplete dates, wrong shapes.
		{"619900115", "", 0, "1990-01-15", MsgSANUnknownEra},
		{"920000101", "", 0, "2000-01-01", MsgSANUnknownEra},
		{"419900230", "heisei", 0, "", MsgSANBadBirthDate},
		{"419901301", "heisei", 0, "", MsgSANBadBirthDate},
		{"319800000", "showa", 0, "", MsgSANBirthDateIncomplete},
		{"319800100", "showa", 0, "", MsgSANBirthDateIncomplete},
		{"41990011", "", 0, "", MsgSANBadBirthDate},
		{"4199001150", "", 0, "", MsgSANBadBirthDate},
		{"4１990115", "", 0, "", MsgSANBadBirthDate},
		{"H19900115", "", 0, "", MsgSANBadBirthDate},
	}
	for _, tc := range tests {
		pd := ParsePersonalData(fullSAN(t, map[int]string{4: tc.raw}))
		keys := problemKeys(pd)
		if pd.BirthEra != tc.era || pd.BirthEraYear != tc.eraYear || pd.BirthDate != tc.date || pd.BirthDateRaw != tc.raw {
			t.Errorf("%q: era %q year %d date %q, want %q %d %q", tc.raw, pd.BirthEra, pd.BirthEraYear, pd.BirthDate, tc.era, tc.eraYear, tc.date)
		}
		switch {
		case tc.problem == "" && len(keys) != 0:
			t.Errorf("%q: unexpected problems %v", tc.raw, keys)
		case tc.problem != "" && (len(keys) != 1 || keys[0] != tc.problem):
			t.Errorf("%q: problems %v, want [%s]", tc.raw, keys, tc.problem)
		}
	}
}

func TestParsePersonalDataSexAndFlags(t *testing.T) {
	for code, want := range map[string]string{"1": "male", "2": "female", "3": "unknown", "9": "", "0": "", "男": ""} {
		pd := ParsePersonalData(fullSAN(t, map[int]string{3: code}))
		if pd.Sex != want || pd.SexCode != code {
			t.Errorf("sex %q: %q", code, pd.Sex)
		}
		if bad := want == ""; bad != (strings.Join(problemKeys(pd), ",") == MsgSANUnknownSex) {
			t.Errorf("sex %q: problems %v", code, problemKeys(pd))
		}
	}
	tests := []struct {
		name     string
		override map[int]string
		nameSubs []int
		nameOK   bool
		addrSubs []int
		addrOK   bool
		problems []string
	}{
		{"every character of the name substituted", map[int]string{2: "11111"}, []int{0, 1, 2, 3, 4}, true, nil, true, nil},
		{"no substitute", map[int]string{2: "00000"}, nil, true, nil, true, nil},
		{"address substitutes", map[int]string{6: "00000001000000001"}, []int{0}, true, []int{7, 16}, true, nil},
		{"flags shorter than the name", map[int]string{2: "1000"}, nil, false, nil, true, []string{MsgSANFlagsLength}},
		{"flags longer than the address", map[int]string{6: "000000000000000000"}, []int{0}, true, nil, false, []string{MsgSANFlagsLength}},
		{"flag other than 0/1", map[int]string{2: "10200"}, nil, false, nil, true, []string{MsgSANBadFlags}},
		{"name flags missing", map[int]string{2: "\x00"}, nil, false, nil, true, []string{MsgSANMissing}},
		{"address flags missing", map[int]string{6: "\x00"}, []int{0}, true, nil, false, []string{MsgSANMissing}},
	}
	for _, tc := range tests {
		pd := ParsePersonalData(fullSAN(t, tc.override))
		if !reflect.DeepEqual(pd.NameSubstituted, tc.nameSubs) || pd.NameFlagsValid != tc.nameOK ||
			!reflect.DeepEqual(pd.AddressSubstituted, tc.addrSubs) || pd.AddressFlagsValid != tc.addrOK ||
			!reflect.DeepEqual(problemKeys(pd), tc.problems) {
			t.Errorf("%s: name %v/%v address %v/%v problems %v", tc.name, pd.NameSubstituted, pd.NameFlagsValid,
				pd.AddressSubstituted, pd.AddressFlagsValid, problemKeys(pd))
		}
	}
}

func TestParsePersonalDataMalformed(t *testing.T) {
	tests := []struct {
		name    string
		der     []byte
		problem string
	}{
		{"not DER", []byte{0x30, 0x05, 0xa0}, MsgSANMalformed},
		{"trailing data", append(fullSAN(t, nil), 0), MsgSANMalformed},
		{"unknown attribute in the JPKI arc", fullSAN(t, nil, sanEntry{oid: asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 5, 7}, value: "x"}), MsgSANUnknownAttribute},
		{"duplicate name", fullSAN(t, nil, sanEntry{oid: oidJPKIName, value: "別人　太郎"}), MsgSANDuplicate},
		{"non-UTF8String", buildSAN(t, sanEntry{oid: oidJPKISex, value: "1", vtag: cbasn1.PrintableString}), MsgSANValueType},
		{"invalid UTF-8", buildSAN(t, sanEntry{oid: oidJPKIName, value: "\xff\xfe"}), MsgSANValueEncoding},
		{"a DNS name", buildSAN(t, sanEntry{tag: cbasn1.Tag(2).ContextSpecific(), value: "example.jp"}), MsgSANOtherNameType},
		{"an unknown otherName", buildSAN(t, sanEntry{oid: asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 8, 9}, value: "x"}), MsgSANUnknownAttribute},
	}
	for _, tc := range tests {
		pd := ParsePersonalData(tc.der)
		keys := problemKeys(pd)
		found := false
		for _, k := range keys {
			found = found || k == tc.problem
		}
		if !found {
			t.Errorf("%s: problems %v, want %s", tc.name, keys, tc.problem)
		}
	}
	// The first value of a duplicate is kept, the second reported.
	pd := ParsePersonalData(fullSAN(t, nil, sanEntry{oid: oidJPKIName, value: "別人　太郎"}))
	if pd.Name != "髙橋　花子" {
		t.Errorf("duplicate: name %q", pd.Name)
	}
}
