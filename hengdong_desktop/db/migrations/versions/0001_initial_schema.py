"""Initial schema: reference data, exchanged records, audit log.

Money columns are BIGINT counts of 1/10000 万元; timestamps are naive UTC.

Revision ID: 0001
Revises: 
Create Date: 2026-11-26
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('app_meta',
    sa.Column('key', sa.String(length=50), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_app_meta'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('operator', sa.String(length=50), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('entity', sa.String(length=30), nullable=False),
    sa.Column('entity_id', sa.String(length=36), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=True),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('package_id', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_entity', ['entity', 'entity_id'], unique=False)

    op.create_table('chains',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chains')),
    sa.UniqueConstraint('name', name=op.f('uq_chains_name'))
    )
    op.create_table('departments',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_departments')),
    sa.UniqueConstraint('name', name=op.f('uq_departments_name'))
    )
    op.create_table('domains',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_domains')),
    sa.UniqueConstraint('name', name=op.f('uq_domains_name'))
    )
    op.create_table('options',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('value', sa.String(length=50), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_options')),
    sa.UniqueConstraint('kind', 'value', name=op.f('uq_options_kind'))
    )
    op.create_table('units',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('short_name', sa.String(length=20), nullable=True),
    sa.Column('provisional_code', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units')),
    sa.UniqueConstraint('code', name=op.f('uq_units_code')),
    sa.UniqueConstraint('name', name=op.f('uq_units_name'))
    )
    op.create_table('domain_departments',
    sa.Column('domain_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_domain_departments_department_id_departments')),
    sa.ForeignKeyConstraint(['domain_id'], ['domains.id'], name=op.f('fk_domain_departments_domain_id_domains')),
    sa.PrimaryKeyConstraint('domain_id', 'department_id', name=op.f('pk_domain_departments'))
    )
    op.create_table('explanations',
    sa.Column('entity', sa.String(length=30), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('rule_id', sa.String(length=20), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_reason', sa.Text(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_explanations_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_explanations')),
    sa.UniqueConstraint('record_id', 'rule_id', name=op.f('uq_explanations_record_id'))
    )
    with op.batch_alter_table('explanations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_explanations_unit_id'), ['unit_id'], unique=False)

    op.create_table('industries',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('domain_id', sa.Integer(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['domain_id'], ['domains.id'], name=op.f('fk_industries_domain_id_domains')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_industries')),
    sa.UniqueConstraint('name', name=op.f('uq_industries_name'))
    )
    op.create_table('enterprises',
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('legal_rep', sa.String(length=50), nullable=True),
    sa.Column('contact_person', sa.String(length=50), nullable=True),
    sa.Column('contact_phone', sa.String(length=40), nullable=True),
    sa.Column('founded_on', sa.Date(), nullable=True),
    sa.Column('domain_id', sa.Integer(), nullable=False),
    sa.Column('industry_id', sa.Integer(), nullable=True),
    sa.Column('chain_id', sa.Integer(), nullable=True),
    sa.Column('si_shang_category', sa.String(length=30), nullable=True),
    sa.Column('cultivation_tier', sa.String(length=10), nullable=True),
    sa.Column('main_products', sa.String(length=200), nullable=True),
    sa.Column('last_year_output', sa.BigInteger(), nullable=True),
    sa.Column('last_year_revenue', sa.BigInteger(), nullable=True),
    sa.Column('last_year_tax', sa.BigInteger(), nullable=True),
    sa.Column('employees', sa.Integer(), nullable=True),
    sa.Column('need_categories', sa.JSON(), nullable=False),
    sa.Column('needs_text', sa.Text(), nullable=True),
    sa.Column('support_measures', sa.Text(), nullable=True),
    sa.Column('contact_leader', sa.String(length=50), nullable=True),
    sa.Column('responsible_department', sa.String(length=100), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_reason', sa.Text(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['chain_id'], ['chains.id'], name=op.f('fk_enterprises_chain_id_chains')),
    sa.ForeignKeyConstraint(['domain_id'], ['domains.id'], name=op.f('fk_enterprises_domain_id_domains')),
    sa.ForeignKeyConstraint(['industry_id'], ['industries.id'], name=op.f('fk_enterprises_industry_id_industries')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_enterprises_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enterprises'))
    )
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprises_credit_code'), ['credit_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprises_industry_id'), ['industry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprises_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index('ix_enterprises_unit_name', ['unit_id', 'name'], unique=False)

    op.create_table('targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('metric', sa.String(length=40), nullable=False),
    sa.Column('domain_id', sa.Integer(), nullable=True),
    sa.Column('industry_id', sa.Integer(), nullable=True),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("(metric = 'industry_output') = (industry_id IS NOT NULL)", name=op.f('ck_targets_scope')),
    sa.CheckConstraint("metric IN ('hundred_billion_industries','billion_enterprises','hundred_million_projects','industry_output')", name=op.f('ck_targets_metric')),
    sa.ForeignKeyConstraint(['domain_id'], ['domains.id'], name=op.f('fk_targets_domain_id_domains')),
    sa.ForeignKeyConstraint(['industry_id'], ['industries.id'], name=op.f('fk_targets_industry_id_industries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_targets')),
    sa.UniqueConstraint('year', 'metric', 'domain_id', 'industry_id', name='uq_targets_scope')
    )
    op.create_table('enterprise_monthly',
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('output_month', sa.BigInteger(), nullable=True),
    sa.Column('output_ytd', sa.BigInteger(), nullable=True),
    sa.Column('revenue_month', sa.BigInteger(), nullable=True),
    sa.Column('revenue_ytd', sa.BigInteger(), nullable=True),
    sa.Column('tax_ytd', sa.BigInteger(), nullable=True),
    sa.Column('employees_end', sa.Integer(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_reason', sa.Text(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_enterprise_monthly_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_enterprise_monthly_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enterprise_monthly')),
    sa.UniqueConstraint('enterprise_id', 'period', name=op.f('uq_enterprise_monthly_enterprise_id'))
    )
    with op.batch_alter_table('enterprise_monthly', schema=None) as batch_op:
        batch_op.create_index('ix_enterprise_monthly_period', ['period'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_monthly_unit_id'), ['unit_id'], unique=False)

    op.create_table('memberships',
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('list_name', sa.String(length=30), nullable=False),
    sa.Column('level', sa.String(length=30), nullable=True),
    sa.Column('date_in', sa.Date(), nullable=False),
    sa.Column('reason_in', sa.String(length=500), nullable=True),
    sa.Column('date_out', sa.Date(), nullable=True),
    sa.Column('reason_out', sa.String(length=500), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_reason', sa.Text(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_memberships_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_memberships_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memberships'))
    )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memberships_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_memberships_unit_id'), ['unit_id'], unique=False)

    op.create_table('projects',
    sa.Column('project_code', sa.String(length=40), nullable=True),
    sa.Column('name', sa.String(length=150), nullable=False),
    sa.Column('domain_id', sa.Integer(), nullable=False),
    sa.Column('industry_id', sa.Integer(), nullable=True),
    sa.Column('builder_enterprise_id', sa.String(length=36), nullable=True),
    sa.Column('project_type', sa.String(length=10), nullable=True),
    sa.Column('source', sa.String(length=10), nullable=True),
    sa.Column('total_investment', sa.BigInteger(), nullable=False),
    sa.Column('year_plan_investment', sa.BigInteger(), nullable=True),
    sa.Column('planned_start', sa.String(length=7), nullable=True),
    sa.Column('planned_finish', sa.String(length=7), nullable=True),
    sa.Column('content', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('contact_leader', sa.String(length=50), nullable=True),
    sa.Column('responsible_department', sa.String(length=100), nullable=True),
    sa.Column('build_first', sa.Boolean(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_reason', sa.Text(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['builder_enterprise_id'], ['enterprises.id'], name=op.f('fk_projects_builder_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['domain_id'], ['domains.id'], name=op.f('fk_projects_domain_id_domains')),
    sa.ForeignKeyConstraint(['industry_id'], ['industries.id'], name=op.f('fk_projects_industry_id_industries')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_projects_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects'))
    )
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_projects_project_code'), ['project_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_projects_unit_id'), ['unit_id'], unique=False)

    op.create_table('problems',
    sa.Column('enterprise_id', sa.String(length=36), nullable=True),
    sa.Column('project_id', sa.String(length=36), nullable=True),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('raised_on', sa.Date(), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.Column('solved_on', sa.Date(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_reason', sa.Text(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('(enterprise_id IS NULL) != (project_id IS NULL)', name=op.f('ck_problems_one_target')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_problems_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_problems_project_id_projects')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_problems_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_problems'))
    )
    with op.batch_alter_table('problems', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_problems_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_problems_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_problems_unit_id'), ['unit_id'], unique=False)

    op.create_table('project_monthly',
    sa.Column('project_id', sa.String(length=36), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('invest_month', sa.BigInteger(), nullable=True),
    sa.Column('invest_cumulative', sa.BigInteger(), nullable=True),
    sa.Column('invest_ytd', sa.BigInteger(), nullable=True),
    sa.Column('progress', sa.Text(), nullable=True),
    sa.Column('issues', sa.Text(), nullable=True),
    sa.Column('coordination', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_reason', sa.Text(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_monthly_project_id_projects')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_project_monthly_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_monthly')),
    sa.UniqueConstraint('project_id', 'period', name=op.f('uq_project_monthly_project_id'))
    )
    with op.batch_alter_table('project_monthly', schema=None) as batch_op:
        batch_op.create_index('ix_project_monthly_period', ['period'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_monthly_unit_id'), ['unit_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('project_monthly', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_monthly_unit_id'))
        batch_op.drop_index('ix_project_monthly_period')

    op.drop_table('project_monthly')
    with op.batch_alter_table('problems', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_problems_unit_id'))
        batch_op.drop_index(batch_op.f('ix_problems_project_id'))
        batch_op.drop_index(batch_op.f('ix_problems_enterprise_id'))

    op.drop_table('problems')
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_projects_unit_id'))
        batch_op.drop_index(batch_op.f('ix_projects_project_code'))

    op.drop_table('projects')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memberships_unit_id'))
        batch_op.drop_index(batch_op.f('ix_memberships_enterprise_id'))

    op.drop_table('memberships')
    with op.batch_alter_table('enterprise_monthly', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprise_monthly_unit_id'))
        batch_op.drop_index('ix_enterprise_monthly_period')

    op.drop_table('enterprise_monthly')
    op.drop_table('targets')
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.drop_index('ix_enterprises_unit_name')
        batch_op.drop_index(batch_op.f('ix_enterprises_unit_id'))
        batch_op.drop_index(batch_op.f('ix_enterprises_industry_id'))
        batch_op.drop_index(batch_op.f('ix_enterprises_credit_code'))

    op.drop_table('enterprises')
    op.drop_table('industries')
    with op.batch_alter_table('explanations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_explanations_unit_id'))

    op.drop_table('explanations')
    op.drop_table('domain_departments')
    op.drop_table('units')
    op.drop_table('options')
    op.drop_table('domains')
    op.drop_table('departments')
    op.drop_table('chains')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_entity')

    op.drop_table('audit_log')
    op.drop_table('app_meta')
