"""The regulator's statistics for a period, from the API as XLSX (opened with openpyxl) and CSV."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import load_workbook

from tests.complaints.helpers import Bank

DECISION = {"decision": "upheld", "facts": "重复扣费", "basis": "合同第五条", "remedy": "退费"}


def seed(bank: Bank) -> None:
    """Three complaints received in September 2025 (one decided on time, one late) and one in
    October."""
    bank.on(date(2025, 9, 1))
    on_time = bank.file(loan_id=bank.loan_id)["id"]
    late = bank.file("催收员晚上打电话骚扰我的家人")["id"]
    bank.ok(
        "cp-agent",
        "",
        {"text": "来电：利息算错了", "customer_id": bank.other_customer_id, "channel": "phone"},
    )
    bank.ok("cp-agent", f"/{on_time}/classify", {"root_causes": ["system_error", "disclosure"]})
    bank.on(date(2025, 9, 10))
    for cid in (on_time, late):
        bank.ok("cp-agent", f"/{cid}/acknowledge")
    bank.ok("cp-agent", f"/{on_time}/decide", DECISION)
    bank.ok("cp-agent", f"/{on_time}/notify")
    bank.on(date(2025, 9, 20))
    bank.ok("cp-customer", f"/{on_time}/review-request", {"reason": "不同意"})
    bank.ok("cp-agent", f"/{late}/decide", DECISION)
    bank.ok("cp-agent", f"/{late}/notify")  # due 16 September: late
    bank.on(date(2025, 10, 8))
    bank.file("我要投诉")


def test_the_report_as_a_spreadsheet(bank: Bank) -> None:
    seed(bank)
    response = bank.client.get(
        "/api/v1/complaints/statistics",
        params={"from": "2025-09-01", "to": "2025-09-30", "format": "xlsx"},
        headers=bank.token("cp-compliance"),
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "complaints-2025-09-01-2025-09-30.xlsx" in response.headers["content-disposition"]
    book = load_workbook(io.BytesIO(response.content))
    summary = {row[0]: row[1] for row in book["summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["received"] == 3
    assert summary["decided"] == 2
    assert summary["days_to_decision_mean"] == 14.0  # 9 and 19 days
    assert summary["notified"] == 2
    assert summary["notified_on_time"] == 1
    assert summary["share_on_time"] == 0.5
    assert summary["reviews_requested"] == 1
    assert summary["reviews_decided"] == 0

    def table(name: str) -> dict[str, int]:
        return {row[0]: row[1] for row in book[name].iter_rows(min_row=2, values_only=True)}

    assert table("channel") == {"app": 2, "phone": 1}
    assert table("region") == {"广东省": 2, "四川省": 1}
    assert table("product") == {"CONSUMER-36": 1, "(no loan)": 2}
    assert table("root_cause") == {"disclosure": 1, "system_error": 1}
    assert sum(table("category").values()) == 3
    assert table("category")["collection_conduct"] == 1


def test_the_report_as_csv_and_who_may_have_it(bank: Bank) -> None:
    seed(bank)
    response = bank.client.get(
        "/api/v1/complaints/statistics",
        params={"from": "2025-09-01", "to": "2025-10-31", "format": "csv"},
        headers=bank.token("cp-admin"),
    )
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    received = next(r for r in rows if r["section"] == "summary" and r["key"] == "received")
    assert received["value"] == "4"
    fees = next(r for r in rows if r["section"] == "category" and r["key"] == "fees_interest")
    assert fees["label"] == "费用与利息争议 / fee and interest disputes"
    for who in ("cp-agent", "cp-supervisor", "cp-customer"):
        denied = bank.client.get("/api/v1/complaints/statistics", headers=bank.token(who))
        assert denied.status_code == 403
    backwards = bank.client.get(
        "/api/v1/complaints/statistics",
        params={"from": "2025-10-01", "to": "2025-09-01"},
        headers=bank.token("cp-compliance"),
    )
    assert backwards.status_code == 422
