"""invite failures, and one unit per group chat

The invitefailure table records each /start whose code could not be used, per sender, so that five failures
within an hour block that sender for an hour. Group chats that an older version let bind to several units
keep only the unit bound first: the later units' bindings become inactive (their nudges go back to their own
chats), with the reason recorded.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 07:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RETIRE_SECOND_UNITS = sa.text("""
UPDATE chatbinding SET active = false, inactive_reason = :reason
WHERE active AND chat_type <> 'private' AND unit_id <> (
    SELECT earliest.unit_id FROM chatbinding AS earliest
    WHERE earliest.platform = chatbinding.platform AND earliest.chat_id = chatbinding.chat_id AND earliest.active
    ORDER BY earliest.id LIMIT 1)
""")


def upgrade() -> None:
    op.create_table(
        "invitefailure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("chat_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("failed_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("invitefailure", schema=None) as batch_op:
        batch_op.create_index("ix_invitefailure_sender", ["platform", "user_id", "failed_at"], unique=False)
    op.get_bind().execute(RETIRE_SECOND_UNITS, {"reason": "nhóm đã gắn với đơn vị khác trước (migration 0007)"})


def downgrade() -> None:
    with op.batch_alter_table("invitefailure", schema=None) as batch_op:
        batch_op.drop_index("ix_invitefailure_sender")
    op.drop_table("invitefailure")
