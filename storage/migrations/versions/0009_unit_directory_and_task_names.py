"""unit directory and the unit names written on tasks

A unit gets its head (from the directory file) and an archive mark (a removed unit that has history); a task
keeps the lead and support names its plan wrote, so that assignments are recomputed when the directory changes.

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-03 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0009"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("head", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch_op.add_column(sa.Column("archived_at", storage.types.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lead_names", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("support_names", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_column("support_names")
        batch_op.drop_column("lead_names")
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.drop_column("archived_at")
        batch_op.drop_column("head")
