"""Scores over time and the words customers use.

CSAT is the mean of the 1–5 answers. NPS = promoters % − detractors % of the 0–10 answers, promoters
answering 9–10, detractors 0–6 (Reichheld, "The One Number You Need to Grow", HBR 2003). Months are
calendar months in the bank's time zone; invitations count in the month they were sent, answers in the
month they were given. Chinese comments give jieba keywords, English ones word counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from xieshang.domain.errors import InvalidInput
from xieshang.feedback import repository
from xieshang.feedback.schemas import MonthScores, SurveyReport, WordCount
from xieshang.kit.access import authorize
from xieshang.kit.context import Context
from xieshang.models.feedback import SurveyResponse
from xieshang.text.keywords import chinese_keywords, english_words, is_chinese

MAX_DAYS = 3 * 366


def survey_report(
    ctx: Context, start: date | None = None, end: date | None = None, *, top: int = 20
) -> SurveyReport:
    """Scores by month and the words used, for answers given from ``start`` to ``end`` inclusive
    (by default the twelve months to today)."""
    authorize(ctx, "surveys.report")
    end = end or ctx.today()
    start = start or _twelve_months_to(end)
    if end < start:
        raise InvalidInput("to", f"{end} is before from ({start})")
    if (end - start).days > MAX_DAYS:
        raise InvalidInput("to", "a report covers at most three years")
    zone = ZoneInfo(ctx.settings.timezone)
    lower = datetime.combine(start, time(0), tzinfo=zone).astimezone(UTC)
    upper = datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    answers = repository.answers_between(ctx, lower, upper)
    sent = repository.invitation_times_between(ctx, lower, upper)
    invitations: dict[str, int] = defaultdict(int)
    for moment in sent:
        invitations[_month(ctx, moment)] += 1
    by_month: dict[str, list[SurveyResponse]] = defaultdict(list)
    for row in answers:
        by_month[_month(ctx, row.answered_at)].append(row)
    months = [
        scores(month, invitations.get(month, 0), by_month.get(month, []))
        for month in _months(start, end)
    ]
    comments = [row.comment for row in answers if row.comment]
    return SurveyReport(
        start=start,
        end=end,
        months=months,
        overall=scores(f"{start:%Y-%m}..{end:%Y-%m}", len(sent), answers),
        keywords_zh=_words(chinese_keywords([c for c in comments if is_chinese(c)], top)),
        words_en=_words(english_words([c for c in comments if not is_chinese(c)], top)),
    )


def scores(label: str, invited: int, answers: Sequence[SurveyResponse]) -> MonthScores:
    csat = [a.csat for a in answers if a.csat is not None]
    nps = [a.nps for a in answers if a.nps is not None]
    promoters = sum(1 for n in nps if n >= 9)
    detractors = sum(1 for n in nps if n <= 6)
    average = (
        str((Decimal(sum(csat)) / len(csat)).quantize(Decimal("0.01"), ROUND_HALF_UP))
        if csat
        else None
    )
    net = (
        float(
            (Decimal(100 * (promoters - detractors)) / len(nps)).quantize(
                Decimal("0.1"), ROUND_HALF_UP
            )
        )
        if nps
        else None
    )
    return MonthScores(
        month=label,
        invitations=invited,
        responses=len(answers),
        csat_average=average,
        csat_answers=len(csat),
        nps=net,
        nps_answers=len(nps),
        promoters=promoters,
        passives=len(nps) - promoters - detractors,
        detractors=detractors,
    )


def _month(ctx: Context, moment: datetime) -> str:
    return ctx.local(moment).strftime("%Y-%m")


def _twelve_months_to(end: date) -> date:
    """The first day of the month eleven months before ``end``'s: twelve calendar months in all."""
    year, month = (end.year, end.month - 11) if end.month == 12 else (end.year - 1, end.month + 1)
    return date(year, month, 1)


def _months(start: date, end: date) -> list[str]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _words(pairs: list[tuple[str, int]]) -> list[WordCount]:
    return [WordCount(word=word, answers=count) for word, count in pairs]
