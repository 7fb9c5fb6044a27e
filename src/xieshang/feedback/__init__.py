"""Surveys after each resolution and periodic campaigns (CSAT, NPS, free text), and their analytics."""
