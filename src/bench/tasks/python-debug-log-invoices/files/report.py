"""Totals per customer from the billing system's invoice export (a CSV file).

Usage: python3 report.py data/invoices.csv
"""
import sys


def load_invoices(path):
    """The rows of the export (header: id,customer,amount,status) as dicts, with amount as a float."""
    rows = []
    with open(path, encoding="utf-8") as f:
        header = f.readline().strip().split(",")
        for line in f:
            if not line.strip():
                continue
            values = line.strip().split(",")
            row = dict(zip(header, values))
            row["amount"] = float(row["amount"])
            rows.append(row)
    return rows


def totals_by_customer(rows):
    """Sum of the amounts of each customer's paid invoices, rounded to cents."""
    totals = {}
    for row in rows:
        if row["status"] != "paid":
            continue
        customer = row["customer"]
        totals[customer] = round(totals.get(customer, 0.0) + row["amount"], 2)
    return totals


def main(argv):
    rows = load_invoices(argv[1])
    for customer, total in sorted(totals_by_customer(rows).items()):
        print(f"{customer}\t{total:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
