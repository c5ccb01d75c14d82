import unittest

from pagination import paginate


class PaginateTest(unittest.TestCase):
    def test_rejects_page_zero(self):
        with self.assertRaises(ValueError):
            paginate([1, 2, 3], 0)

    def test_rejects_empty_pages(self):
        with self.assertRaises(ValueError):
            paginate([1, 2, 3], 1, per_page=0)


if __name__ == "__main__":
    unittest.main()
