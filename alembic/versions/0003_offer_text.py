"""offer text: the decision's words on an amount smaller than asked

Revision ID: 0003_offer_text
Revises: 0002_lending
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003_offer_text"
down_revision: str | None = "0002_lending"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("loanapplication") as batch:
        batch.add_column(
            sa.Column("offer_text", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("loanapplication") as batch:
        batch.drop_column("offer_text")
