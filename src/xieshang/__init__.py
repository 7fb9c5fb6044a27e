"""xieshang (协商): lawful, explained negotiation and complaint handling for digital banks."""

__version__ = "0.1.0"
