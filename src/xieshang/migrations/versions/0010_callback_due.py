"""callback due: the day by which a person has promised to contact the customer on a case

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 05:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import xieshang.models.base

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("negotiation_cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("callback_due", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "callback_promised_at",
                xieshang.models.base.UTCDateTime(timezone=True),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("negotiation_cases", schema=None) as batch_op:
        batch_op.drop_column("callback_promised_at")
        batch_op.drop_column("callback_due")
