"""continuity: when a list was approved and a task added; broadcast copies marked

Rows from before this migration get the best moment the database has: a plan's own
``created_at`` for its approval and for the tasks added to it, and a staff message
copied from one source message to more than one co-worker is marked a broadcast.

Revision ID: h8c0a1e2b3d4
Revises: d4f1c0a7e9b2
Create Date: 2026-12-02 05:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.base

revision: str = 'h8c0a1e2b3d4'
down_revision: str | None = 'd4f1c0a7e9b2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('day_plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approved_at', storage.base.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('planned_tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('added_at', storage.base.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('broadcast', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.execute(
        "UPDATE day_plans SET approved_at = created_at WHERE approved_by_id IS NOT NULL"
    )
    op.execute(
        "UPDATE planned_tasks SET added_at = (SELECT p.created_at FROM day_plans p"
        " WHERE p.id = planned_tasks.day_plan_id) WHERE added_by_id IS NOT NULL"
    )
    op.execute(
        "UPDATE messages SET broadcast = true WHERE direction = 'to_coworker' AND EXISTS ("
        "SELECT 1 FROM messages other WHERE other.direction = 'to_coworker'"
        " AND other.source_chat_id = messages.source_chat_id"
        " AND other.source_message_id = messages.source_message_id"
        " AND other.coworker_id <> messages.coworker_id)"
    )


def downgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_column('broadcast')
    with op.batch_alter_table('planned_tasks', schema=None) as batch_op:
        batch_op.drop_column('added_at')
    with op.batch_alter_table('day_plans', schema=None) as batch_op:
        batch_op.drop_column('approved_at')
