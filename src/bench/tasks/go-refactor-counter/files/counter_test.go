package counter

import (
	"reflect"
	"testing"
)

func TestIncAndGet(t *testing.T) {
	Reset()
	Inc("a")
	Inc("a")
	Inc("b")
	if Get("a") != 2 || Get("b") != 1 || Get("c") != 0 {
		t.Fatalf("a=%d b=%d c=%d", Get("a"), Get("b"), Get("c"))
	}
}

func TestTop(t *testing.T) {
	Reset()
	for _, k := range []string{"x", "y", "y", "z", "z", "w"} {
		Inc(k)
	}
	if got, want := Top(), []string{"y", "z", "w", "x"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("Top() = %v, want %v", got, want)
	}
}
