"""send budget

One row per bot: the next instant (epoch seconds) at which a message of that bot may go, shared by every process
that sends for it (storage.budget), so that two senders on one token stay under the platform's limit together.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 07:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sendbudget",
        sa.Column("bucket", sa.String(length=80), primary_key=True),
        sa.Column("next_at", sa.Float(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sendbudget")
