"""The demo's policy history: one change, proposed by compliance1 and approved by admin1 (four eyes)
two weeks before the demo day, so the compliance page has a real version history and diff to show.

The change is an agent's waiver authority (authority.agent.max_waiver ¥10,000 → ¥15,000), a bank's
own delegation choice; no regulatory cap changes. It goes through the real services with the clock
set back to the days it happened, so the audit chain records it like any other decision.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from xieshang.auth import repository as auth_repository
from xieshang.kit.context import Context, FixedClock
from xieshang.policy.document import default_text
from xieshang.policy.schemas import PolicyDecision, PolicyProposal
from xieshang.policy.service import approve, propose

VERSION = "2026.2"
PROPOSAL_NOTE = (
    "提高协商专员的减免权限：¥10,000 → ¥15,000。减免 ¥10,000–15,000 的方案此前都要等主管审批，"
    "客户平均多等数日。监管上限、自动审批和主管权限均不变。"
    " Raise an agent's waiver authority from ¥10,000 to ¥15,000: waivers between the two waited for "
    "a supervisor, delaying relief by days. Regulatory caps, automatic and supervisor authority are "
    "unchanged. (Demo data.)"
)
APPROVAL_NOTE = (
    "已核对：只改 authority.agent.max_waiver；监管上限未变；专员的减免仍逐笔审计。"
    " Checked: only authority.agent.max_waiver changes; no regulatory cap moves; every waiver an "
    "agent grants stays audited."
)


def demo_policy_text(effective_from: date) -> str:
    """The shipped document with the demo's change: version, effective date, an agent's waiver."""
    text = default_text()
    for old, new in (
        ('version: "2026.1"', f'version: "{VERSION}"'),
        ("effective_from: 2026-01-01", f"effective_from: {effective_from.isoformat()}"),
        (
            '    max_waiver: "10000.00"\n',
            '    max_waiver: "15000.00"                 # 2026.2: was 10000.00 (delegation review)\n',
        ),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def seed_policy_change(ctx: Context) -> int:
    """Propose 20 days before today, approve 18 days before, in force from 14 days before."""
    today = ctx.today()
    zone = ZoneInfo(ctx.settings.timezone)

    def acting(username: str, days_ago: int) -> Context:
        user = auth_repository.user_named(ctx, username)
        assert user is not None, f"the demo seeds {username}"
        local = datetime.combine(today - timedelta(days=days_ago), time(10, 0), zone)
        when = local.astimezone(UTC)  # the audit chain hashes the time as stored, in UTC
        return Context(ctx.session, ctx.settings, ctx.cipher, FixedClock(when), user)

    text = demo_policy_text(today - timedelta(days=14))
    proposed = propose(acting("compliance1", 20), PolicyProposal(text=text, note=PROPOSAL_NOTE))
    approve(acting("admin1", 18), proposed.id, PolicyDecision(note=APPROVAL_NOTE))
    return proposed.id
