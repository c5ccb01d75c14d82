def merge_intervals(intervals):
    """Merge overlapping intervals.

    `intervals` is a list of (start, end) pairs (tuples or lists) with
    start <= end, in any order. Returns a new list of (start, end) tuples,
    sorted by start, in which no two intervals overlap: intervals that overlap,
    contain one another or just touch ((1, 3) and (3, 5)) are merged into one.
    The input list is not modified.
    """
    merged = [intervals[0]]
    for start, end in intervals[1:]:
        last_start, last_end = merged[-1]
        if start < last_end:
            merged[-1] = (last_start, end)
        else:
            merged.append((start, end))
    return merged
