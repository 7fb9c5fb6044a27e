"""Keep the interface catalogues in step with the code: ``./dev messages``.

It extracts every message key of the web package (Python and Jinja, as ``babel.cfg`` maps them;
keys a page builds from a value are listed in ``web/ui/message_keys.py``) into
``src/xieshang/locale/messages.pot``, which is what

    pybabel extract -F babel.cfg -k t -k translate --no-location --sort-output \\
        -o src/xieshang/locale/messages.pot src/xieshang

writes; updates the zh_CN and en catalogues from it (a new key comes in untranslated, never as a
fuzzy guess; a key no longer used goes); notes in each entry what the other language says, the
``#.`` comment a translator reads (``pybabel update`` alone would drop it); and compiles the ``.mo``
files the application loads. Fill in the new entries of both catalogues and run it again so the
notes say the new texts: tests/web/test_messages.py checks all of it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "xieshang"
LOCALE_DIR = SOURCE / "locale"
TEMPLATE = LOCALE_DIR / "messages.pot"
LOCALES = ("zh_CN", "en")
KEYWORDS = {**DEFAULT_KEYWORDS, "t": None, "translate": None}
WIDTH = 100
HEADER = """\
# The interface messages of xieshang's web pages: each msgid is a key the code uses (t("sign_in")).
# Written by scripts/catalogues.py (./dev messages); README.md, "Interface text", says how to add one.
#"""


def po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"


def extract() -> Catalog:
    """Every message key the code and the templates use, as ``pybabel extract`` finds them."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as mapping:
        method_map, options_map = parse_mapping_cfg(mapping)  # type: ignore[no-untyped-call]
    catalog = Catalog(header_comment=HEADER, project="xieshang", msgid_bugs_address="", fuzzy=False)
    found = extract_from_dir(str(SOURCE), method_map, options_map, keywords=KEYWORDS)
    for _filename, _line, message, _comments, context in found:
        catalog.add(message, None, context=context)
    return catalog


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=locale)


def write(path: Path, catalog: Catalog) -> None:
    with path.open("wb") as out:
        write_po(out, catalog, width=WIDTH, no_location=True, sort_output=True)


def compile_all() -> None:
    for locale in LOCALES:
        catalog = read(po_path(locale), locale)
        with po_path(locale).with_suffix(".mo").open("wb") as out:
            write_mo(out, catalog)


def main() -> None:
    template = extract()
    if TEMPLATE.exists():  # the same keys: keep the file as it is (no new creation date)
        before = read(TEMPLATE)
        if {m.id for m in before} == {m.id for m in template}:
            template = before
    write(TEMPLATE, template)
    catalogs = {}
    for locale in LOCALES:
        catalog = read(po_path(locale), locale)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        catalog.fuzzy = False
        catalogs[locale] = catalog
    for locale, catalog in catalogs.items():
        (other,) = (name for name in LOCALES if name != locale)
        for message in catalog:
            said = catalogs[other].get(message.id)
            if message.id and said is not None:
                message.auto_comments = [f"{other}: {said.string}"] if said.string else []
        write(po_path(locale), catalog)
        untranslated = [m.id for m in catalog if m.id and not m.string]
        if untranslated:
            names = ", ".join(map(str, untranslated))
            sys.stdout.write(f"{locale}: {len(untranslated)} to translate: {names}\n")
    compile_all()


if __name__ == "__main__":
    main()
