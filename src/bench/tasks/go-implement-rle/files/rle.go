// Package rle is a run-length encoding for text without digits.
package rle

import "errors"

// Encode run-length encodes s: each run of the same rune becomes the length of the run in decimal followed by the
// rune, so "aaabcc" becomes "3a1b2c", "ééé" becomes "3é" and "" stays "". A run of 12 x's is "12x". s must not
// contain ASCII digits: Encode returns an error if it does.
func Encode(s string) (string, error) {
	return "", errors.New("not implemented")
}

// Decode reverses Encode: "3a1b2c" becomes "aaabcc" and "" stays "". It returns an error for input Encode cannot
// produce: a rune without a count ("3ab"), a count without a rune ("3a2"), or a count of 0 ("0a").
func Decode(s string) (string, error) {
	return "", errors.New("not implemented")
}
