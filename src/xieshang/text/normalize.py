"""Normalise complaint text before anything reads it (the caller keeps the original).

Four steps, in this order:

1. **Width and compatibility forms** — Unicode NFKC: full-width letters, digits and punctuation
   become their ASCII forms (``１２３７８`` → ``12378``, ``（`` → ``(``), the ideographic space a
   plain space, compatibility ideographs their unified form. Zero-width characters and control
   characters other than line breaks are dropped.
2. **Stray pinyin annotations** — a parenthesised pinyin reading right after a Chinese character,
   as in ``協(xié)商``, is removed. It must look like pinyin *and* carry a tone (a tone mark or a
   tone digit 1–5), so ``(2024)``, ``(APP)``, ``(bank)`` or ``(see above)`` stay.
3. **Traditional → Simplified** — OpenCC's ``tw2s`` conversion, from the ``opencc`` wheel, which
   carries its dictionaries (no network at run time). ``tw2s`` rather than ``t2s`` because it also
   maps the Taiwan form 著 of the particle to 着 (``隨著`` → ``随着``, where ``t2s`` leaves ``随著``);
   it changes characters only, never vocabulary (``軟體`` stays ``软体``, not ``软件``).
4. **Whitespace** — runs of spaces become one; spaces between two Chinese characters go (they carry
   no meaning in Chinese and are sometimes typed to dodge keyword filters); each line is trimmed;
   more than one blank line becomes one; leading and trailing whitespace goes.

``normalize`` is idempotent: normalising normalised text changes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

OPENCC_CONFIG = "tw2s"

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_VOWEL = f"aeiouüv{_TONED}"
_INITIAL = "(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])"
_SYLLABLE = f"{_INITIAL}?[{_VOWEL}]{{1,4}}(?:ng|n|r)?[1-5]?|[ńňǹḿ]g?"
# A parenthesised reading of one or more syllables (``xié``, ``xié shāng``, ``xie2'shang1``).
_READING = re.compile(
    rf"(?<=[{_HAN}])\(\s*((?:{_SYLLABLE})(?:[\s']*(?:{_SYLLABLE}))*)\s*\)", re.IGNORECASE
)
_HAS_TONE = re.compile(rf"[{_TONED}]|[a-zü][1-5]\b", re.IGNORECASE)
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[^\S\n]+")
_SPACE_BETWEEN_HAN = re.compile(rf"(?<=[{_HAN}]) (?=[{_HAN}])")
_BLANK_LINES = re.compile(r"\n{3,}")


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC(OPENCC_CONFIG)


def fold_width(text: str) -> str:
    """NFKC, line breaks unified, invisible and control characters dropped."""
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", _INVISIBLE.sub("", text))


def strip_pinyin_annotations(text: str) -> str:
    """``協(xié)商`` → ``協商``: drop toned pinyin in parentheses right after a Chinese character."""

    def replace(match: re.Match[str]) -> str:
        return "" if _HAS_TONE.search(match.group(1)) else match.group(0)

    return _READING.sub(replace, text)


def to_simplified(text: str) -> str:
    """Traditional Chinese characters and phrases → Simplified (OpenCC ``tw2s``)."""
    return str(_converter().convert(text))


def tidy_whitespace(text: str) -> str:
    """One space for a run of spaces, none between Chinese characters, lines trimmed."""
    lines = [
        _SPACE_BETWEEN_HAN.sub("", _SPACES.sub(" ", line)).strip() for line in text.split("\n")
    ]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def normalize(text: str) -> str:
    """The normalised form of ``text`` (width, pinyin annotations, Simplified, whitespace)."""
    return tidy_whitespace(to_simplified(strip_pinyin_annotations(fold_width(text))))
