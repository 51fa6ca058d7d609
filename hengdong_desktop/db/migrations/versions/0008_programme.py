"""Running the programme (issue 16): the 链长制 on chains (链长, 牵头部门, 专班), the 交办日期 of
problems (a problem already naming its department was assigned the day it was raised), who
decided a cultivation-list membership (认定单位或文件, for the 动态调整 report), the
一企一策 ledger (support_measures), the 推进状态 options of a measure, and the numbers the
programme's instruments are judged by (后备 percentage, 办理时限 per 问题类别, escalation days,
比学赶超 weights).

Revision ID: 0008_programme
Revises: 0007_server
Create Date: 2026-12-03
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008_programme'
down_revision: str | None = '0007_server'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MEASURE_STATUSES = ("未启动", "推进中", "已完成", "已中止")
# The shipped defaults (resources/reference.json, domain/ranking.py) at this revision.
PROGRAMME = {"reserve_percent": 20, "deadline_days": 30, "escalate_days": 15,
             "weight_unit_on_time": 15, "weight_unit_projects": 20, "weight_unit_investment": 15,
             "weight_unit_growth": 15, "weight_unit_scale": 15, "weight_unit_problems": 10, "weight_unit_returns": 10,
             "weight_dept_targets": 50, "weight_dept_closed_on_time": 30, "weight_dept_overdue": 20}
DEADLINES = {"融资": 30, "土地": 60, "用工": 20, "技术": 30, "审批": 20, "要素保障": 30, "其他": 30}


def upgrade() -> None:
    # chains are referenced by enterprises and projects: columns are added in place (no copy)
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE chains ADD COLUMN leader_id INTEGER"
                   " CONSTRAINT fk_chains_leader_id_leaders REFERENCES leaders (id)")
        op.execute("ALTER TABLE chains ADD COLUMN department_id INTEGER"
                   " CONSTRAINT fk_chains_department_id_departments REFERENCES departments (id)")
    else:
        op.add_column('chains', sa.Column('leader_id', sa.Integer(), nullable=True))
        op.add_column('chains', sa.Column('department_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_chains_leader_id_leaders'), 'chains', 'leaders', ['leader_id'], ['id'])
        op.create_foreign_key(op.f('fk_chains_department_id_departments'), 'chains', 'departments',
                              ['department_id'], ['id'])
    op.add_column('chains', sa.Column('task_force', sa.String(length=500), nullable=True))
    op.add_column('problems', sa.Column('assigned_on', sa.Date(), nullable=True))
    op.add_column('memberships', sa.Column('decided_by', sa.String(length=100), nullable=True))
    op.execute("UPDATE problems SET assigned_on = raised_on WHERE department IS NOT NULL AND department != ''")

    op.create_table('support_measures',
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('problem_id', sa.String(length=36), nullable=True),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=True),
    sa.Column('person', sa.String(length=50), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('progress', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_reason', sa.Text(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'],
                            name=op.f('fk_support_measures_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['problem_id'], ['problems.id'], name=op.f('fk_support_measures_problem_id_problems')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_support_measures_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_measures'))
    )
    with op.batch_alter_table('support_measures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_measures_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_measures_unit_id'), ['unit_id'], unique=False)

    conn = op.get_bind()
    if conn.execute(sa.text("SELECT count(*) FROM units")).scalar():  # reference data present (not a new file)
        for order, value in enumerate(MEASURE_STATUSES):
            conn.execute(sa.text("INSERT INTO options (kind, value, sort_order, active)"
                                 " VALUES ('measure_status', :v, :o, 1)"), {"v": value, "o": order})
        settings = {f"programme.{k}": str(v) for k, v in PROGRAMME.items()}
        settings |= {f"problem_deadline.{k}": str(v) for k, v in DEADLINES.items()}
        for key, value in settings.items():
            conn.execute(sa.text("INSERT INTO app_meta (key, value) VALUES (:key, :value)"),
                         {"key": key, "value": str(value)})


def downgrade() -> None:
    op.execute("DELETE FROM app_meta WHERE key LIKE 'programme.%' OR key LIKE 'problem_deadline.%'")
    op.execute("DELETE FROM options WHERE kind = 'measure_status'")
    with op.batch_alter_table('support_measures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_measures_unit_id'))
        batch_op.drop_index(batch_op.f('ix_support_measures_enterprise_id'))
    op.drop_table('support_measures')
    op.drop_column('problems', 'assigned_on')
    op.drop_column('memberships', 'decided_by')
    op.drop_column('chains', 'task_force')
    with op.batch_alter_table('chains', schema=None) as batch_op:  # columns with foreign keys: a copy
        batch_op.drop_column('department_id')
        batch_op.drop_column('leader_id')
