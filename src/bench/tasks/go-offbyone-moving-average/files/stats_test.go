package stats

import (
	"reflect"
	"testing"
)

func TestMovingAverage(t *testing.T) {
	got, err := MovingAverage([]float64{1, 2, 3, 4, 5}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{2, 3, 4}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}
