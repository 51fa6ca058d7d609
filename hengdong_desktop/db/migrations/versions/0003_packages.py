"""Packages: enrolled unit keys, the package ledger, merge bases, conflicts, duplicate flags,
reviews.

Revision ID: 0003_packages
Revises: 0002_reference
Create Date: 2026-11-26
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003_packages'
down_revision: str | None = '0002_reference'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('conflicts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=30), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('base_value', sa.Text(), nullable=True),
    sa.Column('local_value', sa.Text(), nullable=True),
    sa.Column('incoming_value', sa.Text(), nullable=True),
    sa.Column('package_id', sa.String(length=36), nullable=False),
    sa.Column('detected_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolution', sa.String(length=10), nullable=True),
    sa.Column('resolved_by', sa.String(length=50), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflicts'))
    )
    with op.batch_alter_table('conflicts', schema=None) as batch_op:
        batch_op.create_index('ix_conflicts_record', ['record_id', 'field'], unique=False)

    op.create_table('duplicate_flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('detected_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('decision', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duplicate_flags')),
    sa.UniqueConstraint('credit_code', 'enterprise_id', name=op.f('uq_duplicate_flags_credit_code'))
    )
    with op.batch_alter_table('duplicate_flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duplicate_flags_credit_code'), ['credit_code'], unique=False)

    op.create_table('merge_base',
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('entity', sa.String(length=30), nullable=False),
    sa.Column('data', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('record_id', name=op.f('pk_merge_base'))
    )
    op.create_table('package_ledger',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('direction', sa.String(length=4), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('key_id', sa.String(length=32), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('previous_sha256', sa.String(length=64), nullable=True),
    sa.Column('period', sa.String(length=7), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('processed_at', sa.DateTime(), nullable=False),
    sa.Column('operator', sa.String(length=50), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('audit_upto', sa.Integer(), nullable=True),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.Column('unit_audit', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_package_ledger_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_package_ledger')),
    sa.UniqueConstraint('direction', 'kind', 'unit_id', 'key_id', 'sequence', name='uq_package_ledger_chain')
    )
    with op.batch_alter_table('package_ledger', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_package_ledger_unit_id'), ['unit_id'], unique=False)

    op.create_table('reviews',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('comments', sa.JSON(), nullable=False),
    sa.Column('package_id', sa.String(length=36), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.Column('operator', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_reviews_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews'))
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index('ix_reviews_unit_period', ['unit_id', 'period'], unique=False)

    op.create_table('unit_keys',
    sa.Column('key_id', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('public_key', sa.Text(), nullable=False),
    sa.Column('fingerprint', sa.String(length=40), nullable=False),
    sa.Column('operator', sa.String(length=50), nullable=False),
    sa.Column('enrolled_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_unit_keys_unit_id_units')),
    sa.PrimaryKeyConstraint('key_id', name=op.f('pk_unit_keys'))
    )
    with op.batch_alter_table('unit_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_keys_unit_id'), ['unit_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('unit_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_keys_unit_id'))

    op.drop_table('unit_keys')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_reviews_unit_period')

    op.drop_table('reviews')
    with op.batch_alter_table('package_ledger', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_package_ledger_unit_id'))

    op.drop_table('package_ledger')
    op.drop_table('merge_base')
    with op.batch_alter_table('duplicate_flags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_duplicate_flags_credit_code'))

    op.drop_table('duplicate_flags')
    with op.batch_alter_table('conflicts', schema=None) as batch_op:
        batch_op.drop_index('ix_conflicts_record')

    op.drop_table('conflicts')
