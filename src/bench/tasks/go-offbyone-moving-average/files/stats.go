// Package stats has the small statistics our dashboards plot.
package stats

import "errors"

// MovingAverage returns the average of every run of `window` consecutive values of xs, in order: for n values
// there are n-window+1 averages, the first being the average of xs[0:window]. When window > len(xs) there are
// none (an empty slice, not an error). It returns an error when window < 1.
func MovingAverage(xs []float64, window int) ([]float64, error) {
	if window < 1 {
		return nil, errors.New("window must be at least 1")
	}
	out := []float64{}
	sum := 0.0
	for i, x := range xs {
		sum += x
		if i >= window {
			sum -= xs[i-window]
		}
		if i > window-1 {
			out = append(out, sum/float64(window))
		}
	}
	return out, nil
}
