package config

import (
	"strings"
	"testing"
)

func parse(t *testing.T, text string) map[string]string {
	t.Helper()
	got, err := Parse(strings.NewReader(text))
	if err != nil {
		t.Fatalf("Parse(%q): %v", text, err)
	}
	return got
}

func TestParse(t *testing.T) {
	got := parse(t, "# service\nname = api\n\nport=8080\n")
	if len(got) != 2 || got["name"] != "api" || got["port"] != "8080" {
		t.Fatalf("got %v", got)
	}
}

func TestValueWithEquals(t *testing.T) {
	got := parse(t, "token = YWJjZA==\nquery=a=1&b=2\n")
	if got["token"] != "YWJjZA==" || got["query"] != "a=1&b=2" {
		t.Fatalf("got %v", got)
	}
}

func TestEmptyValueAndSpaces(t *testing.T) {
	got := parse(t, "  empty =   \n\tspaced   =  a b  c  \n   # indented comment\n")
	if len(got) != 2 || got["empty"] != "" || got["spaced"] != "a b  c" {
		t.Fatalf("got %q", got)
	}
}

func TestLaterLineWins(t *testing.T) {
	if got := parse(t, "a = 1\na = 2\n"); got["a"] != "2" {
		t.Fatalf("got %v", got)
	}
}

func TestNoTrailingNewlineAndCRLF(t *testing.T) {
	got := parse(t, "a = 1\r\nb = 2")
	if got["a"] != "1" || got["b"] != "2" {
		t.Fatalf("got %q", got)
	}
}

func TestLongLines(t *testing.T) {
	cert := strings.Repeat("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", 7000) // ~300 KB
	got := parse(t, "name = api\ncert = "+cert+"\nport = 1\n")
	if got["cert"] != cert || got["name"] != "api" || got["port"] != "1" {
		t.Fatalf("long value lost: len(cert) = %d, want %d; name %q port %q", len(got["cert"]), len(cert), got["name"], got["port"])
	}
	long := parse(t, "# "+strings.Repeat("x", 200_000)+"\nk = v\n")
	if long["k"] != "v" {
		t.Fatalf("got %v after a long comment", long)
	}
}

func TestErrorsNameTheLine(t *testing.T) {
	cases := map[string]string{
		"a = 1\n\n# c\njust words\n": "line 4: expected key = value",
		"= value\n":                  "line 1: expected key = value",
		"a = 1\n   = 2\n":            "line 2: expected key = value",
	}
	for text, want := range cases {
		got, err := Parse(strings.NewReader(text))
		if err == nil || err.Error() != want {
			t.Errorf("Parse(%q) = %v, %v; want the error %q", text, got, err, want)
		}
	}
}
