"""agreements, offers, jobs, notifications

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 20:21:26.396450
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import xieshang.models.base

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # 0001 declared this foreign key with use_alter, which op.create_table does not emit: add it
        # (SQLite created it inline). Found by tests/test_db.py comparing migrations with the models.
        op.create_foreign_key(
            op.f("fk_customers_created_by_users"), "customers", "users", ["created_by"], ["id"]
        )
    op.create_table(
        "job_locks",
        sa.Column("job", sa.String(length=48), nullable=False),
        sa.Column("holder", sa.String(length=120), nullable=False),
        sa.Column("acquired_at", xieshang.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", xieshang.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("job", name=op.f("pk_job_locks")),
    )
    op.create_table(
        "job_runs",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("job", sa.String(length=48), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("started_at", xieshang.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", xieshang.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.Column("failures", sa.Text(), nullable=False),
        sa.Column("holder", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_runs")),
    )
    with op.batch_alter_table("job_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_runs_job"), ["job"], unique=False)

    op.create_table(
        "notifications",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("template", sa.String(length=48), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", xieshang.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("read_at", xieshang.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_notifications_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notifications_customer_id"), ["customer_id"], unique=False
        )

    op.create_table(
        "negotiation_offers",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "evaluation_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("offer_key", sa.String(length=24), nullable=False),
        sa.Column("approval", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column(
            "proposed_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "decided_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("decided_at", xieshang.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.String(length=500), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("created_at", xieshang.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["negotiation_cases.id"],
            name=op.f("fk_negotiation_offers_case_id_negotiation_cases"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_negotiation_offers_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["negotiation_evaluations.id"],
            name=op.f("fk_negotiation_offers_evaluation_id_negotiation_evaluations"),
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by"], ["users.id"], name=op.f("fk_negotiation_offers_proposed_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_negotiation_offers")),
        sa.UniqueConstraint(
            "evaluation_id", "offer_key", name=op.f("uq_negotiation_offers_evaluation_id")
        ),
    )
    with op.batch_alter_table("negotiation_offers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_negotiation_offers_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "agreements",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("offer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("loan_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("segment", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("installation", sa.Text(), nullable=False),
        sa.Column("previous", sa.Text(), nullable=False),
        sa.Column("conditional", sa.BigInteger(), nullable=False),
        sa.Column("reinstated", sa.BigInteger(), nullable=False),
        sa.Column("days_late", sa.Integer(), nullable=False),
        sa.Column("judged_through", sa.Date(), nullable=True),
        sa.Column("broken_on", sa.Date(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("terms_text_sha256", sa.String(length=64), nullable=False),
        sa.Column("consent_channel", sa.String(length=16), nullable=False),
        sa.Column("consented_at", xieshang.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "accepted_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["accepted_by"], ["users.id"], name=op.f("fk_agreements_accepted_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["negotiation_cases.id"],
            name=op.f("fk_agreements_case_id_negotiation_cases"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_agreements_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["loan_id"], ["loans.id"], name=op.f("fk_agreements_loan_id_loans")
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["negotiation_offers.id"],
            name=op.f("fk_agreements_offer_id_negotiation_offers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreements")),
        sa.UniqueConstraint("case_id", name=op.f("uq_agreements_case_id")),
    )
    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agreements_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_agreements_loan_id"), ["loan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_agreements_status"), ["status"], unique=False)

    with op.batch_alter_table("installments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "status",
                sa.Enum(
                    "scheduled",
                    "due",
                    "late",
                    "paid",
                    name="installmentstatus",
                    native_enum=False,
                    length=24,
                ),
                nullable=False,
                server_default="scheduled",
            )
        )

    with op.batch_alter_table("loan_transactions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("segment", sa.Integer(), nullable=False, server_default="0"))

    with op.batch_alter_table("loans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("segment", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("terms_in_force", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("closed_through", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("days_past_due", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("bucket", sa.String(length=8), nullable=False, server_default="M0")
        )
        batch_op.add_column(
            sa.Column(
                "classification", sa.String(length=24), nullable=False, server_default="normal"
            )
        )
        batch_op.add_column(
            sa.Column("principal_outstanding", sa.BigInteger(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("owed_now", sa.BigInteger(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(op.f("fk_customers_created_by_users"), "customers", type_="foreignkey")
    with op.batch_alter_table("loans", schema=None) as batch_op:
        batch_op.drop_column("owed_now")
        batch_op.drop_column("principal_outstanding")
        batch_op.drop_column("classification")
        batch_op.drop_column("bucket")
        batch_op.drop_column("days_past_due")
        batch_op.drop_column("closed_through")
        batch_op.drop_column("terms_in_force")
        batch_op.drop_column("segment")

    with op.batch_alter_table("loan_transactions", schema=None) as batch_op:
        batch_op.drop_column("segment")

    with op.batch_alter_table("installments", schema=None) as batch_op:
        batch_op.drop_column("status")

    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreements_status"))
        batch_op.drop_index(batch_op.f("ix_agreements_loan_id"))
        batch_op.drop_index(batch_op.f("ix_agreements_customer_id"))

    op.drop_table("agreements")
    with op.batch_alter_table("negotiation_offers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_negotiation_offers_case_id"))

    op.drop_table("negotiation_offers")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notifications_customer_id"))

    op.drop_table("notifications")
    with op.batch_alter_table("job_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_runs_job"))

    op.drop_table("job_runs")
    op.drop_table("job_locks")
