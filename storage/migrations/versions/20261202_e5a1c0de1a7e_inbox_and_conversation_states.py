"""inbox of updates and conversation states (replace processed_updates)

Revision ID: e5a1c0de1a7e
Revises: b2c4a1d0e9f3
Create Date: 2026-12-02 04:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.base


revision: str = 'e5a1c0de1a7e'
down_revision: str | None = 'b2c4a1d0e9f3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('inbox_updates',
    sa.Column('update_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('lane', sa.BigInteger(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('received_at', storage.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('lease_token', sa.String(length=64), nullable=True),
    sa.Column('lease_until', storage.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('processed_at', storage.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.PrimaryKeyConstraint('update_id', name=op.f('pk_inbox_updates'))
    )
    with op.batch_alter_table('inbox_updates', schema=None) as batch_op:
        batch_op.create_index('ix_inbox_updates_open', ['processed_at', 'lane'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbox_updates_received_at'), ['received_at'], unique=False)

    op.create_table('conversation_states',
    sa.Column('chat_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('user_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('state', sa.LargeBinary(), nullable=False),
    sa.Column('updated_at', storage.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('chat_id', 'user_id', name=op.f('pk_conversation_states'))
    )
    with op.batch_alter_table('conversation_states', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_states_updated_at'), ['updated_at'], unique=False)

    # The inbox keeps what processed_updates kept (which update was taken), and more.
    with op.batch_alter_table('processed_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_processed_updates_received_at'))
    op.drop_table('processed_updates')


def downgrade() -> None:
    op.create_table('processed_updates',
    sa.Column('update_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('received_at', storage.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('update_id', name=op.f('pk_processed_updates'))
    )
    with op.batch_alter_table('processed_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_processed_updates_received_at'), ['received_at'], unique=False)

    with op.batch_alter_table('conversation_states', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_states_updated_at'))
    op.drop_table('conversation_states')
    with op.batch_alter_table('inbox_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbox_updates_received_at'))
        batch_op.drop_index('ix_inbox_updates_open')
    op.drop_table('inbox_updates')
