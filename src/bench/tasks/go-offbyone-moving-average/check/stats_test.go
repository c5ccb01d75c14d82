package stats

import (
	"math"
	"testing"
)

func check(t *testing.T, xs []float64, window int, want []float64) {
	t.Helper()
	got, err := MovingAverage(xs, window)
	if err != nil {
		t.Fatalf("MovingAverage(%v, %d): unexpected error %v", xs, window, err)
	}
	if len(got) != len(want) {
		t.Fatalf("MovingAverage(%v, %d) = %#v, want %v", xs, window, got, want)
	}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-9 {
			t.Fatalf("MovingAverage(%v, %d) = %v, want %v", xs, window, got, want)
		}
	}
}

func TestMovingAverage(t *testing.T) {
	check(t, []float64{1, 2, 3, 4, 5}, 3, []float64{2, 3, 4})
	check(t, []float64{10, 20, 30, 40}, 2, []float64{15, 25, 35})
	check(t, []float64{2, 4, 6, 8, 10, 12}, 4, []float64{5, 7, 9})
}

func TestWindowOfOne(t *testing.T) {
	check(t, []float64{3, -1, 4.5}, 1, []float64{3, -1, 4.5})
}

func TestWindowIsTheWholeSlice(t *testing.T) {
	check(t, []float64{1, 2, 3, 6}, 4, []float64{3})
}

func TestWindowLargerThanTheSlice(t *testing.T) {
	check(t, []float64{1, 2}, 3, []float64{})
	check(t, nil, 1, []float64{})
}

func TestFractions(t *testing.T) {
	check(t, []float64{0.1, 0.2, 0.3, 0.4}, 3, []float64{0.2, 0.3})
}

func TestBadWindow(t *testing.T) {
	for _, w := range []int{0, -3} {
		if _, err := MovingAverage([]float64{1, 2, 3}, w); err == nil {
			t.Errorf("MovingAverage(..., %d): want an error", w)
		}
	}
}
