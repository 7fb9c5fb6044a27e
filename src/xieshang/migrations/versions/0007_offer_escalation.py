"""offer escalation: an agent sends an offer up to a supervisor with a reason

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 23:30:32.970778
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import xieshang.models.base

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("negotiation_offers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "escalated_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column(
                "escalated_at", xieshang.models.base.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(sa.Column("escalation_reason", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("escalation_note", sa.String(length=500), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_negotiation_offers_escalated_by_users"),
            "users",
            ["escalated_by"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("negotiation_offers", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_negotiation_offers_escalated_by_users"), type_="foreignkey"
        )
        batch_op.drop_column("escalation_note")
        batch_op.drop_column("escalation_reason")
        batch_op.drop_column("escalated_at")
        batch_op.drop_column("escalated_by")
