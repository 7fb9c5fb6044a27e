"""Synthetic demo data: a small, deterministic portfolio of customers, loans and logins, built
through the real services so that every row is valid, encrypted where it must be, and audited."""
