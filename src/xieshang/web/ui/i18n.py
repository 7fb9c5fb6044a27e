"""Interface text in zh-CN and en. Domain text (reasons, formulas, terms) comes in both languages from
the services; this is only the words around it.

The words are gettext catalogues managed with Babel: ``xieshang/locale/<locale>/LC_MESSAGES/
messages.po``, one entry per key (msgid ``sign_in`` → 登录 / Sign in), compiled to ``.mo`` when the
package is built or installed and by ``./dev`` (README.md, "Interface text")."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.support import Translations

from xieshang.text.categories import LABELS

LANGUAGES = ("zh", "en")
LOCALES = {"zh": "zh_CN", "en": "en"}
"""The application's language codes and the catalogue of each."""
LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"


@cache
def catalogue(language: str) -> Translations:
    """The compiled catalogue of ``language`` (Chinese for any other code)."""
    compiled = LOCALE_DIR / LOCALES.get(language, "zh_CN") / "LC_MESSAGES" / "messages.mo"
    if not compiled.is_file():  # never a page of bare keys
        raise RuntimeError(
            f"{compiled} is missing: the catalogues are compiled when the package is installed "
            "and by ./dev (or: pybabel compile -d src/xieshang/locale -D messages)"
        )
    with compiled.open("rb") as mo:
        return Translations(mo, domain="messages")


def translate(key: str, language: str) -> str:
    """The text for ``key``; a value with no entry (a new status, say) is shown as it is.
    Complaint categories (``category.<code>``) are named as TAXONOMY.md names them."""
    code = key.rpartition(".")[2]
    if key.startswith("category.") and code in LABELS:
        zh, en = LABELS[code]
        return en if language == "en" else zh
    text = catalogue(language).gettext(key)
    return code if text == key else text


def known(key: str) -> bool:
    """Whether ``key`` has an entry (a form field's label, say)."""
    return catalogue("zh").gettext(key) != key
