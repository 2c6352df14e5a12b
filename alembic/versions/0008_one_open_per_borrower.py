"""one open application and one open loan per borrower, kept by the database (partial unique
indexes): two workers applying at once can both pass the check in the code

Revision ID: 0008_one_open_per_borrower
Revises: 0007_jobs
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_one_open_per_borrower"
down_revision: str | None = "0007_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCORING = sa.text("status = 'scoring'")
OPEN_LOAN = sa.text("status IN ('awaiting_signature', 'active')")


def upgrade() -> None:
    op.create_index(
        "one_scoring_application_per_borrower",
        "loanapplication",
        ["borrower_id"],
        unique=True,
        postgresql_where=SCORING,
        sqlite_where=SCORING,
    )
    op.create_index(
        "one_open_loan_per_borrower",
        "loan",
        ["borrower_id"],
        unique=True,
        postgresql_where=OPEN_LOAN,
        sqlite_where=OPEN_LOAN,
    )


def downgrade() -> None:
    op.drop_index("one_open_loan_per_borrower", table_name="loan")
    op.drop_index("one_scoring_application_per_borrower", table_name="loanapplication")
