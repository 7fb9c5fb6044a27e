"""Complaints (投诉, C5): intake, triage, the regulatory clock, decisions and their letters, reviews,
the customer's timeline, the staff queue, the nightly deadline pass and the regulator's statistics.
See ``docs/complaints.md``."""
