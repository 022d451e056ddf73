"""Initial meldingen schema: meldingen, identities, messages, receipts and the append-only audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from actions.meldingen.models import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

APPEND_ONLY_MSG = "audit_log is append-only"

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MSG}'); END""",
    f"""CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MSG}'); END""",
]

POSTGRES_TRIGGERS = [
    f"""CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '{APPEND_ONLY_MSG}' USING ERRCODE = 'insufficient_privilege'; END $$""",
    """CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""",
    """CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()""",
]


def upgrade() -> None:
    op.create_table(
        "meldingen",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("reference", sa.String(20), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("deadlines", sa.JSON(), nullable=False),
        sa.Column("idempotency_key", sa.String(64), nullable=False),
        sa.Column("sealed_content", sa.LargeBinary(), nullable=False),
        sa.Column("recipient_role", sa.String(64), nullable=False),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_meldingen"),
        sa.UniqueConstraint("reference", name="uq_meldingen_reference"),
        sa.UniqueConstraint("idempotency_key", name="uq_meldingen_idempotency_key"),
        sa.CheckConstraint("status IN ('ontvangen', 'in_behandeling', 'afgesloten')", name="ck_meldingen_status"),
    )
    op.create_index("ix_meldingen_role_status", "meldingen", ["recipient_role", "status"])

    op.create_table(
        "melding_identities",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("melding_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("sealed_identity", sa.LargeBinary(), nullable=False),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_melding_identities"),
        sa.ForeignKeyConstraint(["melding_id"], ["meldingen.id"], ondelete="CASCADE",
                                name="fk_melding_identities_melding_id_meldingen"),
        sa.UniqueConstraint("melding_id", name="uq_melding_identities_melding_id"),
    )

    op.create_table(
        "melding_messages",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("melding_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("direction", sa.String(20), nullable=False),
        sa.Column("sealed_for_handler", sa.LargeBinary(), nullable=False),
        sa.Column("handler_key_id", sa.String(32), nullable=False),
        sa.Column("sealed_for_reporter", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_melding_messages"),
        sa.ForeignKeyConstraint(["melding_id"], ["meldingen.id"], ondelete="CASCADE",
                                name="fk_melding_messages_melding_id_meldingen"),
        sa.CheckConstraint("direction IN ('aan_melder', 'aan_behandelaar')", name="ck_melding_messages_direction"),
    )
    op.create_index("ix_melding_messages_melding_id", "melding_messages", ["melding_id"])

    op.create_table(
        "receipts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("melding_id", sa.Integer(), nullable=False),
        sa.Column("lookup", sa.String(64), nullable=False),
        sa.Column("argon2_hash", sa.String(255), nullable=False),
        sa.Column("kdf_salt", sa.LargeBinary(), nullable=False),
        sa.Column("kdf_params", sa.JSON(), nullable=False),
        sa.Column("reporter_public_key", sa.LargeBinary(), nullable=False),
        sa.Column("reporter_secret_box", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("used", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_receipts"),
        sa.ForeignKeyConstraint(["melding_id"], ["meldingen.id"], ondelete="CASCADE",
                                name="fk_receipts_melding_id_meldingen"),
        sa.UniqueConstraint("melding_id", name="uq_receipts_melding_id"),
        sa.UniqueConstraint("lookup", name="uq_receipts_lookup"),
    )

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("melding_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_melding_id", "audit_log", ["melding_id"])

    dialect = op.get_bind().dialect.name
    for stmt in SQLITE_TRIGGERS if dialect == "sqlite" else POSTGRES_TRIGGERS if dialect == "postgresql" else []:
        op.execute(stmt)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update_delete ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    elif dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    op.drop_index("ix_audit_log_melding_id", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_table("receipts")
    op.drop_index("ix_melding_messages_melding_id", table_name="melding_messages")
    op.drop_table("melding_messages")
    op.drop_table("melding_identities")
    op.drop_index("ix_meldingen_role_status", table_name="meldingen")
    op.drop_table("meldingen")
