"""SQLAlchemy ORM: one module per aggregate, one metadata, portable types only."""

from xieshang.models.audit import AuditEntry
from xieshang.models.base import Base
from xieshang.models.complaint import Complaint, ComplaintAttachment, ComplaintEvent
from xieshang.models.contact import ContactAttempt
from xieshang.models.customer import Customer
from xieshang.models.feedback import SurveyCampaign, SurveyInvitation, SurveyResponse
from xieshang.models.idempotency import IdempotencyRecord
from xieshang.models.job import JobLock, JobRun
from xieshang.models.loan import Installment, Loan, LoanDisclosure, LoanProduct, LoanTransaction
from xieshang.models.negotiation import (
    Agreement,
    NegotiationCase,
    NegotiationEvaluation,
    NegotiationOffer,
)
from xieshang.models.notification import Notification, NotificationDelivery
from xieshang.models.policy import PolicyVersion
from xieshang.models.user import AccessToken, LoginAttempt, User

__all__ = [
    "AccessToken",
    "Agreement",
    "AuditEntry",
    "Base",
    "Complaint",
    "ComplaintAttachment",
    "ComplaintEvent",
    "ContactAttempt",
    "Customer",
    "IdempotencyRecord",
    "Installment",
    "JobLock",
    "JobRun",
    "Loan",
    "LoanDisclosure",
    "LoanProduct",
    "LoanTransaction",
    "LoginAttempt",
    "NegotiationCase",
    "NegotiationEvaluation",
    "NegotiationOffer",
    "Notification",
    "NotificationDelivery",
    "PolicyVersion",
    "SurveyCampaign",
    "SurveyInvitation",
    "SurveyResponse",
    "User",
]
