"""Quality and outcomes per member of staff for a period: the supervisor's and compliance's view of
who handled what and how it turned out, counted from the records themselves.

What each figure counts (every day is the bank's local day, the period includes both ends):

- cases handled: negotiation cases the person opened for a customer, adjusted an offer on, decided
  (approved or rejected) an offer on, or recorded the customer's consent on, in the period;
- offers approved / rejected: offers someone else proposed (or the engine made) that the person
  approved or rejected in the period;
- offers adjusted: plans the person shaped themselves in the period; escalated: those of them that
  needed someone else's approval (beyond the adjuster's authority, or below the baseline NPV);
- agreements: agreements signed in the period on a case the person handled (at any time), by how they
  stand now — active (being kept), late (within grace), completed, broken; kept so far = not broken;
- complaints decided: decisions the person made in the period; on time: decided on or before the
  decision's due date; days to decision: from the day of receipt to the day of decision; reviewed:
  a review (核查) was asked for afterwards; changed: the review changed the decision;
- CSAT and NPS: answers given in the period to surveys about a case the person handled or a complaint
  they decided (CSAT is the mean of 1–5 answers, NPS promoters % − detractors %, as in
  :mod:`xieshang.feedback.analytics`);
- contacts made: entries of the contact log in the period; refused: contacts the conduct rules
  refused (audited as ``contact.refused`` — the contact log itself holds only allowed contacts).

A person appears if any figure is not zero. A case, agreement or survey answer counts for every
person who handled it (an agent who adjusted the plan and the supervisor who approved it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from xieshang.domain.errors import InvalidInput
from xieshang.feedback import repository
from xieshang.feedback.analytics import scores
from xieshang.feedback.schemas import PersonQuality, QualityReport
from xieshang.kit.access import authorize
from xieshang.kit.context import Context
from xieshang.models.feedback import SurveyResponse
from xieshang.models.negotiation import AgreementStatus, NegotiationOffer
from xieshang.models.user import STAFF_ROLES

MAX_DAYS = 3 * 366
DEFAULT_DAYS = 30
ADJUSTED = "adjusted"
"""The offer key of a plan a person shaped (negotiations.offers.adjust)."""
REFUSED = "contact.refused"
"""The audit action of a contact the conduct rules refused (written by the collection service)."""


def default_period(ctx: Context) -> tuple[date, date]:
    """The thirty days to today (both included)."""
    end = ctx.today()
    return end - timedelta(days=DEFAULT_DAYS - 1), end


def quality_report(
    ctx: Context, start: date | None = None, end: date | None = None
) -> QualityReport:
    """Each person's quality and outcomes from ``start`` to ``end`` (default: the last 30 days)."""
    authorize(ctx, "reports.quality")
    default_start, default_end = default_period(ctx)
    end = end or default_end
    start = start or (end - (default_end - default_start))
    if start > end:
        raise InvalidInput("from", f"{start} is after {end}")
    if (end - start).days > MAX_DAYS:
        raise InvalidInput("from", "a report covers at most three years")
    zone = ZoneInfo(ctx.settings.timezone)
    lower = datetime.combine(start, time(0), tzinfo=zone).astimezone(UTC)
    upper = datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    tally = _Tally()
    _negotiations(ctx, tally, lower, upper)
    _complaints(ctx, tally, start, end)
    _surveys(ctx, tally, lower, upper)
    _contacts(ctx, tally, lower, upper)
    return QualityReport(start=start, end=end, people=tally.people(ctx))


class _Tally:
    def __init__(self) -> None:
        self.counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.cases: dict[int, set[int]] = defaultdict(set)
        self.days: dict[int, list[int]] = defaultdict(list)
        self.answers: dict[int, list[SurveyResponse]] = defaultdict(list)
        self.case_handlers: dict[int, set[int]] = {}

    def add(self, person: int | None, figure: str, n: int = 1) -> None:
        if person is not None:
            self.counts[person][figure] += n

    def handled(self, person: int | None, case_id: int) -> None:
        if person is not None:
            self.cases[person].add(case_id)

    def people(self, ctx: Context) -> list[PersonQuality]:
        ids = set(self.counts) | set(self.cases) | set(self.answers)
        users = repository.users_by_ids(ctx, ids)
        found = []
        for person in sorted(ids, key=lambda i: users[i].username if i in users else ""):
            user = users.get(person)
            if user is None or user.role not in STAFF_ROLES:
                continue  # a customer opens and accepts their own cases: not staff work
            c = self.counts[person]
            answered = scores("", 0, self.answers[person])
            days = self.days[person]
            found.append(
                PersonQuality(
                    user_id=person,
                    username=user.username,
                    display_name=user.display_name,
                    role=user.role.value,
                    cases_handled=len(self.cases[person]),
                    offers_approved=c["offers_approved"],
                    offers_rejected=c["offers_rejected"],
                    offers_adjusted=c["offers_adjusted"],
                    offers_escalated=c["offers_escalated"],
                    agreements=c["agreements"],
                    agreements_active=c["agreements_active"],
                    agreements_late=c["agreements_late"],
                    agreements_completed=c["agreements_completed"],
                    agreements_broken=c["agreements_broken"],
                    keep_rate=share(c["agreements"] - c["agreements_broken"], c["agreements"]),
                    complaints_decided=c["complaints_decided"],
                    complaints_on_time=c["complaints_on_time"],
                    on_time_share=share(c["complaints_on_time"], c["complaints_decided"]),
                    days_to_decision_mean=(
                        str(
                            (Decimal(sum(days)) / len(days)).quantize(Decimal("0.1"), ROUND_HALF_UP)
                        )
                        if days
                        else None
                    ),
                    complaints_reviewed=c["complaints_reviewed"],
                    complaints_changed_on_review=c["complaints_changed"],
                    survey_answers=answered.responses,
                    csat_average=answered.csat_average,
                    csat_answers=answered.csat_answers,
                    nps=answered.nps,
                    nps_answers=answered.nps_answers,
                    contacts_made=c["contacts_made"],
                    contacts_refused=c["contacts_refused"],
                )
            )
        return found


