"""The nightly deadline pass: reminders on the policy's days before a deadline (once each),
escalation on a breach (once per deadline), closing once the review period is over; paused clocks
are left alone; every run is a JobRun and a second run on the same day changes nothing."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from tests.complaints.helpers import Bank
from xieshang.domain.errors import InvalidInput
from xieshang.jobs import complaints_clock
from xieshang.models.feedback import SurveyInvitation
from xieshang.models.job import JobRun


def run(bank: Bank, day: date) -> dict[str, int]:
    bank.on(day, hour=23)
    report = complaints_clock.run(bank.sessions, bank.settings, day, clock=bank.clock)
    assert report.status == "succeeded", report.failures
    return {k: v for k, v in report.counts.items() if k != "complaints_checked"}


def test_reminders_before_the_deadline_and_escalation_after_it(bank: Bank) -> None:
    bank.on(date(2025, 9, 1))
    cid = bank.file()["id"]  # due 16 September
    assert run(bank, date(2025, 9, 12)) == {}
    assert run(bank, date(2025, 9, 13)) == {"complaints_reminded": 1}  # 3 days before
    assert run(bank, date(2025, 9, 13)) == {}, "a second run on the same day does nothing"
    assert run(bank, date(2025, 9, 14)) == {}
    assert run(bank, date(2025, 9, 15)) == {"complaints_reminded": 1}  # 1 day before
    assert run(bank, date(2025, 9, 16)) == {}
    assert run(bank, date(2025, 9, 17)) == {"complaints_escalated": 1}
    assert run(bank, date(2025, 9, 18)) == {}
    record = bank.get("cp-supervisor", f"/{cid}").json()
    assert record["escalated"] is True
    assert record["held_by"]["group"] == "complaint_escalation"
    internal = [e["kind"] for e in record["events"] if not e["customer_visible"]]
    assert internal == ["remind", "remind", "escalate"]
    assert [e["kind"] for e in bank.get("cp-customer", f"/{cid}/timeline").json()["events"]] == [
        "receive"
    ]
    assert bank.audit_actions(cid).count("complaint.escalate") == 1
    runs = bank.ctx.session.scalars(
        select(JobRun).where(JobRun.job == "complaints-clock").order_by(JobRun.id)
    ).all()
    assert len(runs) == 8
    assert json.loads(runs[1].counts) == {"complaints_checked": 1, "complaints_reminded": 1}


def test_a_paused_clock_is_not_reminded_nor_escalated(bank: Bank) -> None:
    bank.on(date(2025, 9, 1))
    cid = bank.file()["id"]
    bank.ok("cp-agent", f"/{cid}/acknowledge")
    bank.ok("cp-agent", f"/{cid}/pause", {"reason": "external_assessment"})
    assert run(bank, date(2025, 9, 15)) == {}
    assert run(bank, date(2025, 9, 20)) == {}


def test_a_notified_complaint_closes_when_its_review_period_ends(bank: Bank) -> None:
    bank.on(date(2025, 9, 1))
    cid = bank.file()["id"]
    bank.ok("cp-agent", f"/{cid}/acknowledge")
    decision = {"decision": "not_upheld", "facts": "收费符合合同", "basis": "合同第五条"}
    bank.ok("cp-agent", f"/{cid}/decide", decision)
    bank.ok("cp-agent", f"/{cid}/notify")  # told on 1 September: 30 days end on 1 October,
    assert run(bank, date(2025, 10, 9)) == {}  # National Day, so the last day is 9 October
    assert run(bank, date(2025, 10, 10)) == {"complaints_closed": 1}
    assert bank.get("cp-agent", f"/{cid}").json()["status"] == "closed"
    invited = bank.ctx.session.scalars(
        select(SurveyInvitation).where(SurveyInvitation.trigger == "complaint")
    ).all()
    assert [i.subject_id for i in invited] == [str(cid)], "a closed complaint asks for feedback"


def test_a_day_in_the_future_is_refused(bank: Bank) -> None:
    bank.on(date(2025, 9, 1))
    with pytest.raises(InvalidInput, match="as_of"):
        complaints_clock.run(bank.sessions, bank.settings, date(2025, 9, 2), clock=bank.clock)
