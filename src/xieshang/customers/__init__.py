"""Customers (借款人): records with encrypted personal data, masked unless a role needs it."""
