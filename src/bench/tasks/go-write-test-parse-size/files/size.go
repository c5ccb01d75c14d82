// Package size parses human-readable byte sizes.
package size

import (
	"fmt"
	"strconv"
	"strings"
)

var units = map[string]float64{
	"":    1,
	"b":   1,
	"kb":  1000,
	"mb":  1000 * 1000,
	"gb":  1000 * 1000 * 1000,
	"kib": 1 << 10,
	"mib": 1 << 20,
	"gib": 1 << 30,
}

// ParseSize parses a byte size such as "512", "10KB", "1.5 MiB" or "2gb" into a number of bytes.
//
//   - The number may have a fractional part; the result is rounded down to a whole number of bytes
//     ("1.5KiB" is 1536, "0.5B" is 0).
//   - The unit is optional (no unit means bytes), case-insensitive, and may follow a space: B; KB, MB, GB
//     (powers of 1000); KiB, MiB, GiB (powers of 1024).
//   - Leading and trailing spaces are ignored.
//   - An empty string, a missing or negative number ("KB", "-5KB"), or an unknown unit ("5XB") is an error.
func ParseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	if i == 0 {
		return 0, fmt.Errorf("size %q: no number", s)
	}
	n, err := strconv.ParseFloat(s[:i], 64)
	if err != nil {
		return 0, fmt.Errorf("size %q: %v", s, err)
	}
	unit, ok := units[strings.ToLower(strings.TrimSpace(s[i:]))]
	if !ok {
		return 0, fmt.Errorf("size %q: unknown unit %q", s, s[i:])
	}
	return int64(n * unit), nil
}
