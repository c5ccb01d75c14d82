import unittest
from unittest import mock

import shipping
from shipping import shipping_cost


class ShippingCostTest(unittest.TestCase):
    def test_standard(self):
        self.assertEqual(shipping_cost("EU", 2), 6.9)
        self.assertEqual(shipping_cost("UK", 1), 7.5)
        self.assertEqual(shipping_cost("US", 4), 18.0)
        self.assertEqual(shipping_cost("EU", 0.5), 5.1)

    def test_express_doubles(self):
        self.assertEqual(shipping_cost("EU", 2, express=True), 13.8)
        self.assertEqual(shipping_cost("UK", 2, express=True), 18.0)

    def test_free_over_100(self):
        self.assertEqual(shipping_cost("UK", 3, order_total=100), 0.0)
        self.assertEqual(shipping_cost("EU", 3, order_total=99.99), 8.1)
        self.assertEqual(shipping_cost("US", 3, express=True, order_total=250), 31.5)

    def test_errors(self):
        with self.assertRaises(ValueError):
            shipping_cost("MARS", 1)
        with self.assertRaises(ValueError):
            shipping_cost("EU", 0)
        with self.assertRaises(ValueError):
            shipping_cost("US", -2)

    def test_rates_table(self):
        self.assertIsInstance(shipping.RATES, dict)
        self.assertEqual(shipping.RATES["EU"], (4.5, 1.2))
        self.assertEqual(shipping.RATES["UK"], (6.0, 1.5))
        self.assertEqual(shipping.RATES["US"], (9.0, 2.25))
        self.assertEqual(shipping.RATES["APAC"], (12.0, 3.5))

    def test_apac(self):
        self.assertEqual(shipping_cost("APAC", 2), 19.0)
        self.assertEqual(shipping_cost("APAC", 2, express=True), 38.0)
        self.assertEqual(shipping_cost("APAC", 2, order_total=120), 0.0)

    def test_a_new_region_only_needs_an_entry(self):
        with mock.patch.dict(shipping.RATES, {"XX": (1.0, 2.0)}):
            self.assertEqual(shipping_cost("XX", 2), 5.0)
            self.assertEqual(shipping_cost("XX", 2, express=True), 10.0)
            self.assertEqual(shipping_cost("XX", 2, order_total=100), 0.0)

    def test_prices_come_from_the_table(self):
        with mock.patch.dict(shipping.RATES, {"EU": (10.0, 1.0)}):
            self.assertEqual(shipping_cost("EU", 1), 11.0)
        with mock.patch.dict(shipping.RATES, {"ZZ": (1.0, 1.0)}, clear=True):
            with self.assertRaises(ValueError):
                shipping_cost("UK", 1)


if __name__ == "__main__":
    unittest.main()
