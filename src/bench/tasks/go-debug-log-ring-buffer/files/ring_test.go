package ring

import (
	"reflect"
	"testing"
)

func TestPushAndValues(t *testing.T) {
	r := New(3)
	r.Push(1)
	r.Push(2)
	if got := r.Values(); !reflect.DeepEqual(got, []int{1, 2}) {
		t.Fatalf("Values() = %v", got)
	}
	if r.Len() != 2 || r.Sum() != 3 {
		t.Fatalf("Len() = %d, Sum() = %d", r.Len(), r.Sum())
	}
}
