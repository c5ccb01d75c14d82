package ring

import (
	"fmt"
	"testing"
)

func values(r *Ring) string { return fmt.Sprint(r.Values()) }

func TestPushAndValues(t *testing.T) {
	r := New(3)
	r.Push(1)
	r.Push(2)
	if got := values(r); got != "[1 2]" {
		t.Fatalf("Values() = %v", got)
	}
	if r.Len() != 2 || r.Sum() != 3 {
		t.Fatalf("Len() = %d, Sum() = %d", r.Len(), r.Sum())
	}
}

func TestEmpty(t *testing.T) {
	r := New(2)
	if r.Len() != 0 || values(r) != "[]" || r.Sum() != 0 || r.Cap() != 2 {
		t.Fatalf("empty ring: Len %d, Values %s, Sum %d, Cap %d", r.Len(), values(r), r.Sum(), r.Cap())
	}
}

func TestDropsTheOldestWhenFull(t *testing.T) {
	r := New(4)
	for v := 1; v <= 5; v++ {
		r.Push(v)
	}
	if got := values(r); got != "[2 3 4 5]" {
		t.Fatalf("after 5 pushes into 4: Values() = %s, want [2 3 4 5]", got)
	}
	if r.Len() != 4 || r.Sum() != 14 {
		t.Fatalf("Len() = %d, Sum() = %d", r.Len(), r.Sum())
	}
}

func TestWrapsAroundManyTimes(t *testing.T) {
	r := New(3)
	for v := 1; v <= 100; v++ {
		r.Push(v)
		want := []int{}
		for w := v - 2; w <= v; w++ {
			if w >= 1 {
				want = append(want, w)
			}
		}
		if got := values(r); got != fmt.Sprint(want) {
			t.Fatalf("after pushing 1..%d: Values() = %s, want %v", v, got, want)
		}
		if r.Len() != len(want) {
			t.Fatalf("after pushing 1..%d: Len() = %d", v, r.Len())
		}
	}
}

func TestCapacityOne(t *testing.T) {
	r := New(1)
	for v := 1; v <= 5; v++ {
		r.Push(v * 10)
		if got := values(r); got != fmt.Sprint([]int{v * 10}) {
			t.Fatalf("Values() = %s", got)
		}
	}
}

func TestValuesIsACopy(t *testing.T) {
	r := New(2)
	r.Push(1)
	r.Push(2)
	vs := r.Values()
	vs[0] = 99
	if got := values(r); got != "[1 2]" {
		t.Fatalf("changing the result of Values() changed the ring: %s", got)
	}
}
