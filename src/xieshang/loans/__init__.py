"""Loans: products, contracts with their schedules, transactions, statements."""
