"""status report current flag

`statusreport.current` marks the standing (highest) version of each (task, unit, period), so that summaries
read one period's standing reports through ix_report_current instead of probing for a newer version per row
(the index also carries status, task and unit, so "done in an earlier period" is read from it alone).
Existing rows are backfilled here; from now on storage.reports.record_status maintains the flag.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 22:08:37.301795
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("statusreport", schema=None) as batch_op:
        batch_op.add_column(sa.Column("current", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index("ix_report_current", ["period_id", "current", "status", "task_id", "unit_id"],
                              unique=False)

    # Backfill: a row is current when no newer version of its (task, unit, period) exists (portable SQL).
    report = sa.table("statusreport", sa.column("task_id"), sa.column("unit_id"), sa.column("period_id"),
                      sa.column("version"), sa.column("current", sa.Boolean()))
    newer = report.alias("newer")
    op.execute(
        report.update()
        .where(~sa.exists().where(
            newer.c.task_id == report.c.task_id, newer.c.unit_id == report.c.unit_id,
            newer.c.period_id == report.c.period_id, newer.c.version > report.c.version,
        ))
        .values(current=sa.true())
    )


def downgrade() -> None:
    with op.batch_alter_table("statusreport", schema=None) as batch_op:
        batch_op.drop_index("ix_report_current")
        batch_op.drop_column("current")
