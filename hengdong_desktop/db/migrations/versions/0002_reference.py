"""Dashboard: a covering index for the output-to-date and monthly-trend queries.

Revision ID: 0002_reference
Revises: 0001
Create Date: 2026-11-26
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002_reference'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('enterprise_monthly', schema=None) as batch_op:
        batch_op.create_index('ix_enterprise_monthly_output', ['period', 'enterprise_id', 'output_ytd'], unique=False,
                              sqlite_where=sa.text('deleted_at IS NULL AND output_ytd IS NOT NULL'),
                              postgresql_where=sa.text('deleted_at IS NULL AND output_ytd IS NOT NULL'))


def downgrade() -> None:
    with op.batch_alter_table('enterprise_monthly', schema=None) as batch_op:
        batch_op.drop_index('ix_enterprise_monthly_output')
