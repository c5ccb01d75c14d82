import os
import subprocess
import sys
import unittest

import report

HERE = os.path.dirname(os.path.abspath(__file__))

TRICKY = (
    'id,customer,amount,status\n'
    '1,"Smith, Jones & Co","12,000.00",paid\n'
    '2,"The ""Best"" Shop",5.25,paid\n'
    '3,"Smith, Jones & Co",-20.00,paid\n'
    '4,Plain,"1,000,000.10",paid\n'
    '5,Plain,7.00,void\n'
    '\n'
    '6,"The ""Best"" Shop","0.75",paid\n'
)


class ReportTest(unittest.TestCase):
    def test_the_export_that_crashed(self):
        out = subprocess.run(
            [sys.executable, "report.py", "data/invoices.csv"], cwd=HERE, capture_output=True, text=True, check=True
        ).stdout
        self.assertEqual(out, "Acme Corp\t1484.50\nGlobex\t10.01\nSmith, Jones & Co\t1200.50\n")

    def test_quoted_fields_and_thousands_separators(self):
        path = os.path.join(HERE, "_check_tricky.csv")
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(TRICKY)
        try:
            rows = report.load_invoices(path)
            self.assertEqual(len(rows), 6)
            self.assertEqual(rows[0]["customer"], "Smith, Jones & Co")
            self.assertEqual(rows[0]["amount"], 12000.0)
            self.assertEqual(rows[1]["customer"], 'The "Best" Shop')
            self.assertEqual(
                report.totals_by_customer(rows),
                {"Smith, Jones & Co": 11980.0, 'The "Best" Shop': 6.0, "Plain": 1000000.1},
            )
        finally:
            os.remove(path)

    def test_plain_export(self):
        path = os.path.join(HERE, "_check_plain.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write("id,customer,amount,status\n1,A,1.10,paid\n2,B,2.20,paid\n3,A,3.30,paid\n")
        try:
            self.assertEqual(report.totals_by_customer(report.load_invoices(path)), {"A": 4.4, "B": 2.2})
        finally:
            os.remove(path)


if __name__ == "__main__":
    unittest.main()
