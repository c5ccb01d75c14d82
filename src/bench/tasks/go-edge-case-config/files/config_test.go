package config

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	got, err := Parse(strings.NewReader("# service\nname = api\n\nport=8080\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["name"] != "api" || got["port"] != "8080" {
		t.Fatalf("got %v", got)
	}
}

func TestValueWithEquals(t *testing.T) {
	got, err := Parse(strings.NewReader("token = YWJjZA==\n"))
	if err != nil || got["token"] != "YWJjZA==" {
		t.Fatalf("got %v, %v", got, err)
	}
}
