"""operators: accounts, sessions, the append-only audit log, the photo review

Revision ID: 0004_operators
Revises: 0003_offer_text
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004_operators"
down_revision: str | None = "0003_offer_text"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = "the audit log is append-only"
REVIEWER_FK = "fk_passportphoto_reviewed_by_operator"


def _append_only_triggers() -> None:
    """The database itself refuses to change or remove an audit row, whoever asks."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION auditentry_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{APPEND_ONLY}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER auditentry_no_change BEFORE UPDATE OR DELETE ON auditentry "
            "FOR EACH ROW EXECUTE FUNCTION auditentry_append_only()"
        )
        op.execute(
            "CREATE TRIGGER auditentry_no_truncate BEFORE TRUNCATE ON auditentry "
            "FOR EACH STATEMENT EXECUTE FUNCTION auditentry_append_only()"
        )
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER auditentry_no_{event.lower()} BEFORE {event} ON auditentry "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
        )


def upgrade() -> None:
    op.create_table(
        "operator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("password_hash", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("totp_secret", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("totp_last_step", sa.Integer(), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("disabled_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("operator") as batch:
        batch.create_index("ix_operator_login", ["login"], unique=True)

    op.create_table(
        "auditentry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("borrower_id", sa.Integer(), nullable=True),
        sa.Column("before", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("after", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["operator_id"], ["operator.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("auditentry") as batch:
        batch.create_index("ix_auditentry_at", ["at"], unique=False)
        batch.create_index("ix_auditentry_borrower_id", ["borrower_id"], unique=False)
        batch.create_index("ix_auditentry_operator_id", ["operator_id"], unique=False)
    _append_only_triggers()

    op.create_table(
        "operatorsession",
        sa.Column("ticket_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["operator_id"], ["operator.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ticket_hash"),
    )
    with op.batch_alter_table("operatorsession") as batch:
        batch.create_index("ix_operatorsession_operator_id", ["operator_id"], unique=False)
        batch.create_index("ix_operatorsession_token_hash", ["token_hash"], unique=True)

    # Photos uploaded before the console are waiting for an operator like any new one.
    with op.batch_alter_table("passportphoto") as batch:
        batch.add_column(
            sa.Column(
                "review",
                sqlmodel.sql.sqltypes.AutoString(length=10),
                nullable=False,
                server_default="pending",
            )
        )
        batch.add_column(sa.Column("reviewed_by", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("reviewed_at", sa.DateTime(), nullable=True))
        batch.add_column(
            sa.Column(
                "rejection_reason", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True
            )
        )
        batch.create_index("ix_passportphoto_review", ["review"], unique=False)
        batch.create_foreign_key(REVIEWER_FK, "operator", ["reviewed_by"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("passportphoto") as batch:
        batch.drop_constraint(REVIEWER_FK, type_="foreignkey")
        batch.drop_index("ix_passportphoto_review")
        batch.drop_column("rejection_reason")
        batch.drop_column("reviewed_at")
        batch.drop_column("reviewed_by")
        batch.drop_column("review")
    op.drop_table("operatorsession")
    op.drop_table("auditentry")  # its triggers go with it
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION auditentry_append_only()")
    op.drop_table("operator")
