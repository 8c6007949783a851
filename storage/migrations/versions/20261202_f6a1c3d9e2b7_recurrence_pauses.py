"""recurrence pauses; the list a carried task was last seen on

Revision ID: f6a1c3d9e2b7
Revises: e5a1c0de1a7e
Create Date: 2026-12-02 04:35:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'f6a1c3d9e2b7'
down_revision: str | None = 'e5a1c0de1a7e'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('recurrences', schema=None) as batch_op:
        batch_op.add_column(sa.Column('paused_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('paused_until', sa.Date(), nullable=True))
    with op.batch_alter_table('planned_tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seen_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('planned_tasks', schema=None) as batch_op:
        batch_op.drop_column('seen_on')
    with op.batch_alter_table('recurrences', schema=None) as batch_op:
        batch_op.drop_column('paused_until')
        batch_op.drop_column('paused_from')
