"""An offer's terms as the customer reads them before consenting: the text generated from the stored
offer, the loan and the policy in force, and its SHA-256 (what the consent record keeps)."""

from __future__ import annotations

import json
from datetime import date

from xieshang.agreements.terms import TermsContext, digest, terms_text
from xieshang.domain import agreement as domain
from xieshang.kit.context import Context
from xieshang.models.negotiation import (
    NegotiationCase,
    NegotiationOffer,
)
from xieshang.negotiations.repository import evaluation_by_id, loan_by_id
from xieshang.negotiations.schemas import EvaluationRead, OfferRead
from xieshang.policy.in_force import policy_in_force


def offer_of(ctx: Context, row: NegotiationOffer) -> OfferRead:
    evaluation = evaluation_by_id(ctx, row.evaluation_id)
    result = EvaluationRead.model_validate_json(evaluation.result)
    return next(o for o in result.offers if o.id == row.offer_key)


def terms_for(
    ctx: Context, case: NegotiationCase, row: NegotiationOffer, language: str
) -> tuple[str, str]:
    """The offer's full terms text in ``language`` and its SHA-256."""
    offer = offer_of(ctx, row)
    text = terms_text(offer, terms_context(ctx, case, row, offer), language)
    return text, digest(text)


def terms_context(
    ctx: Context, case: NegotiationCase, row: NegotiationOffer, offer: OfferRead
) -> TermsContext:
    loan = loan_by_id(ctx, case.loan_id)
    assert offer.installation is not None
    policy = policy_in_force(ctx)
    snapshot = json.loads(case.input_snapshot)
    observation = None
    if offer.type not in domain.NOT_RESTRUCTURING:
        schedule = offer.installation.to_installation().schedule
        observation = domain.observation_end(schedule, policy.regulatory.observation_period_months)
    return TermsContext(
        loan_no=loan.loan_no,
        as_of=date.fromisoformat(snapshot["as_of"]),
        expires_on=row.expires_on,
        penalty_markup=str(snapshot["loan"]["penalty"]["markup"]),
        grace_days=policy.agreements.grace_days,
        reinstatement=policy.agreements.reinstatement,
        observation_until=observation,
    )
