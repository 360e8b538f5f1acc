"""The working days to acknowledge and to answer a concern become settings an admin changes in the browser:
two columns of the settings record (criteria_settings), NULL meaning the configured defaults
(CONCERN_ACKNOWLEDGE_WORKING_DAYS, CONCERN_RESPONSE_WORKING_DAYS), so nothing changes until an admin saves them.

Revision ID: 0014
Revises: 0013
"""
import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('criteria_settings') as batch:
        batch.add_column(sa.Column('acknowledge_working_days', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('respond_working_days', sa.Integer(), nullable=True))
        batch.create_check_constraint(op.f('ck_criteria_settings_acknowledge_days_positive'),
                                      'acknowledge_working_days IS NULL OR acknowledge_working_days >= 1')
        batch.create_check_constraint(op.f('ck_criteria_settings_respond_days_positive'),
                                      'respond_working_days IS NULL OR respond_working_days >= 1')


def downgrade():
    with op.batch_alter_table('criteria_settings') as batch:
        batch.drop_constraint(op.f('ck_criteria_settings_respond_days_positive'), type_='check')
        batch.drop_constraint(op.f('ck_criteria_settings_acknowledge_days_positive'), type_='check')
        batch.drop_column('respond_working_days')
        batch.drop_column('acknowledge_working_days')
