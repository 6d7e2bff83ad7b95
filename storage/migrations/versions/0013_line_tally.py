"""line tally

Counters of the lines' states kept at write time (storage.tally): `linetally`, a period's lines of each lead unit
counted in groups by what the summary's rules look at, and `periodtally`, the periods whose counters are
complete with the plan's counter of their lines. The overview's first view reads them instead of grouping every
line of the plan (issue 17: 1.7 s at 100,000 lines). Existing plans are counted here from their rows, with the
same statements the writes use (storage.tally.refresh_plan).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 19:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "linetally",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("recurrence", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("completed", sa.Boolean(), nullable=False),
        sa.Column("done_class", sa.Integer(), nullable=False),
        sa.Column("deadlines", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=True),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("first_line", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["period_id"], ["reporting_period.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_linetally_period_unit", "linetally", ["period_id", "unit_id"], unique=False)
    op.create_index(op.f("ix_linetally_plan_id"), "linetally", ["plan_id"], unique=False)
    op.create_table(
        "periodtally",
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["period_id"], ["reporting_period.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("period_id"),
    )
    op.create_index(op.f("ix_periodtally_plan_id"), "periodtally", ["plan_id"], unique=False)

    from storage.tally import refresh_plan  # the writes' own statements, so that both count alike

    connection = op.get_bind()
    for (plan_id,) in connection.execute(sa.text("SELECT id FROM plan")).all():
        refresh_plan(connection, plan_id=plan_id)


def downgrade() -> None:
    op.drop_index(op.f("ix_periodtally_plan_id"), table_name="periodtally")
    op.drop_table("periodtally")
    op.drop_index(op.f("ix_linetally_plan_id"), table_name="linetally")
    op.drop_index("ix_linetally_period_unit", table_name="linetally")
    op.drop_table("linetally")
