"""The regulator's complaint statistics for a period (投诉办法 第二十六、三十五条): counts by category,
channel, product, region (the customer's province), status and root cause; time to decision; the
share told on time; reviews. Exported as XLSX (one sheet per table) or CSV (section, key, value).

A complaint belongs to the period in which it was received; its category is the one staff confirmed,
else triage's. "On time" means the customer was told the decision by its due date (第十八条 asks
for the decision *and* the notice within the period).
"""

from __future__ import annotations

import csv
import io
import json
import statistics as stats
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from openpyxl import Workbook

from xieshang.complaints import repository
from xieshang.domain.errors import InvalidInput
from xieshang.kit.access import authorize
from xieshang.kit.context import Context
from xieshang.models.complaint import Complaint
from xieshang.text.categories import LABELS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
NO_PRODUCT = "(no loan)"


@dataclass
class ComplaintStatistics:
    start: date
    end: date
    received: int = 0
    by_category: Counter[str] = field(default_factory=Counter)
    by_channel: Counter[str] = field(default_factory=Counter)
    by_product: Counter[str] = field(default_factory=Counter)
    by_region: Counter[str] = field(default_factory=Counter)
    by_status: Counter[str] = field(default_factory=Counter)
    by_root_cause: Counter[str] = field(default_factory=Counter)
    days_to_decision: list[int] = field(default_factory=list)
    notified: int = 0
    notified_on_time: int = 0
    extended: Counter[str] = field(default_factory=Counter)
    reviews_requested: int = 0
    reviews_decided: int = 0
    reviews_changed: int = 0
    reviews_on_time: int = 0
    received_on: Counter[date] = field(default_factory=Counter)
    """Complaints received on each day of the period (days with none are absent)."""

    def summary(self) -> list[tuple[str, object]]:
        days = self.days_to_decision
        return [
            ("period_from", self.start.isoformat()),
            ("period_to", self.end.isoformat()),
            ("received", self.received),
            ("decided", len(days)),
            ("days_to_decision_mean", round(stats.fmean(days), 1) if days else None),
            ("days_to_decision_median", stats.median(days) if days else None),
            ("days_to_decision_max", max(days) if days else None),
            ("notified", self.notified),
            ("notified_on_time", self.notified_on_time),
            ("share_on_time", _share(self.notified_on_time, self.notified)),
            ("extended_complex", self.extended["complex"]),
            ("extended_special", self.extended["special"]),
            ("reviews_requested", self.reviews_requested),
            ("reviews_decided", self.reviews_decided),
            ("reviews_changed", self.reviews_changed),
            ("reviews_decided_on_time", self.reviews_on_time),
        ]

    def tables(self) -> dict[str, Counter[str]]:
        return {
            "category": self.by_category,
            "channel": self.by_channel,
            "product": self.by_product,
            "region": self.by_region,
            "status": self.by_status,
            "root_cause": self.by_root_cause,
        }


def complaint_statistics(ctx: Context, start: date, end: date) -> ComplaintStatistics:
    """The statistics of the complaints received from ``start`` to ``end`` (both included)."""
    authorize(ctx, "complaints.statistics")
    if start > end:
        raise InvalidInput("from", f"{start} is after {end}")
    result = ComplaintStatistics(start, end)
    for complaint, province, product in repository.received_between(ctx, start, end):
        _count(result, complaint, province, product)
    return result


def _count(result: ComplaintStatistics, c: Complaint, province: str, product: str | None) -> None:
    result.received += 1
    result.received_on[c.received_on] += 1
    result.by_category[c.confirmed_category or c.category] += 1
    result.by_channel[c.channel] += 1
    result.by_product[product or NO_PRODUCT] += 1
    result.by_region[province] += 1
    result.by_status[c.status] += 1
    result.by_root_cause.update(json.loads(c.root_causes))
    if c.extension != "none":
        result.extended[c.extension] += 1
    if c.decided_on is not None:
        result.days_to_decision.append((c.decided_on - c.received_on).days)
    if c.notified_on is not None:
        result.notified += 1
        result.notified_on_time += c.notified_on <= c.decision_due
    if c.review_requested_on is not None:
        result.reviews_requested += 1
    if c.review_decided_on is not None and c.review_due is not None:
        result.reviews_decided += 1
        result.reviews_changed += c.review_outcome == "changed"
        result.reviews_on_time += c.review_decided_on <= c.review_due