def share(part: int, whole: int) -> str | None:
    """``part / whole`` to four decimals (a string: exact, as it will be shown); none of nothing."""
    if not whole:
        return None
    return str((Decimal(part) / whole).quantize(Decimal("0.0001"), ROUND_HALF_UP))


def _between(moment: datetime | None, lower: datetime, upper: datetime) -> bool:
    if moment is None:
        return False
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return lower <= moment < upper


def _negotiations(ctx: Context, tally: _Tally, lower: datetime, upper: datetime) -> None:
    """Cases handled, offers decided and adjusted, and the agreements signed on handled cases."""
    for case_id, person in repository.cases_opened_between(ctx, lower, upper):
        tally.handled(person, case_id)
    for offer in repository.offers_made_or_decided_between(ctx, lower, upper):
        adjusted = offer.offer_key == ADJUSTED and offer.proposed_by is not None
        if adjusted and _between(offer.created_at, lower, upper):
            tally.handled(offer.proposed_by, offer.case_id)
            tally.add(offer.proposed_by, "offers_adjusted")
            if offer.decided_by != offer.proposed_by:
                tally.add(offer.proposed_by, "offers_escalated")
        if _decided_by_someone_else(offer) and _between(offer.decided_at, lower, upper):
            tally.handled(offer.decided_by, offer.case_id)
            rejected = offer.status == "rejected"
            tally.add(offer.decided_by, "offers_rejected" if rejected else "offers_approved")
    signed = repository.agreements_signed_between(ctx, lower, upper)
    for agreement in signed:
        tally.handled(agreement.accepted_by, agreement.case_id)
    survey_cases = repository.subjects_answered_between(ctx, "negotiation", lower, upper)
    wanted = {a.case_id for a in signed} | {int(s) for s in survey_cases if s.isdigit()}
    tally.case_handlers = _handlers(ctx, wanted)
    for agreement in signed:
        for person in tally.case_handlers.get(agreement.case_id, ()):
            tally.add(person, "agreements")
            if agreement.status in AgreementStatus:
                tally.add(person, f"agreements_{agreement.status}")


def _decided_by_someone_else(offer: NegotiationOffer) -> bool:
    """Approved or rejected by a person other than its proposer (an adjuster's own plan offered at
    once within their authority is not an approval)."""
    return offer.decided_by is not None and offer.decided_by != offer.proposed_by


def _handlers(ctx: Context, case_ids: set[int]) -> dict[int, set[int]]:
    """Case → everyone who handled it at any time: opened it, adjusted or decided an offer on it,
    recorded the customer's consent."""
    found: dict[int, set[int]] = defaultdict(set)
    ids = sorted(case_ids)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        for case_id, person in repository.case_openers(ctx, chunk):
            if person is not None:
                found[case_id].add(person)
        for offer in repository.offers_of_cases(ctx, chunk):
            if offer.offer_key == ADJUSTED and offer.proposed_by is not None:
                found[offer.case_id].add(offer.proposed_by)
            if _decided_by_someone_else(offer) and offer.decided_by is not None:
                found[offer.case_id].add(offer.decided_by)
        for case_id, person in repository.consent_recorders(ctx, chunk):
            if person is not None:
                found[case_id].add(person)
    return found


def _complaints(ctx: Context, tally: _Tally, start: date, end: date) -> None:
    for c in repository.complaints_decided_between(ctx, start, end):
        assert c.decided_by is not None
        assert c.decided_on is not None
        person = c.decided_by
        tally.add(person, "complaints_decided")
        tally.add(person, "complaints_on_time", int(c.decided_on <= c.decision_due))
        tally.days[person].append((c.decided_on - c.received_on).days)
        tally.add(person, "complaints_reviewed", int(c.review_requested_on is not None))
        tally.add(person, "complaints_changed", int(c.review_outcome == "changed"))


def _surveys(ctx: Context, tally: _Tally, lower: datetime, upper: datetime) -> None:
    handlers = tally.case_handlers
    rows = repository.answers_about_between(ctx, lower, upper, ("negotiation", "complaint"))
    complaint_ids = [int(s) for _, trigger, s in rows if trigger == "complaint" and s.isdigit()]
    deciders = repository.complaint_deciders(ctx, complaint_ids)
    for answer, trigger, subject in rows:
        if not subject.isdigit():
            continue
        people: Iterable[int | None] = (
            handlers.get(int(subject), ())
            if trigger == "negotiation"
            else (deciders.get(int(subject)),)
        )
        for person in people:
            if person is not None:
                tally.answers[person].append(answer)


def _contacts(ctx: Context, tally: _Tally, lower: datetime, upper: datetime) -> None:
    for agent in repository.contact_agents_between(ctx, lower, upper):
        tally.add(agent, "contacts_made")
    for actor in repository.actors_between(ctx, REFUSED, lower, upper):
        parts = actor.split(":")
        if len(parts) >= 2 and parts[0] == "user" and parts[1].isdigit():
            tally.add(int(parts[1]), "contacts_refused")
