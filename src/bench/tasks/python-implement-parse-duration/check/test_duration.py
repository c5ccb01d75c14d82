import unittest

from duration import parse_duration


class ParseDurationTest(unittest.TestCase):
    def test_hours_and_minutes(self):
        self.assertEqual(parse_duration("1h30m"), 5400)

    def test_seconds(self):
        self.assertEqual(parse_duration("45s"), 45)

    def test_every_unit(self):
        self.assertEqual(parse_duration("1d2h3m4s"), 86400 + 7200 + 180 + 4)
        self.assertEqual(parse_duration("2d"), 172800)
        self.assertEqual(parse_duration("7m"), 420)

    def test_whitespace(self):
        self.assertEqual(parse_duration("2d 4h"), 187200)
        self.assertEqual(parse_duration(" 1H 5M 3S "), 3903)
        self.assertEqual(parse_duration("1h   30m"), 5400)
        self.assertEqual(parse_duration("\t10s\n"), 10)

    def test_case_insensitive(self):
        self.assertEqual(parse_duration("1D1H"), 90000)

    def test_large_numbers_and_zero(self):
        self.assertEqual(parse_duration("90m"), 5400)
        self.assertEqual(parse_duration("0s"), 0)
        self.assertEqual(parse_duration("100000s"), 100000)

    def test_returns_int(self):
        self.assertIsInstance(parse_duration("1m"), int)

    def test_errors(self):
        for bad in ["", "   ", "10", "5w", "h", "1m1m", "5m1h", "1s2d", "-5s", "1.5h", "1h30", "h30m", "1h,30m", "abc", "1 h"]:
            with self.subTest(text=bad):
                with self.assertRaises(ValueError):
                    parse_duration(bad)


if __name__ == "__main__":
    unittest.main()
