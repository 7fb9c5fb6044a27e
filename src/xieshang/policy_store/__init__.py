"""Stored policy versions: which one is in force, and proposing and deciding new ones (four eyes)."""
