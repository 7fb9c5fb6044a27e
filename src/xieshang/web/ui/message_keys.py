"""The message keys that pages build from a value (``t('status.' ~ loan.status)``, ``t(field)`` in a
loop, a form field named by a problem). No extractor can see those, so each is listed here with
``N_``, which ``pybabel extract`` picks up (a default keyword) and which returns the key unchanged:
``messages.pot`` and so both catalogues keep them. A new value (a status, a channel) gets its line
here and its entries in the catalogues; tests/web/test_messages.py checks the lists against the
enums and literals the values come from.

``category.<code>`` keys are not here: complaint categories are named by xieshang.text.categories."""

from __future__ import annotations


def N_(key: str) -> str:  # noqa: N802  (gettext's name for "mark for extraction, do not translate")
    return key


DISCLOSURE_EVENTS = (  # t('disclosure.event.' ~ …): why a version of a loan's disclosure table was written
    N_("disclosure.event.agreement"),
    N_("disclosure.event.backfill"),
    N_("disclosure.event.booked"),
)

STATUS = (  # t('status.' ~ …): a loan, a negotiation case, an offer, an agreement
    N_("status.accepted"),
    N_("status.active"),
    N_("status.approved"),
    N_("status.countered"),
    N_("status.declined"),
    N_("status.evaluated"),
    N_("status.expired"),
    N_("status.offered"),
    N_("status.paid_off"),
    N_("status.pending_approval"),
    N_("status.rejected"),
    N_("status.submitted"),
    N_("status.withdrawn"),
)
COMPLAINT_STATUS = (  # t('cstatus.' ~ …): xieshang.domain.complaint_states.Status
    N_("cstatus.acknowledged"),
    N_("cstatus.closed"),
    N_("cstatus.decided"),
    N_("cstatus.investigating"),
    N_("cstatus.notified"),
    N_("cstatus.received"),
    N_("cstatus.review_decided"),
    N_("cstatus.review_requested"),
    N_("cstatus.withdrawn"),
)
CHANNEL = (  # t('channel.' ~ …): complaint channels, payment channels, consent channels
    N_("channel.app"),
    N_("channel.auto_debit"),
    N_("channel.branch"),
    N_("channel.counter"),
    N_("channel.import"),
    N_("channel.letter"),
    N_("channel.phone"),
    N_("channel.regulator_referral"),
    N_("channel.transfer"),
    N_("channel.visit"),
    N_("channel.web"),
)
CLASSIFICATION = (  # portfolio.html: xieshang.domain.delinquency.Classification
    N_("class.doubtful"),
    N_("class.loss"),
    N_("class.normal"),
    N_("class.special_mention"),
    N_("class.substandard"),
)
COMPLAINT_ABOUT = (  # complaints.html and pages/complaints.py STARTS: what a complaint is about
    N_("complaint_explain.application"),
    N_("complaint_explain.charge"),
    N_("complaint_explain.dispute"),
    N_("complaint_explain.refund"),
    N_("complaint_explain.service"),
    N_("complaint_start.application"),
    N_("complaint_start.charge"),
    N_("complaint_start.dispute"),
    N_("complaint_start.refund"),
    N_("complaint_start.service"),
)
CONTACT = (  # contacts.html and customer_staff.html: a contact's fields and their choices
    N_("contact.purpose"),
    N_("contact.phone"),
    N_("contact.sms"),
    N_("contact.email"),
    N_("contact.visit"),
    N_("contact.app"),
    N_("contact.debtor"),
    N_("contact.guarantor"),
    N_("contact.debt_related"),
    N_("contact.unrelated"),
    N_("contact.collection"),
    N_("contact.service"),
    N_("contact.answered"),
    N_("contact.no_answer"),
    N_("contact.left_message"),
    N_("contact.refused_by_customer"),
)
FLAG = (  # complaint triage flags (text/triage_rules.yaml)
    N_("flag.collective"),
    N_("flag.lawyer"),
    N_("flag.litigation"),
    N_("flag.media"),
    N_("flag.police"),
    N_("flag.regulator"),
    N_("flag.regulator_hotline"),
    N_("flag.self_harm"),
    N_("flag.vulnerable"),
)
GROUP = (  # the teams complaints are routed to (text/triage_rules.yaml)
    N_("group.account_servicing"),
    N_("group.billing_disputes"),
    N_("group.collection_compliance"),
    N_("group.complaint_desk"),
    N_("group.complaint_escalation"),
    N_("group.credit_operations"),
    N_("group.credit_reporting"),
    N_("group.customer_service"),
    N_("group.fraud_security"),
    N_("group.hardship_negotiation"),
    N_("group.vulnerable_customer_care"),
)
JOB = (  # admin.html: the batch jobs and their runs' status (xieshang.jobs)
    N_("job.close-of-business"),
    N_("job.complaints-clock"),
    N_("job.notifications"),
    N_("job.reminders"),
    N_("run.running"),
    N_("run.succeeded"),
    N_("run.completed_with_failures"),
    N_("run.failed"),
    N_("run.refused"),
)
AGREEMENT = (  # agreement.html, agreements.html: an agreement's kind and each installment's mark
    N_("kind.adjusted_plan"),
    N_("kind.catch_up_plan"),
    N_("kind.due_date_change"),
    N_("kind.grace_period"),
    N_("kind.hardship_plan"),
    N_("kind.payment_holiday"),
    N_("kind.settlement"),
    N_("mark.due"),
    N_("mark.overdue"),
    N_("mark.paid"),
    N_("mark.replaced"),
    N_("mark.upcoming"),
    N_("waived_if_kept_all"),
    N_("waived_if_kept_unpaid_share"),
)
OFFER = (  # an offer's kind (the engine's offer ids)
    N_("offer.adjusted"),
    N_("offer.due_date"),
    N_("offer.grace"),
    N_("offer.holiday"),
    N_("offer.plan"),
    N_("offer.settlement"),
)
POLICY_STANDING = (  # policy.html: xieshang.policy_store
    N_("policy.standing.baseline"),
    N_("policy.standing.in_force"),
    N_("policy.standing.proposed"),
    N_("policy.standing.rejected"),
    N_("policy.standing.scheduled"),
    N_("policy.standing.superseded"),
)
QUALITY = (  # team.html: each figure of the quality report, and its explanation
    N_("quality.help.agreements_signed"),
    N_("quality.help.answers"),
    N_("quality.help.cases_handled"),
    N_("quality.help.changed"),
    N_("quality.help.complaints_decided"),
    N_("quality.help.contacts_made"),
    N_("quality.help.contacts_refused"),
    N_("quality.help.days_mean"),
    N_("quality.help.keep_rate"),
    N_("quality.help.offers_adjusted"),
    N_("quality.help.offers_approved"),
    N_("quality.help.offers_escalated"),
    N_("quality.help.on_time"),
    N_("quality.help.reviewed"),
)
REPLY = (  # complaint.html: the reply templates (xieshang.complaints.replies.STAGES)
    N_("reply.acknowledgement"),
    N_("reply.extension"),
    N_("reply.not_upheld"),
    N_("reply.request_info"),
    N_("reply.upheld"),
)
ROLE = (  # xieshang.models.user.Role, and the landing page's start for each
    N_("role.admin"),
    N_("role.agent"),
    N_("role.compliance"),
    N_("role.customer"),
    N_("role.supervisor"),
    N_("start.admin"),
    N_("start.agent"),
    N_("start.compliance"),
    N_("start.customer"),
    N_("start.supervisor"),
)
STATISTICS = (  # complaint_statistics.html: the tables, bars and their keys (pages/compliance.py)
    N_("stats.received_month"),
    N_("stats.received_week"),
    N_("stats.extension.complex"),
    N_("stats.extension.special"),
    N_("stats.review.changed"),
    N_("stats.review.decided"),
    N_("stats.review.decided_on_time"),
    N_("stats.review.requested"),
    N_("stats.table.category"),
    N_("stats.table.channel"),
    N_("stats.table.product"),
    N_("stats.table.region"),
    N_("stats.table.root_cause"),
    N_("stats.table.status"),
    N_("stats.timely.late"),
    N_("stats.timely.on_time"),
    N_("product.(no loan)"),  # xieshang.complaints.statistics.NO_PRODUCT
)
ROOT_CAUSE = (  # xieshang.complaints.schemas.RootCause
    N_("rootcause.collection_practice"),
    N_("rootcause.credit_reporting_error"),
    N_("rootcause.customer_misunderstanding"),
    N_("rootcause.disclosure"),
    N_("rootcause.fraud"),
    N_("rootcause.other"),
    N_("rootcause.pricing"),
    N_("rootcause.process_error"),
    N_("rootcause.product_design"),
    N_("rootcause.staff_conduct"),
    N_("rootcause.system_error"),
    N_("rootcause.third_party_partner"),
)
SURVEY = (  # surveys.html: what a survey invitation followed
    N_("survey.campaign"),
    N_("survey.complaint"),
    N_("survey.negotiation"),
)
DISPUTE = (  # _dispute.html: xieshang.domain.disputes.Verdict
    N_("verdict.correct"),
    N_("verdict.overcharged"),
    N_("verdict.undercharged"),
)
WORKBENCH = (  # the agent's workbench (_case_*.html, queue.html)
    N_("wb.agreement.active"),
    N_("wb.agreement.broken"),
    N_("wb.agreement.completed"),
    N_("wb.agreement.late"),
    N_("wb.component.compound"),
    N_("wb.component.fee"),
    N_("wb.component.interest"),
    N_("wb.component.late_fee"),
    N_("wb.component.payment"),
    N_("wb.component.penalty"),
    N_("wb.component.principal"),
    N_("wb.component.total"),
    N_("wb.reason.complaint_open"),
    N_("wb.reason.other"),
    N_("wb.reason.outside_authority"),
    N_("wb.reason.suspected_fraud"),
    N_("wb.reason.vulnerable_customer"),
    N_("wb.txn.fee"),
    N_("wb.txn.late_fee"),
    N_("wb.txn.payment"),
    N_("wb.txn.reinstated"),
    N_("wb.urgency.critical"),
    N_("wb.urgency.high"),
    N_("wb.urgency.low"),
    N_("wb.urgency.normal"),
)
WORDS = (  # plain keys a page takes from a value
    # who approves an offer (t(row.approval), t(checked.needed))
    N_("automatic"),
    N_("agent"),
    N_("supervisor"),
    # why the customer cannot pay (negotiate.html: xieshang.domain.negotiation.case.Hardship)
    N_("income_drop_temporary"),
    N_("job_loss"),
    N_("illness"),
    N_("disaster"),
    N_("bereavement"),
    N_("business_downturn"),
    N_("family"),
    N_("over_indebted"),
    N_("other"),
    # the parts of what is owed (_owed.html, agreement.html, dispute.html: t(part), t(kind))
    N_("principal"),
    N_("interest"),
    N_("penalty"),
    N_("compound"),
    N_("fee"),
    N_("late_fee"),
    # the fields of the situation and survey forms, looped over in negotiate.html, change.html and
    # surveys.html, and named by a problem with them (problems.label)
    N_("stated_income"),
    N_("verified_income"),
    N_("essential_expenses"),
    N_("other_debt_service"),
    N_("lump_sum_available"),
    N_("dependants"),
    N_("lasting"),
    N_("card.at_signing"),
    N_("case.callback_due"),
    N_("note.expired"),
    N_("note.other_accepted"),
    N_("note.evaluated_again"),
    N_("what_if_range"),
    N_("talk.title"),
    N_("talk.agreed"),
    N_("talk.instead"),
    N_("talk.i_can_pay"),
    N_("talk.propose"),
    N_("talk.call_me"),
    N_("talk.decline"),
    N_("talk.decline_why"),
    N_("talk.decline_confirm"),
    N_("wb.call_promised"),
    N_("card.payments"),
    N_("card.phase"),
    N_("card.phase_one"),
    N_("card.final"),
    N_("card.phase_varies"),
    N_("card.total_repaid"),
    N_("card.total_interest"),
    N_("card.now"),
    N_("card.staff_confirm"),
    N_("vulnerability"),
    N_("vulnerability.why"),
    N_("vulnerability.serious_illness"),
    N_("vulnerability.disability"),
    N_("vulnerability.bereavement"),
    N_("vulnerability.disaster"),
    N_("vulnerability.elderly"),
    N_("vulnerability.mental_health"),
    N_("csat"),
    N_("nps"),
    # fields named only by a problem with them: the complaint forms, the dispute form, any form's
    # CSRF token (a form kept open past its session)
    N_("received_at"),
    N_("loan_id"),
    N_("text"),
    N_("pick"),
    N_("installment"),
    N_("component"),
    N_("amount"),
    N_("csrf"),
)
