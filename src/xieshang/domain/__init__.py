"""The pure domain core: standard library only, no I/O, no clock, no ORM, no web."""
