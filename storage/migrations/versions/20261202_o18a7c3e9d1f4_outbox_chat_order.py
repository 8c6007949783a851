"""outbox: indexes for each chat's oldest pending row (a chat's messages keep order)
and for people's own words and calls for help, sent before the broadcast

Revision ID: o18a7c3e9d1f4
Revises: s17a0b1c2d3e
Create Date: 2026-12-02 08:45:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = 'o18a7c3e9d1f4'
down_revision: str | None = 's17a0b1c2d3e'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_chat_order', ['chat_id', 'status', 'id'], unique=False)
        batch_op.create_index(
            'ix_outbox_kind_due', ['status', 'kind', 'next_attempt_at'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_kind_due')
        batch_op.drop_index('ix_outbox_chat_order')
