"""a step's own picture; a co-worker's stamina per weekday

Revision ID: s17a0b1c2d3e
Revises: h8c0a1e2b3d4
Create Date: 2026-12-02 08:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "s17a0b1c2d3e"
down_revision: str | None = "h8c0a1e2b3d4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("template_steps", schema=None) as batch_op:
        batch_op.add_column(sa.Column("photo_file_id", sa.String(length=255), nullable=True))
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.add_column(sa.Column("weekday_capacity", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_column("weekday_capacity")
    with op.batch_alter_table("template_steps", schema=None) as batch_op:
        batch_op.drop_column("photo_file_id")
