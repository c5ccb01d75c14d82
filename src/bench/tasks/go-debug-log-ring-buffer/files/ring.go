// Package ring is a fixed-size window over the latest values pushed.
package ring

// Ring holds the last Cap() values pushed.
type Ring struct {
	buf   []int
	start int // index in buf of the oldest value
	n     int // number of values held
}

// New returns an empty ring holding at most capacity values (capacity must be at least 1).
func New(capacity int) *Ring {
	return &Ring{buf: make([]int, capacity)}
}

// Cap is the most values the ring holds.
func (r *Ring) Cap() int { return len(r.buf) }

// Len is the number of values held.
func (r *Ring) Len() int { return r.n }

// Push adds v; when the ring is full, the oldest value is dropped.
func (r *Ring) Push(v int) {
	if r.n < len(r.buf) {
		r.buf[r.start+r.n] = v
		r.n++
		return
	}
	r.buf[r.start] = v
	r.start++
}

// Values returns the values held, oldest first.
func (r *Ring) Values() []int {
	out := make([]int, 0, r.n)
	for i := 0; i < r.n; i++ {
		out = append(out, r.buf[r.start+i])
	}
	return out
}

// Sum is the sum of the values held.
func (r *Ring) Sum() int {
	sum := 0
	for _, v := range r.Values() {
		sum += v
	}
	return sum
}
