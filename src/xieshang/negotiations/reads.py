"""Negotiation rows as the read models the API and pages show."""

from __future__ import annotations

from xieshang.domain.money import to_yuan
from xieshang.models.loan import Loan
from xieshang.models.negotiation import Agreement
from xieshang.negotiations.schemas import AgreementRead


def agreement_read(agreement: Agreement, loan: Loan) -> AgreementRead:
    return AgreementRead(
        id=agreement.id,
        case_id=agreement.case_id,
        loan_id=agreement.loan_id,
        offer_id=agreement.offer_id,
        kind=agreement.kind,
        status=agreement.status,
        start_date=agreement.start_date,
        conditional=to_yuan(agreement.conditional),
        reinstated=to_yuan(agreement.reinstated),
        days_late=agreement.days_late,
        observation_until=loan.observation_until,
        broken_on=agreement.broken_on,
        completed_on=agreement.completed_on,
        consented_at=agreement.consented_at,
        consent_channel=agreement.consent_channel,
        terms_sha256=agreement.terms_text_sha256,
    )
