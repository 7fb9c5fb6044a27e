"""API types every feature's schemas share: free text, money as yuan strings and rates. Money
crosses the boundary as decimal strings in yuan, never floats."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field


def _no_nul(value: str) -> str:
    """PostgreSQL cannot store NUL (U+0000): refuse it as invalid input, never a database error."""
    if "\x00" in value:
        raise ValueError("must not contain the NUL character (U+0000)")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
"""Free text from outside: any characters but NUL."""

YUAN_PATTERN = r"^\d{1,13}(\.\d{1,2})?$"
Yuan = Annotated[
    str, Field(pattern=YUAN_PATTERN, examples=["1234.56"], description="yuan, up to 2 decimals")
]
RatePct = Annotated[
    str, Field(pattern=r"^\d{1,3}(\.\d{1,6})?%$|^0(\.\d{1,8})?$|^1$", examples=["10%", "0.1"])
]
