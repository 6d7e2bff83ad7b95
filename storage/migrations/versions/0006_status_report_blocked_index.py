"""status report blocked index

A partial index over the standing reports that name a blocker (status "blocked" or a blocker text), by period:
the summary reads the previous period's blocked lines ("newly blocked" since then) from it alone, instead of
visiting every standing report of that period.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 23:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# as in storage.models.BLOCKED_STANDING_SQL (a migration keeps its own copy: the model may change later)
BLOCKED_STANDING = sa.text("current AND (status = 'blocked' OR blocker IS NOT NULL)")


def upgrade() -> None:
    op.create_index("ix_report_blocked", "statusreport", ["period_id", "task_id", "unit_id"], unique=False,
                    sqlite_where=BLOCKED_STANDING, postgresql_where=BLOCKED_STANDING)


def downgrade() -> None:
    op.drop_index("ix_report_blocked", table_name="statusreport")
