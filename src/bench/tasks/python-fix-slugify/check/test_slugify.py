import unittest

from slugify import slugify


class SlugifyTest(unittest.TestCase):
    def test_words(self):
        self.assertEqual(slugify("Hello World"), "hello-world")

    def test_punctuation(self):
        self.assertEqual(slugify("Hello, World!"), "hello-world")

    def test_runs_collapse(self):
        self.assertEqual(slugify("C++ & Rust: a guide"), "c-rust-a-guide")
        self.assertEqual(slugify("a  -- b"), "a-b")

    def test_no_leading_or_trailing_dash(self):
        self.assertEqual(slugify("  --Already--Slugged--  "), "already-slugged")
        self.assertEqual(slugify("...why?"), "why")

    def test_digits_kept(self):
        self.assertEqual(slugify("Version 2.0 Released"), "version-2-0-released")

    def test_case(self):
        self.assertEqual(slugify("MiXeD CaSe"), "mixed-case")

    def test_nothing_left(self):
        self.assertEqual(slugify(""), "")
        self.assertEqual(slugify("!!! ???"), "")

    def test_already_a_slug(self):
        self.assertEqual(slugify("already-a-slug-42"), "already-a-slug-42")


if __name__ == "__main__":
    unittest.main()
