package rle

import (
	"strings"
	"testing"
)

func TestEncode(t *testing.T) {
	cases := map[string]string{
		"aaabcc":                            "3a1b2c",
		"":                                  "",
		"a":                                 "1a",
		"abc":                               "1a1b1c",
		"aabbaa":                            "2a2b2a",
		"ééé":                               "3é",
		"日日本":                               "2日1本",
		strings.Repeat("x", 12):             "12x",
		strings.Repeat("y", 100):            "100y",
		"  !!":                              "2 2!",
		"a" + strings.Repeat("b", 10) + "a": "1a10b1a",
	}
	for in, want := range cases {
		got, err := Encode(in)
		if err != nil || got != want {
			t.Errorf("Encode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestEncodeRejectsDigits(t *testing.T) {
	for _, in := range []string{"a1", "2", "abc9def"} {
		if got, err := Encode(in); err == nil {
			t.Errorf("Encode(%q) = %q, want an error", in, got)
		}
	}
}

func TestDecode(t *testing.T) {
	cases := map[string]string{
		"3a1b2c":  "aaabcc",
		"":        "",
		"1a":      "a",
		"3é":      "ééé",
		"2日1本":    "日日本",
		"12x":     strings.Repeat("x", 12),
		"100y1z":  strings.Repeat("y", 100) + "z",
		"2 2!":    "  !!",
		"1a10b1a": "a" + strings.Repeat("b", 10) + "a",
	}
	for in, want := range cases {
		got, err := Decode(in)
		if err != nil || got != want {
			t.Errorf("Decode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestDecodeRejectsMalformed(t *testing.T) {
	for _, in := range []string{"3ab", "a", "3a2", "5", "0a", "2a0b", "ab"} {
		if got, err := Decode(in); err == nil {
			t.Errorf("Decode(%q) = %q, want an error", in, got)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for _, s := range []string{"hello world", "mississippi", "ŻŻółw", strings.Repeat("ab", 30) + strings.Repeat("c", 33)} {
		enc, err := Encode(s)
		if err != nil {
			t.Fatalf("Encode(%q): %v", s, err)
		}
		dec, err := Decode(enc)
		if err != nil || dec != s {
			t.Errorf("Decode(Encode(%q)) = %q, %v", s, dec, err)
		}
	}
}