DECISION_DAYS = ((0, 5), (6, 10), (11, 15), (16, 30), (31, None))
"""Bands of days from receipt to decision: 15 days is the rule, 30 with a complex extension."""


def decision_days_bands(result: ComplaintStatistics) -> list[tuple[str, int]]:
    """How many decisions took each band of days ("0–5", …, "31+"), every band listed."""
    bands = []
    for low, high in DECISION_DAYS:
        label = f"{low}–{high}" if high is not None else f"{low}+"
        n = sum(1 for d in result.days_to_decision if d >= low and (high is None or d <= high))
        bands.append((label, n))
    return bands


WEEKLY_UP_TO_DAYS = 92
"""Periods up to about a quarter are counted by week; longer ones by month."""


def received_series(result: ComplaintStatistics) -> tuple[str, list[tuple[str, int]]]:
    """Complaints received per week (Monday to Sunday) or per calendar month over the period, every
    week or month listed even when none came: ("week" or "month", [(first day in the period, n)])."""
    start, end = result.start, result.end
    if (end - start).days < WEEKLY_UP_TO_DAYS:
        unit, firsts = "week", [start]
        monday = start - timedelta(days=start.weekday()) + timedelta(days=7)
        while monday <= end:
            firsts.append(monday)
            monday += timedelta(days=7)
    else:
        unit, firsts, day = "month", [start], start
        while True:
            day = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
            if day > end:
                break
            firsts.append(day)
    bounds = [*firsts[1:], end + timedelta(days=1)]
    series = [
        (
            first.isoformat(),
            sum(n for day, n in result.received_on.items() if first <= day < upper),
        )
        for first, upper in zip(firsts, bounds, strict=True)
    ]
    return unit, series


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _label(table: str, key: str) -> str:
    if table == "category" and key in LABELS:
        zh, en = LABELS[key]
        return f"{zh} / {en}"
    return ""


@dataclass(frozen=True)
class ReportFile:
    content: bytes
    media_type: str
    filename: str


def report_file(ctx: Context, start: date | None, end: date | None, file_format: str) -> ReportFile:
    """The regulator's report for complaints received from ``start`` to ``end`` (both included;
    default: this month so far) as a file."""
    end = end or ctx.today()
    start = start or end.replace(day=1)
    if start > end or end - start > timedelta(days=3660):
        raise InvalidInput("from", "must be on or before 'to', at most ten years before it")
    content, media_type = export(complaint_statistics(ctx, start, end), file_format)
    return ReportFile(content, media_type, f"complaints-{start}-{end}.{file_format}")


def export(result: ComplaintStatistics, file_format: str) -> tuple[bytes, str]:
    """The report as (bytes, media type) in ``xlsx`` or ``csv``."""
    if file_format == "xlsx":
        return to_xlsx(result), XLSX
    if file_format == "csv":
        return to_csv(result), CSV
    raise InvalidInput("format", "must be xlsx or csv")


def rows(result: ComplaintStatistics) -> list[tuple[str, str, Any, str]]:
    """(section, key, value, label) for every figure: the summary, then each table by count."""
    out: list[tuple[str, str, Any, str]] = [("summary", k, v, "") for k, v in result.summary()]
    for table, counts in result.tables().items():
        for key, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append((table, key, count, _label(table, key)))
    return out


def to_csv(result: ComplaintStatistics) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["section", "key", "value", "label"])
    for section, key, value, label in rows(result):
        writer.writerow([section, key, "" if value is None else value, label])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # a BOM, so Excel reads UTF-8


def to_xlsx(result: ComplaintStatistics) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = "summary"
    summary.append(["metric", "value"])
    for key, value in result.summary():
        summary.append([key, value])
    for table, counts in result.tables().items():
        sheet = book.create_sheet(table)
        sheet.append([table, "complaints", "label"])
        for key, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            sheet.append([key, count, _label(table, key)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
