// Package config reads our services' "key = value" configuration files.
package config

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Parse reads "key = value" lines into a map. Blank lines and lines whose first non-space character is "#" are
// ignored. Spaces around the key and the value are trimmed; the value is everything after the first "=" (it may
// itself contain "=" and may be empty). Lines may be of any length. A later line for the same key wins. A line
// without "=", or with an empty key, is an error that names its line number, counting from 1 and including
// blank and comment lines: "line 3: expected key = value".
func Parse(r io.Reader) (map[string]string, error) {
	out := map[string]string{}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		parts := strings.Split(text, "=")
		if len(parts) != 2 || strings.TrimSpace(parts[0]) == "" {
			return nil, fmt.Errorf("line %d: expected key = value", line)
		}
		out[strings.TrimSpace(parts[0])] = strings.TrimSpace(parts[1])
	}
	return out, sc.Err()
}
