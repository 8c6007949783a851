"""leader terms and outbox claims

Revision ID: d4f1c0a7e9b2
Revises: f6a1c3d9e2b7
Create Date: 2026-12-02 04:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.base


revision: str = 'd4f1c0a7e9b2'
down_revision: str | None = 'f6a1c3d9e2b7'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('leader_terms',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('term', sa.BigInteger(), nullable=False),
    sa.Column('holder', sa.String(length=200), nullable=False),
    sa.Column('heartbeat_at', storage.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leader_terms'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_term', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('claimed_term')
    op.drop_table('leader_terms')
