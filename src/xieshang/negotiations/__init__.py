"""Negotiation cases: the engine's input and output at the boundary, and (later) their storage."""
