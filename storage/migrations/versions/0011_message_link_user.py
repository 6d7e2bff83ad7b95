"""message link user

The person a step's message answered in a group chat (NULL: the whole chat). Platforms without reply-to
(Zalo) read a typed answer against the last card sent to that chat and that person.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 07:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("messagelink") as batch:
        batch.add_column(sa.Column("user_id", sa.String(length=64), nullable=True))
    op.create_index("ix_messagelink_chat_created", "messagelink", ["platform", "chat_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_messagelink_chat_created", table_name="messagelink")
    with op.batch_alter_table("messagelink") as batch:
        batch.drop_column("user_id")
