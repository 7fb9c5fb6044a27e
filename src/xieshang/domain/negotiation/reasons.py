"""Reasons: a code with parameters, rendered in zh-CN and en from the policy's texts.

Every offer, refusal and counter-offer answer carries its reasons, so nothing is ever silent about
why it is what it is. Parameters are already formatted for people (¥1,234.56, 12.00%).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xieshang.domain.money import Fen, display_yuan
from xieshang.domain.negotiation.policy import ReasonText


@dataclass(frozen=True)
class Reason:
    code: str
    params: dict[str, str] = field(default_factory=dict)

    def render(self, texts: dict[str, ReasonText]) -> tuple[str, str]:
        text = texts.get(self.code)
        if text is None:
            detail = ", ".join(f"{k}={v}" for k, v in self.params.items())
            return f"{self.code}（{detail}）", f"{self.code} ({detail})"
        zh, en = self.localised("zh"), self.localised("en")
        return text.zh.format_map(_Safe(zh)), text.en.format_map(_Safe(en))

    def localised(self, language: str) -> dict[str, str]:
        """The params for one language: ``what_zh`` stands in for ``what`` in Chinese text (a
        param worded by the engine, not a number or a code)."""
        suffix = f"_{language}"
        own = {k.removesuffix(suffix): v for k, v in self.params.items() if k.endswith(suffix)}
        return dict(self.params) | own


class _Safe(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def money(fen: Fen) -> str:
    return display_yuan(fen)
