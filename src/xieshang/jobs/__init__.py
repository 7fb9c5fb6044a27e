"""Batch jobs: the nightly close of business, with run records and a lock."""
