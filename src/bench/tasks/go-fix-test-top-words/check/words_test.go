package words

import (
	"fmt"
	"testing"
)

func checkTop(t *testing.T, text string, n int, want []WordCount) {
	t.Helper()
	got := TopWords(text, n)
	if fmt.Sprint(got) != fmt.Sprint(want) || len(got) != len(want) {
		t.Errorf("TopWords(%q, %d) = %v, want %v", text, n, got, want)
	}
}

func TestTopWords(t *testing.T) {
	checkTop(t, "the cat and the hat", 2, []WordCount{{"the", 2}, {"and", 1}})
}

func TestCaseAndPunctuation(t *testing.T) {
	checkTop(t, "Go, go! GO.", 1, []WordCount{{"go", 3}})
	checkTop(t, "end.\nEnd;(end)--start", 5, []WordCount{{"end", 3}, {"start", 1}})
}

func TestTiesAreAlphabetical(t *testing.T) {
	checkTop(t, "pear apple fig apple pear kiwi", 4, []WordCount{{"apple", 2}, {"pear", 2}, {"fig", 1}, {"kiwi", 1}})
	for i := 0; i < 20; i++ {
		checkTop(t, "d c b a e f g h", 3, []WordCount{{"a", 1}, {"b", 1}, {"c", 1}})
	}
}

func TestApostrophesAndDigits(t *testing.T) {
	checkTop(t, "Don't stop: don't! 2024 and 2024, R2D2", 3, []WordCount{{"2024", 2}, {"don't", 2}, {"and", 1}})
}

func TestUnicodeLetters(t *testing.T) {
	checkTop(t, "Café café CAFÉ über", 2, []WordCount{{"café", 3}, {"über", 1}})
}

func TestFewerWordsThanN(t *testing.T) {
	checkTop(t, "one two two", 10, []WordCount{{"two", 2}, {"one", 1}})
	checkTop(t, "", 3, nil)
	checkTop(t, " ,.!? ", 3, nil)
}

func TestZero(t *testing.T) {
	checkTop(t, "a b c", 0, nil)
}
