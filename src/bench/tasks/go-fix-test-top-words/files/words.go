package words

import (
	"sort"
	"strings"
)

// WordCount is a word and the number of times it occurs.
type WordCount struct {
	Word  string
	Count int
}

// TopWords returns the n most frequent words of text, most frequent first; words with the same count are in
// alphabetical order. A word is a run of letters, digits and apostrophes (anything else separates words); words
// are compared case-insensitively and returned in lower case. When there are fewer than n distinct words, all of
// them are returned.
func TopWords(text string, n int) []WordCount {
	counts := map[string]int{}
	for _, w := range strings.Fields(text) {
		counts[w]++
	}
	var out []WordCount
	for w, c := range counts {
		out = append(out, WordCount{w, c})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	return out[:n]
}
