// Package counter counts events by key.
package counter

import (
	"sort"
	"sync"
)

var (
	mu     sync.Mutex
	counts = map[string]int{}
)

// Inc adds one to key's count.
func Inc(key string) {
	mu.Lock()
	defer mu.Unlock()
	counts[key]++
}

// Get returns key's count (0 for a key never counted).
func Get(key string) int {
	mu.Lock()
	defer mu.Unlock()
	return counts[key]
}

// Top returns the counted keys, highest count first; keys with the same count are in alphabetical order.
func Top() []string {
	mu.Lock()
	defer mu.Unlock()
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if counts[keys[i]] != counts[keys[j]] {
			return counts[keys[i]] > counts[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys
}

// Reset forgets every count.
func Reset() {
	mu.Lock()
	defer mu.Unlock()
	counts = map[string]int{}
}
