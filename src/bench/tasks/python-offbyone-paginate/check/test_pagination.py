import unittest

from pagination import paginate

ITEMS = list(range(25))


class PaginateTest(unittest.TestCase):
    def test_rejects_page_zero(self):
        with self.assertRaises(ValueError):
            paginate([1, 2, 3], 0)
        with self.assertRaises(ValueError):
            paginate([1, 2, 3], -1)

    def test_rejects_empty_pages(self):
        with self.assertRaises(ValueError):
            paginate([1, 2, 3], 1, per_page=0)

    def test_first_page(self):
        self.assertEqual(
            paginate(ITEMS, 1), {"items": list(range(10)), "page": 1, "total_pages": 3, "has_next": True}
        )

    def test_middle_page(self):
        self.assertEqual(paginate(ITEMS, 2)["items"], list(range(10, 20)))
        self.assertTrue(paginate(ITEMS, 2)["has_next"])

    def test_partial_last_page(self):
        self.assertEqual(
            paginate(ITEMS, 3), {"items": [20, 21, 22, 23, 24], "page": 3, "total_pages": 3, "has_next": False}
        )

    def test_exact_multiple(self):
        items = list(range(20))
        self.assertEqual(paginate(items, 2), {"items": list(range(10, 20)), "page": 2, "total_pages": 2, "has_next": False})
        self.assertEqual(paginate(items, 3)["items"], [])

    def test_past_the_end(self):
        self.assertEqual(paginate(ITEMS, 4), {"items": [], "page": 4, "total_pages": 3, "has_next": False})

    def test_empty(self):
        self.assertEqual(paginate([], 1), {"items": [], "page": 1, "total_pages": 0, "has_next": False})

    def test_one_per_page(self):
        self.assertEqual(paginate(["a", "b", "c"], 3, per_page=1), {"items": ["c"], "page": 3, "total_pages": 3, "has_next": False})
        self.assertEqual(paginate(["a", "b", "c"], 1, per_page=1)["items"], ["a"])

    def test_one_item(self):
        self.assertEqual(paginate(["x"], 1), {"items": ["x"], "page": 1, "total_pages": 1, "has_next": False})


if __name__ == "__main__":
    unittest.main()
