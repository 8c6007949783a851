"""safety net: a group's responsible admin, how a call for help ended

Revision ID: b2c4a1d0e9f3
Revises: a1c0ffee0001
Create Date: 2026-12-02 04:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'b2c4a1d0e9f3'
down_revision: str | None = 'a1c0ffee0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('responsible_admin_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_groups_responsible_admin_id_persons'),
            'persons',
            ['responsible_admin_id'],
            ['id'],
            ondelete='SET NULL',
        )
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ended_with', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.drop_column('ended_with')
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_groups_responsible_admin_id_persons'), type_='foreignkey'
        )
        batch_op.drop_column('responsible_admin_id')
