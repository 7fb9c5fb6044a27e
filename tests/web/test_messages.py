"""The interface's catalogues (src/xieshang/locale): complete in both languages, in step with the code
and the templates, and what the application loads."""

from __future__ import annotations

import io
import string
import sys
from pathlib import Path
from typing import get_args

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import Translations

from xieshang.complaints import replies
from xieshang.complaints.schemas import Channel, RootCause
from xieshang.domain.agreement import Reinstatement
from xieshang.domain.allocation import Component
from xieshang.domain.complaint_states import Status as ComplaintStatus
from xieshang.domain.delinquency import Classification
from xieshang.domain.disputes import Verdict
from xieshang.domain.negotiation.case import Hardship
from xieshang.models.loan import DisclosureEvent, LoanStatus, TransactionKind
from xieshang.models.user import Role
from xieshang.negotiations import schemas as negotiation_schemas
from xieshang.text.categories import LABELS
from xieshang.text.rules import URGENCY_LEVELS
from xieshang.web.ui import i18n, message_keys

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import catalogues


@pytest.fixture(scope="module")
def zh() -> Catalog:
    return catalogues.read(catalogues.po_path("zh_CN"), "zh_CN")


@pytest.fixture(scope="module")
def en() -> Catalog:
    return catalogues.read(catalogues.po_path("en"), "en")


@pytest.fixture(scope="module")
def extracted() -> set[str]:
    return {str(m.id) for m in catalogues.extract() if m.id}


def keys(catalog: Catalog) -> set[str]:
    return {str(m.id) for m in catalog if m.id}


@pytest.mark.parametrize("locale", catalogues.LOCALES)
def test_a_catalogue_is_whole_and_compiles(locale: str) -> None:
    catalog = catalogues.read(catalogues.po_path(locale), locale)
    assert not catalog.fuzzy, "the header is marked fuzzy: pybabel compile would skip it"
    assert [m.id for m in catalog if m.id and m.fuzzy] == [], "fuzzy entries"
    assert [m.id for m in catalog if m.id and not m.string] == [], "untranslated entries"
    assert not catalog.obsolete, "obsolete (#~) entries: run ./dev messages"
    assert [(m.id, errors) for m, errors in catalog.check()] == []
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    assert Translations(compiled).gettext("sign_in") in {"登录", "Sign in"}


def test_both_catalogues_have_the_same_keys_as_the_template(zh: Catalog, en: Catalog) -> None:
    template = keys(catalogues.read(catalogues.TEMPLATE))
    assert keys(zh) == keys(en) == template


def test_every_key_the_code_uses_is_in_the_catalogues(extracted: set[str], zh: Catalog) -> None:
    """What pybabel extract finds (templates, Python, message_keys.py) has an entry, and every entry
    is found (or ``pybabel update`` would drop it): run ./dev messages after adding a key."""
    assert sorted(extracted - keys(zh)) == [], "keys with no entry: a page would show them bare"
    assert sorted(keys(zh) - extracted) == [], "entries no code uses"


def test_each_entry_tells_its_translator_the_other_language(zh: Catalog, en: Catalog) -> None:
    """The ``#.`` comment of each entry is the other catalogue's text (./dev messages writes it)."""
    for catalog, other, name in ((zh, en, "en"), (en, zh, "zh_CN")):
        for message in catalog:
            if message.id:
                said = other.get(message.id)
                assert said is not None
                comment = " ".join(" ".join(message.auto_comments).split())  # as wrapped
                wanted = " ".join(f"{name}: {said.string}".split())
                assert comment == wanted, f"{message.id}: run ./dev messages"


def test_both_languages_take_the_same_parameters(zh: Catalog, en: Catalog) -> None:
    def parameters(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}

    for message in zh:
        if message.id:
            said = en.get(message.id)
            assert said is not None
            assert parameters(str(message.string)) == parameters(str(said.string)), message.id


def test_the_application_loads_what_the_catalogues_say(zh: Catalog, en: Catalog) -> None:
    """The compiled .mo files are current (./dev compiles a .po edited since the install)."""
    for language, catalog in (("zh", zh), ("en", en)):
        loaded = i18n.catalogue(language)
        stale = [m.id for m in catalog if m.id and loaded.gettext(str(m.id)) != m.string]
        assert stale == [], f"{language}: the .mo is older than the .po; run ./dev messages"


def test_translate_keeps_its_rules() -> None:
    assert i18n.translate("sign_in", "zh") == "登录"
    assert i18n.translate("sign_in", "en") == "Sign in"
    assert i18n.translate("sign_in", "fr") == "登录", "any other code is Chinese"
    assert i18n.translate("status.some_new_status", "en") == "some_new_status"
    assert i18n.translate("no_such_key", "zh") == "no_such_key"
    code, (label_zh, label_en) = next(iter(LABELS.items()))
    assert i18n.translate(f"category.{code}", "zh") == label_zh
    assert i18n.translate(f"category.{code}", "en") == label_en


def listed(prefix: str) -> set[str]:
    every = {key for name in dir(message_keys) for key in _group(name)}
    return {key.removeprefix(prefix) for key in every if key.startswith(prefix)}


def _group(name: str) -> tuple[str, ...]:
    value = getattr(message_keys, name)
    return value if isinstance(value, tuple) else ()


@pytest.mark.parametrize(
    ("prefix", "values"),
    [
        ("status.", {s.value for s in LoanStatus}),
        ("disclosure.event.", {e.value for e in DisclosureEvent}),
        ("cstatus.", {s.value for s in ComplaintStatus}),
        ("channel.", set(get_args(Channel))),
        ("channel.", {"app", "web", "phone", "branch"}),  # how a customer consented
        ("class.", {c.value for c in Classification}),
        ("rootcause.", set(get_args(RootCause))),
        ("reply.", set(replies.STAGES)),
        ("role.", {r.value for r in Role}),
        ("start.", {r.value for r in Role}),
        ("verdict.", {v.value for v in Verdict}),
        ("waived_if_kept_", {r.value for r in Reinstatement}),
        ("wb.reason.", set(negotiation_schemas.ESCALATION_REASONS)),
        ("wb.txn.", {k.value for k in TransactionKind}),
        ("wb.component.", {c.value for c in Component}),
        ("wb.urgency.", set(URGENCY_LEVELS)),
        ("", {h.value for h in Hardship}),
        ("offer.", {"plan", "grace", "holiday", "settlement", "due_date", "adjusted"}),
        ("kind.", {"hardship_plan", "grace_period", "payment_holiday", "catch_up_plan"}),
        ("", {c.value for c in Component} | {"late_fee"}),
        ("", {"automatic", "agent", "supervisor"}),
    ],
)
def test_keys_built_from_a_value_cover_every_value(prefix: str, values: set[str]) -> None:
    """message_keys.py lists every value a page can build a key from, so none is shown bare."""
    assert values - listed(prefix) == set()
