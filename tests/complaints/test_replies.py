"""Reply templates: every one, for every category and stage, in both languages, fills every
placeholder, never names the customer in full, and passes the message linter."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests import factories
from xieshang.complaints import replies
from xieshang.complaints.intake import file_complaint
from xieshang.complaints.schemas import ComplaintCreate
from xieshang.domain.conduct import lint_message
from xieshang.domain.errors import InvalidInput, PermissionDenied
from xieshang.kit.context import Context
from xieshang.models.complaint import Complaint
from xieshang.models.user import Role, User
from xieshang.policy.document import load_policy
from xieshang.text.categories import CATEGORIES


def test_every_template_fills_and_passes_the_linter(ctx: Context) -> None:
    owner = factories.customer(ctx, name="欧阳娜娜")
    complaint = file_complaint(
        ctx, ComplaintCreate(text="银行重复收取了手续费，请退还", customer_id=owner.id)
    )
    ctx.session.commit()
    rules = load_policy().conduct.lint
    texts = replies.texts()
    assert set(texts) == set(replies.STAGES)
    for stage, wordings in texts.items():
        assert "default" in wordings, stage
        assert set(wordings) - {"default"} <= set(CATEGORIES), f"{stage}: unknown category"
    checked = 0
    for category in CATEGORIES:
        complaint.confirmed_category = category
        for stage in replies.STAGES:
            for language in replies.LANGUAGES:
                text = replies.fill(ctx, complaint, stage, language)
                assert not replies.PLACEHOLDER.search(text), (stage, category, language, text)
                assert lint_message(text, rules) == (), (stage, category, language)
                assert str(complaint.id) in text
                assert "欧阳娜娜" not in text, "addressed by surname, never the full name"
                assert "欧" in text
                checked += 1
    assert checked == len(CATEGORIES) * len(replies.STAGES) * 2


def test_a_template_names_the_complaints_dates(ctx: Context) -> None:
    owner = factories.customer(ctx, language="en")
    agent = factories.user(ctx, Role.AGENT, "rp-agent")
    complaint = file_complaint(
        ctx,
        ComplaintCreate(text="The fee was charged twice, please refund it", customer_id=owner.id),
    )
    ctx.session.commit()
    ctx.user = agent
    text = replies.reply_template(ctx, complaint.id, "extension")
    assert complaint.decision_due.isoformat() in text
    assert complaint.received_on.isoformat() in text
    assert text.startswith("Dear Mr/Ms ")
    with pytest.raises(InvalidInput, match="template"):
        replies.reply_template(ctx, complaint.id, "threaten")


def test_customers_get_no_templates(ctx: Context) -> None:
    owner = factories.customer(ctx)
    factories.user(ctx, Role.CUSTOMER, "rp-customer", owner.id)
    complaint = file_complaint(ctx, ComplaintCreate(text="服务态度差", customer_id=owner.id))
    ctx.session.commit()
    ctx.user = ctx.session.scalar(select(User).where(User.username == "rp-customer"))
    with pytest.raises(PermissionDenied):
        replies.reply_template(ctx, complaint.id, "acknowledgement")
    assert ctx.session.get(Complaint, complaint.id) is not None
