"""complaints, their timeline events and attachments

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 20:55:02.288038
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import xieshang.models.base

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "complaints",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("external_ref", sa.String(length=64), nullable=True),
        sa.Column(
            "customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("loan_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("channel", sa.String(length=24), nullable=False),
        sa.Column("received_at", xieshang.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column(
            "recorded_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("created_at", xieshang.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("original_text", sa.Text(), nullable=False),
        sa.Column("normalized_text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("triage_scores", sa.Text(), nullable=False),
        sa.Column("urgency", sa.String(length=16), nullable=False),
        sa.Column("urgency_rank", sa.Integer(), nullable=False),
        sa.Column("urgency_reasons", sa.Text(), nullable=False),
        sa.Column("flags", sa.Text(), nullable=False),
        sa.Column("sentiment", sa.String(length=16), nullable=False),
        sa.Column("suggested_group", sa.String(length=48), nullable=False),
        sa.Column("confirmed_category", sa.String(length=32), nullable=True),
        sa.Column("root_causes", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column(
            "assignee_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("assignee_group", sa.String(length=48), nullable=False),
        sa.Column("extension", sa.String(length=16), nullable=False),
        sa.Column("extension_reason", sa.Text(), nullable=True),
        sa.Column(
            "extension_approved_by",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("paused_days", sa.Integer(), nullable=False),
        sa.Column("paused_since", sa.Date(), nullable=True),
        sa.Column("pause_reason", sa.String(length=32), nullable=True),
        sa.Column("restarted_on", sa.Date(), nullable=True),
        sa.Column("decision_due", sa.Date(), nullable=False),
        sa.Column("reminded_days", sa.Integer(), nullable=True),
        sa.Column("reminded_due", sa.Date(), nullable=True),
        sa.Column("escalated_due", sa.Date(), nullable=True),
        sa.Column("decision", sa.String(length=24), nullable=True),
        sa.Column("decision_facts", sa.Text(), nullable=True),
        sa.Column("decision_basis", sa.Text(), nullable=True),
        sa.Column("decision_remedy", sa.Text(), nullable=True),
        sa.Column("letter_zh", sa.Text(), nullable=True),
        sa.Column("letter_en", sa.Text(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column(
            "decided_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("notified_at", xieshang.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("notified_on", sa.Date(), nullable=True),
        sa.Column("notice_channel", sa.String(length=16), nullable=True),
        sa.Column("notice_reference", sa.String(length=128), nullable=True),
        sa.Column(
            "notification_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("review_requested_on", sa.Date(), nullable=True),
        sa.Column("review_reason", sa.Text(), nullable=True),
        sa.Column("review_due", sa.Date(), nullable=True),
        sa.Column("review_outcome", sa.String(length=24), nullable=True),
        sa.Column("review_letter_zh", sa.Text(), nullable=True),
        sa.Column("review_letter_en", sa.Text(), nullable=True),
        sa.Column("review_decided_on", sa.Date(), nullable=True),
        sa.Column(
            "review_decided_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "review_notification_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("finished_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["users.id"], name=op.f("fk_complaints_assignee_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_complaints_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_complaints_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["extension_approved_by"],
            ["users.id"],
            name=op.f("fk_complaints_extension_approved_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["loan_id"], ["loans.id"], name=op.f("fk_complaints_loan_id_loans")
        ),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name=op.f("fk_complaints_notification_id_notifications"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_complaints_recorded_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["review_decided_by"], ["users.id"], name=op.f("fk_complaints_review_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["review_notification_id"],
            ["notifications.id"],
            name=op.f("fk_complaints_review_notification_id_notifications"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
        sa.UniqueConstraint("external_ref", name=op.f("uq_complaints_external_ref")),
    )
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaints_assignee_id"), ["assignee_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_complaints_category"), ["category"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_complaints_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_complaints_decision_due"), ["decision_due"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_complaints_loan_id"), ["loan_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_complaints_received_on"), ["received_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_complaints_status"), ["status"], unique=False)

    op.create_table(
        "complaint_attachments",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "complaint_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("filename", sa.String(length=128), nullable=False),
        sa.Column("media_type", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column(
            "uploaded_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("uploaded_at", xieshang.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_complaint_attachments_complaint_id_complaints"),
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by"], ["users.id"], name=op.f("fk_complaint_attachments_uploaded_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_attachments")),
    )
    with op.batch_alter_table("complaint_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_attachments_complaint_id"), ["complaint_id"], unique=False
        )

    op.create_table(
        "complaint_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "complaint_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("at", xieshang.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("actor_role", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("customer_visible", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_complaint_events_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_complaint_events_complaint_id_complaints"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_events")),
    )
    with op.batch_alter_table("complaint_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_events_complaint_id"), ["complaint_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("complaint_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_events_complaint_id"))

    op.drop_table("complaint_events")
    with op.batch_alter_table("complaint_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_attachments_complaint_id"))

    op.drop_table("complaint_attachments")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaints_status"))
        batch_op.drop_index(batch_op.f("ix_complaints_received_on"))
        batch_op.drop_index(batch_op.f("ix_complaints_loan_id"))
        batch_op.drop_index(batch_op.f("ix_complaints_decision_due"))
        batch_op.drop_index(batch_op.f("ix_complaints_customer_id"))
        batch_op.drop_index(batch_op.f("ix_complaints_category"))
        batch_op.drop_index(batch_op.f("ix_complaints_assignee_id"))

    op.drop_table("complaints")
