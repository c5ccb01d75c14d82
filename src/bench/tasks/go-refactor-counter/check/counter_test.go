package counter

import (
	"fmt"
	"sync"
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
	if got, want := fmt.Sprint(Top()), "[y z w x]"; got != want {
		t.Fatalf("Top() = %v, want %v", got, want)
	}
	Reset()
	if got := Top(); len(got) != 0 {
		t.Fatalf("Top() after Reset() = %v", got)
	}
}

func TestCountersAreIndependent(t *testing.T) {
	Reset()
	a, b := NewCounter(), NewCounter()
	a.Inc("k")
	a.Inc("k")
	b.Inc("k")
	Inc("k")
	Inc("k")
	Inc("k")
	if a.Get("k") != 2 || b.Get("k") != 1 || Get("k") != 3 {
		t.Fatalf("a=%d b=%d default=%d, want 2 1 3", a.Get("k"), b.Get("k"), Get("k"))
	}
	a.Reset()
	if a.Get("k") != 0 || b.Get("k") != 1 || Get("k") != 3 {
		t.Fatalf("after a.Reset(): a=%d b=%d default=%d, want 0 1 3", a.Get("k"), b.Get("k"), Get("k"))
	}
}

func TestCounterMethods(t *testing.T) {
	c := NewCounter()
	if c.Get("missing") != 0 || len(c.Top()) != 0 {
		t.Fatalf("a new counter is not empty")
	}
	for _, k := range []string{"b", "a", "c", "c", "a", "c"} {
		c.Inc(k)
	}
	if got, want := fmt.Sprint(c.Top()), "[c a b]"; got != want {
		t.Fatalf("Top() = %v, want %v", got, want)
	}
	c.Reset()
	c.Inc("z")
	if got := fmt.Sprint(c.Top()); got != "[z]" {
		t.Fatalf("Top() after Reset and Inc = %v", got)
	}
}

func TestConcurrentUse(t *testing.T) {
	c := NewCounter()
	var wg sync.WaitGroup
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 2000; i++ {
				c.Inc(fmt.Sprint("k", i%7))
				if i%100 == 0 {
					c.Top()
					c.Get("k1")
				}
			}
		}(g)
	}
	wg.Wait()
	total := 0
	for i := 0; i < 7; i++ {
		total += c.Get(fmt.Sprint("k", i))
	}
	if total != 16*2000 {
		t.Fatalf("total = %d, want %d", total, 16*2000)
	}
}
