package words

import (
	"reflect"
	"testing"
)

func TestTopWords(t *testing.T) {
	got := TopWords("the cat and the hat", 2)
	want := []WordCount{{"the", 2}, {"and", 1}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestCaseAndPunctuation(t *testing.T) {
	got := TopWords("Go, go! GO.", 1)
	want := []WordCount{{"go", 3}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}
