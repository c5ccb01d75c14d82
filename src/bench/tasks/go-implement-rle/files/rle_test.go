package rle

import "testing"

func TestEncode(t *testing.T) {
	got, err := Encode("aaabcc")
	if err != nil || got != "3a1b2c" {
		t.Fatalf("Encode(aaabcc) = %q, %v", got, err)
	}
}

func TestDecode(t *testing.T) {
	got, err := Decode("3a1b2c")
	if err != nil || got != "aaabcc" {
		t.Fatalf("Decode(3a1b2c) = %q, %v", got, err)
	}
}
