"""Complaints through the API, on SQLite and PostgreSQL: received → acknowledged → investigating →
decided → notified → review requested → review decided → closed, with the due date across National
Day; the customer's timeline; invalid moves; what a customer may and may not do."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.complaints.helpers import Bank
from xieshang.models.complaint import Complaint

XSS = '<script>alert(1)</script><img src=x onerror="alert(2)">利息太高了，我要投诉'


def test_a_complaint_from_receipt_to_closing_across_national_day(bank: Bank) -> None:
    bank.on(date(2025, 9, 20))  # 15 days later is 5 October, inside the 1–8 October holiday
    filed = bank.file(loan_id=bank.loan_id)
    cid = filed["id"]
    assert filed["status"] == "received"
    assert filed["decision_due"] == "2025-10-09"  # 民法典 第二百零三条: the day after the holiday
    assert "triage" not in filed, "a customer sees their timeline, not the internal record"
    assert filed["held_by"] == {"group": "billing_disputes", "handler": None}

    bank.on(date(2025, 9, 22))
    acknowledged = bank.ok("cp-agent", f"/{cid}/acknowledge")
    assert acknowledged["status"] == "acknowledged"
    assert acknowledged["held_by"]["handler"] == "cp-agent"
    [notice] = bank.notifications("complaint_acknowledged")
    assert "2025-10-09" in notice.body
    assert "cp-agent" in notice.body
    assert bank.ok("cp-agent", f"/{cid}/investigate", {"note": "调取扣款流水"})["status"] == (
        "investigating"
    )
    bank.ok("cp-agent", f"/{cid}/notes", {"note": "内部：系统重复扣费"})
    classified = bank.ok(
        "cp-agent",
        f"/{cid}/classify",
        {"category": "fees_interest", "root_causes": ["system_error"]},
    )
    assert classified["root_causes"] == ["system_error"]

    bank.on(date(2025, 10, 9))
    decided = bank.ok(
        "cp-agent",
        f"/{cid}/decide",
        {
            "decision": "upheld",
            "facts": "2025年8月15日手续费 30.00 元被重复扣收一次",
            "basis": "借款合同第五条：每期手续费只收一次",
            "remedy": "退还 30.00 元",
        },
    )
    assert decided["status"] == "decided"
    view = bank.get("cp-customer", f"/{cid}/timeline").json()
    assert view["decision"] is None, "the customer sees the decision once it is sent"

    refused = bank.post("cp-agent", f"/{cid}/notify", {"channel": "letter"})
    assert refused.status_code == 422
    assert refused.json()["field"] == "reference"
    notified = bank.ok("cp-agent", f"/{cid}/notify", {"channel": "inbox"})
    assert notified["status"] == "notified"
    [sent] = bank.notifications("complaint_decision")
    decision = notified["decision"]
    assert decision["notification_id"] == sent.id
    assert decision["notice_channel"] == "inbox"
    assert decision["notified_at"].startswith("2025-10-09T10:00:00+08:00")
    letter = decision["letter_zh"]
    # The facts, the basis, the remedy, then review (8 November is a Saturday: the period ends on
    # Monday), mediation, arbitration, court and the regulator's hotline.
    for words in ("重复扣收", "借款合同第五条", "退还 30.00 元", "核查", "2025-11-10", "调解"):
        assert words in letter, words
    for words in ("仲裁", "诉讼", "12378"):
        assert words in letter, words
    assert sent.body == letter, "the notice carries the letter itself: the proof of what was said"
    for words in ("review", "mediat", "arbitration", "court", "2025-11-10"):
        assert words in decision["letter_en"], words

    timeline = bank.get("cp-customer", f"/{cid}/timeline").json()
    kinds = [e["kind"] for e in timeline["events"]]
    assert kinds == ["receive", "acknowledge", "investigate", "notify"]
    assert timeline["decision"]["letter_zh"] == letter
    assert "内部" not in str(timeline), "internal notes stay internal"

    early = bank.post("cp-agent", f"/{cid}/close")
    assert early.status_code == 409
    assert "2025-11-10" in early.json()["detail"]

    bank.on(date(2025, 10, 20))
    asked = bank.ok("cp-customer", f"/{cid}/review-request", {"reason": "退款金额不对"})
    assert asked["status"] == "review_requested"
    assert asked["review"]["due"] == "2025-11-19"
    assert bank.post("cp-agent", f"/{cid}/review-decision", _REVIEW).status_code == 403
    reviewed = bank.ok("cp-supervisor", f"/{cid}/review-decision", _REVIEW)
    assert reviewed["status"] == "review_decided"
    assert (
        reviewed["review"]["notification_id"]
        == bank.notifications("complaint_review_decision")[0].id
    )
    assert "维持原处理决定" in reviewed["review"]["letter_zh"]
    closed = bank.ok("cp-supervisor", f"/{cid}/close")
    assert closed["status"] == "closed"
    assert bank.post("cp-customer", f"/{cid}/withdraw").status_code == 409

    assert bank.audit_actions(cid) == [
        "complaint.receive",
        "complaint.acknowledge",
        "complaint.investigate",
        "complaint.note",
        "complaint.classify",
        "complaint.decide",
        "complaint.notify",
        "complaint.review_request",
        "complaint.review_decide",
        "complaint.close",
    ]
    record = bank.get("cp-compliance", f"/{cid}").json()
    assert record["triage"]["category"] == "fees_interest"
    assert [e["kind"] for e in record["events"]][-1] == "close"
    assert any(not e["customer_visible"] for e in record["events"])


_REVIEW = {"outcome": "upheld", "findings": "处理过程、时限和结果均符合规定"}


def test_invalid_moves_are_conflicts_and_change_nothing(bank: Bank) -> None:
    bank.on(date(2025, 9, 1))
    cid = bank.file()["id"]
    bank.token("cp-supervisor")  # signing in is audited: do it first
    before = bank.audit_count()
    decide = {"decision": "not_upheld", "facts": "x", "basis": "y"}
    for path, body in [
        ("/notify", {}),
        ("/decide", decide),
        ("/close", {}),
        ("/review-request", {"reason": "no"}),
        ("/resume", {}),
    ]:
        response = bank.post("cp-supervisor", f"/{cid}{path}", body)
        assert response.status_code == 409, (path, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    assert bank.audit_count() == before
    assert bank.get("cp-agent", f"/{cid}").json()["status"] == "received"


def test_an_agent_records_a_phone_call_with_its_real_time_of_receipt(bank: Bank) -> None:
    bank.on(date(2025, 9, 20))
    body = {
        "text": "客户来电：催收员晚上十一点打电话",
        "customer_id": bank.customer_id,
        "channel": "phone",
        "received_at": "2025-09-18T15:30:00+08:00",
    }
    recorded = bank.ok("cp-agent", "", body)
    assert recorded["clock"]["received_on"] == "2025-09-18"
    assert recorded["decision_due"] == "2025-10-09"  # 3 October falls in the holiday
    assert recorded["channel"] == "phone"
    for bad, field in [
        ({**body, "received_at": "2025-09-21T09:00:00+08:00"}, "received_at"),  # the future
        ({**body, "received_at": "2025-09-18T15:30:00"}, "received_at"),  # no offset
        ({**body, "customer_id": None}, "customer_id"),
        ({**body, "channel": "import"}, "channel"),
    ]:
        response = bank.post("cp-agent", "", bad)
        assert response.status_code == 422, response.text
        assert response.json()["field"] == field
    as_customer = bank.post("cp-customer", "", {"text": "x", "channel": "phone"})
    assert as_customer.status_code == 422
    assert as_customer.json()["field"] == "channel"
    dated = bank.post("cp-customer", "", {"text": "x", "received_at": "2025-09-18T15:30:00+08:00"})
    assert dated.json()["field"] == "received_at"


def test_script_in_a_complaint_is_stored_verbatim_and_only_ever_returned_as_data(
    bank: Bank,
) -> None:
    bank.on(date(2025, 9, 1))
    filed = bank.post("cp-customer", "", {"text": XSS})
    assert filed.headers["content-type"] == "application/json"
    assert filed.json()["text"] == XSS
    bank.ctx.session.expire_all()
    stored = bank.ctx.session.scalar(select(Complaint).where(Complaint.id == filed.json()["id"]))
    assert stored is not None
    assert stored.original_text == XSS
    assert bank.get("cp-agent", f"/{stored.id}").json()["text"] == XSS


def test_a_customer_sees_only_their_own_complaints(bank: Bank) -> None:
    bank.on(date(2025, 9, 1))
    cid = bank.file()["id"]
    assert bank.get("cp-other", f"/{cid}/timeline").status_code == 404
    assert bank.post("cp-other", f"/{cid}/withdraw").status_code == 404
    assert bank.get("cp-other", "").json()["total"] == 0
    mine = bank.get("cp-customer", "").json()
    assert [c["id"] for c in mine["items"]] == [cid]
    someone_elses_loan = bank.post("cp-other", "", {"text": "x", "loan_id": bank.loan_id})
    assert someone_elses_loan.status_code == 404
    assert bank.get("cp-customer", f"/{cid}").status_code == 403, "the full record is for staff"


def test_a_customer_withdraws_before_the_decision(bank: Bank) -> None:
    bank.on(date(2025, 9, 1))
    cid = bank.file()["id"]
    bank.on(date(2025, 9, 3))
    withdrawn = bank.ok("cp-customer", f"/{cid}/withdraw", {"note": "已电话解决"})
    assert withdrawn["status"] == "withdrawn"
    assert "2025-09-03" in bank.notifications("complaint_withdrawn")[0].body
    no_body = bank.client.post(
        f"/api/v1/complaints/{cid}/acknowledge", headers=bank.token("cp-agent")
    )  # a step's note is optional, and so is its body
    assert no_body.status_code == 409
    assert "withdrawn" in no_body.json()["detail"]


def test_the_queue_puts_the_nearest_deadline_first_then_the_riskiest(bank: Bank) -> None:
    bank.on(date(2025, 9, 1))
    plain = bank.file()["id"]
    urgent = bank.file("我实在不想活了，催收天天打电话给我家人")["id"]
    older = bank.ok(
        "cp-agent",
        "",
        {
            "text": "来信：利息计算有误",
            "customer_id": bank.customer_id,
            "channel": "letter",
            "received_at": "2025-08-25T09:00:00+08:00",
        },
    )["id"]
    queue = bank.get("cp-supervisor", "/queue").json()
    assert [c["id"] for c in queue["items"]] == [older, urgent, plain]
    assert queue["items"][1]["urgency"] == "critical"
    assert bank.get("cp-customer", "/queue").status_code == 403
