"""negotiation cases

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 18:16:35.692122
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import xieshang.models.base

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "negotiation_cases",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("loan_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("scenario", sa.String(length=24), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("input_snapshot", sa.Text(), nullable=False),
        sa.Column(
            "created_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("created_at", xieshang.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_negotiation_cases_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_negotiation_cases_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["loan_id"], ["loans.id"], name=op.f("fk_negotiation_cases_loan_id_loans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_negotiation_cases")),
    )
    with op.batch_alter_table("negotiation_cases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_negotiation_cases_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_negotiation_cases_loan_id"), ["loan_id"], unique=False)

    op.create_table(
        "negotiation_evaluations",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("policy_version", sa.String(length=64), nullable=False),
        sa.Column("policy_digest", sa.String(length=64), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column(
            "evaluated_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("evaluated_at", xieshang.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["negotiation_cases.id"],
            name=op.f("fk_negotiation_evaluations_case_id_negotiation_cases"),
        ),
        sa.ForeignKeyConstraint(
            ["evaluated_by"],
            ["users.id"],
            name=op.f("fk_negotiation_evaluations_evaluated_by_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_negotiation_evaluations")),
    )
    with op.batch_alter_table("negotiation_evaluations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_negotiation_evaluations_case_id"), ["case_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("negotiation_evaluations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_negotiation_evaluations_case_id"))

    op.drop_table("negotiation_evaluations")
    with op.batch_alter_table("negotiation_cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_negotiation_cases_loan_id"))
        batch_op.drop_index(batch_op.f("ix_negotiation_cases_customer_id"))

    op.drop_table("negotiation_cases")
