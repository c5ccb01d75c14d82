import unittest

from shipping import shipping_cost


class ShippingCostTest(unittest.TestCase):
    def test_standard(self):
        self.assertEqual(shipping_cost("EU", 2), 6.9)
        self.assertEqual(shipping_cost("UK", 1), 7.5)
        self.assertEqual(shipping_cost("US", 4), 18.0)

    def test_express_doubles(self):
        self.assertEqual(shipping_cost("EU", 2, express=True), 13.8)

    def test_free_over_100(self):
        self.assertEqual(shipping_cost("UK", 3, order_total=100), 0.0)
        self.assertEqual(shipping_cost("US", 3, express=True, order_total=250), 31.5)

    def test_errors(self):
        with self.assertRaises(ValueError):
            shipping_cost("MARS", 1)
        with self.assertRaises(ValueError):
            shipping_cost("EU", 0)


if __name__ == "__main__":
    unittest.main()
