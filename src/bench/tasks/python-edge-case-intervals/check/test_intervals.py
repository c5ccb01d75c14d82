import unittest

from intervals import merge_intervals


class MergeIntervalsTest(unittest.TestCase):
    def test_overlapping(self):
        self.assertEqual(merge_intervals([(1, 3), (2, 6), (8, 10)]), [(1, 6), (8, 10)])

    def test_empty(self):
        self.assertEqual(merge_intervals([]), [])

    def test_single(self):
        self.assertEqual(merge_intervals([(4, 7)]), [(4, 7)])
        self.assertEqual(merge_intervals([(5, 5)]), [(5, 5)])

    def test_disjoint(self):
        self.assertEqual(merge_intervals([(1, 2), (4, 5), (7, 9)]), [(1, 2), (4, 5), (7, 9)])

    def test_unsorted(self):
        self.assertEqual(merge_intervals([(8, 10), (1, 3), (2, 6)]), [(1, 6), (8, 10)])
        self.assertEqual(merge_intervals([(7, 9), (4, 5), (1, 2)]), [(1, 2), (4, 5), (7, 9)])

    def test_touching(self):
        self.assertEqual(merge_intervals([(1, 3), (3, 5)]), [(1, 5)])
        self.assertEqual(merge_intervals([(3, 5), (1, 3), (5, 5)]), [(1, 5)])

    def test_contained(self):
        self.assertEqual(merge_intervals([(1, 10), (2, 3), (4, 5)]), [(1, 10)])
        self.assertEqual(merge_intervals([(2, 3), (1, 10), (11, 12)]), [(1, 10), (11, 12)])

    def test_negative(self):
        self.assertEqual(merge_intervals([(-5, -1), (-2, 0), (2, 3)]), [(-5, 0), (2, 3)])

    def test_lists_in_tuples_out(self):
        self.assertEqual(merge_intervals([[4, 6], [0, 2]]), [(0, 2), (4, 6)])
        self.assertEqual(merge_intervals([[0, 5], [1, 2]]), [(0, 5)])

    def test_input_not_modified(self):
        data = [(8, 10), (1, 3), (2, 6)]
        merge_intervals(data)
        self.assertEqual(data, [(8, 10), (1, 3), (2, 6)])
        lists = [[1, 3], [2, 6]]
        merge_intervals(lists)
        self.assertEqual(lists, [[1, 3], [2, 6]])


if __name__ == "__main__":
    unittest.main()
