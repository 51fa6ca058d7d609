"""The county office on a server: login accounts (server_accounts), the lead departments' domain
notes (domain_notes), and the account that wrote each audit row (audit_accounts).

Privileges, row-level security and triggers of a server database are not part of the schema
revision: `db/server_security.apply` sets them on every table after each upgrade.

Revision ID: 0007_server
Revises: 0006_projects
Create Date: 2026-12-01
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007_server'
down_revision: str | None = '0006_projects'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('server_accounts',
    sa.Column('account', sa.String(length=63), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('display_name', sa.String(length=50), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('disabled_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("kind IN ('office','department','readonly')", name=op.f('ck_server_accounts_kind')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_server_accounts_department_id_departments')),
    sa.PrimaryKeyConstraint('account', name=op.f('pk_server_accounts'))
    )
    op.create_table('domain_notes',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('domain_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['domain_id'], ['domains.id'], name=op.f('fk_domain_notes_domain_id_domains')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_domain_notes')),
    sa.UniqueConstraint('domain_id', 'period', name=op.f('uq_domain_notes_domain_id'))
    )
    op.create_table('audit_accounts',
    sa.Column('audit_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('account', sa.String(length=63), nullable=False),
    sa.ForeignKeyConstraint(['audit_id'], ['audit_log.id'], name=op.f('fk_audit_accounts_audit_id_audit_log')),
    sa.PrimaryKeyConstraint('audit_id', name=op.f('pk_audit_accounts'))
    )


def downgrade() -> None:
    op.drop_table('audit_accounts')
    op.drop_table('domain_notes')
    op.drop_table('server_accounts')
