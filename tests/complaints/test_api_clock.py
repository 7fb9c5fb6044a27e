"""The regulatory clock through the API: extensions (complex with a reason and a notice; special
only with a supervisor), pauses for mediation or assessment, restarts on new facts."""

from __future__ import annotations

from datetime import date

from tests.complaints.helpers import Bank


def test_a_complex_extension_gives_30_days_and_a_special_one_needs_a_supervisor(
    bank: Bank,
) -> None:
    bank.on(date(2026, 3, 2))
    cid = bank.file()["id"]
    assert bank.get("cp-agent", f"/{cid}").json()["decision_due"] == "2026-03-17"
    missing = bank.post("cp-agent", f"/{cid}/extend", {"extension": "complex"})
    assert missing.status_code == 422
    assert missing.json()["field"] == "reason"

    reason = "需要向合作机构调取放款记录"
    extended = bank.ok("cp-agent", f"/{cid}/extend", {"extension": "complex", "reason": reason})
    assert extended["decision_due"] == "2026-04-01"
    assert extended["clock"]["extension"] == "complex"
    [told] = bank.notifications("complaint_extended")
    assert reason in told.body
    assert "2026-04-01" in told.body

    special = {"extension": "special", "reason": "涉及多家机构，情况特别复杂"}
    refused = bank.post("cp-agent", f"/{cid}/extend", special)
    assert refused.status_code == 403
    assert "supervisor" in refused.json()["detail"]
    approved = bank.ok("cp-supervisor", f"/{cid}/extend", special)
    assert approved["decision_due"] == "2026-05-06"  # 1 May is Labour Day (1–5 May)
    assert len(bank.notifications("complaint_extended")) == 2
    assert bank.post("cp-supervisor", f"/{cid}/extend", special).status_code == 409


def test_pauses_are_not_counted_and_new_facts_restart_the_clock(bank: Bank) -> None:
    bank.on(date(2026, 3, 2))
    cid = bank.file()["id"]
    bank.on(date(2026, 3, 5))
    bank.ok("cp-agent", f"/{cid}/acknowledge")
    paused = bank.ok("cp-agent", f"/{cid}/pause", {"reason": "mediation"})
    assert paused["clock"]["paused_since"] == "2026-03-05"
    assert "调解" in bank.notifications("complaint_paused")[0].body
    assert bank.post("cp-agent", f"/{cid}/pause", {"reason": "mediation"}).status_code == 409
    decide = {"decision": "not_upheld", "facts": "x", "basis": "y"}
    assert bank.post("cp-agent", f"/{cid}/decide", decide).status_code == 409
    assert bank.get("cp-supervisor", "/queue").json()["items"][0]["paused"] is True

    bank.on(date(2026, 3, 15))
    resumed = bank.ok("cp-agent", f"/{cid}/resume")
    assert resumed["clock"]["paused_days"] == 10
    assert resumed["decision_due"] == "2026-03-27"
    assert "2026-03-27" in bank.notifications("complaint_resumed")[0].body

    bank.on(date(2026, 3, 20))
    facts = "补充：3月18日又被扣了一次费用"
    restarted = bank.ok("cp-customer", f"/{cid}/new-facts", {"text": facts})
    assert restarted["decision_due"] == "2026-04-07"  # 4 April is Qingming (4–6 April)
    assert restarted["events"][-1]["kind"] == "new_facts"
    assert restarted["events"][-1]["note"] == facts
    record = bank.get("cp-agent", f"/{cid}").json()
    assert record["clock"]["restarted_on"] == "2026-03-20"
    assert record["clock"]["paused_days"] == 0
