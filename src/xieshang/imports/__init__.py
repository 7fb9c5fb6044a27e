"""Importing core-banking exports (customers, loans, payments, complaints) from CSV or Parquet files.

Every row goes through the same services as the API, in its own transaction; a bad row is reported
with its line number and skipped, and importing the same file again changes nothing. The file
formats are documented in ``docs/import.md``.
"""
