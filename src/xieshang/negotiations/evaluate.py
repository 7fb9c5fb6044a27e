"""One entry for every scenario: hardship, charge dispute, application adjustment."""

from __future__ import annotations

from xieshang.domain.credit import Scorecard
from xieshang.domain.disclosure import DisclosureVersion
from xieshang.domain.disputes import DisputeLimits, review_charges
from xieshang.domain.errors import InvalidInput
from xieshang.domain.negotiation.application import decide
from xieshang.domain.negotiation.engine import evaluate
from xieshang.domain.negotiation.policy import Policy
from xieshang.loans.loanfile import parse_disclosures
from xieshang.negotiations.case_input import (
    application_input,
    dispute_input,
    parse_case,
    parse_input,
)
from xieshang.negotiations.reads import application_read, dispute_read, evaluation_read
from xieshang.negotiations.schemas import EvaluationRead


def dispute_limits(policy: Policy) -> DisputeLimits:
    caps = policy.regulatory
    return DisputeLimits(
        penalty_markup_min=caps.penalty_markup_min,
        penalty_markup_max=caps.penalty_markup_max,
        apr_cap=caps.apr_cap,
        interest_on_fees_allowed=caps.interest_on_fees_allowed,
    )


def disclosures(loan: object) -> tuple[DisclosureVersion, ...]:
    """The cost disclosure tables the case's loan file carries (金规〔2026〕2号, UNVERIFIED): a
    dispute reconciles each charge against the one in force on its date."""
    try:
        return parse_disclosures(loan)
    except InvalidInput as error:
        raise InvalidInput(f"loan.{error.field}", error.problem) from None


def evaluate_input(data: object, policy: Policy, card: Scorecard) -> EvaluationRead:
    """Validate a case (JSON data) and answer it by its scenario's path."""
    case = parse_input(data)
    if case.request.scenario == "charge_dispute":
        loan, charged = dispute_input(case)
        tables = disclosures(case.loan)
        finding = review_charges(loan, charged, dispute_limits(policy), case.as_of, tables)
        return dispute_read(finding, policy, case.as_of)
    if case.request.scenario == "application":
        return application_read(decide(application_input(case), card, policy), policy, case.as_of)
    return evaluation_read(evaluate(parse_case(data), policy), policy)
