"""jobs: the SMS outbox, and the sandbox provider's idempotency key

Revision ID: 0007_jobs
Revises: 0006_ledger
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007_jobs"
down_revision: str | None = "0006_ledger"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outgoing_sms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("smsmessage", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True)
        )
        batch_op.create_unique_constraint(batch_op.f("uq_smsmessage_key"), ["key"])


def downgrade() -> None:
    with op.batch_alter_table("smsmessage", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_smsmessage_key"), type_="unique")
        batch_op.drop_column("key")
    op.drop_table("outgoing_sms")
