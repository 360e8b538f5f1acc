"""Organisations and imports in the browser: provider.closed_on (the day a provider ceased; its records and its
footprint stay, so no evidence figure changes), and import_job (an uploaded CSV file kept in the database with its
kind, status, progress, counts and first 1,000 errors, processed in the background by the `flask import` runner).

Revision ID: 0018
Revises: 0017
"""
import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('provider', sa.Column('closed_on', sa.Date(), nullable=True))  # a plain ADD COLUMN on both
    op.create_table(
        'import_job',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('overwrite', sa.Boolean(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('rows_total', sa.Integer(), nullable=False),
        sa.Column('rows_done', sa.Integer(), nullable=False),
        sa.Column('counts', sa.JSON(), nullable=True),
        sa.Column('errors', sa.JSON(), nullable=True),
        sa.Column('error_count', sa.Integer(), nullable=False),
        sa.Column('report', sa.JSON(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('queued', 'previewing', 'previewed', 'importing', 'done', 'failed')",
                           name=op.f('ck_import_job_status_valid')),
        sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_import_job_created_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_import_job')),
    )
    op.create_index(op.f('ix_import_job_status'), 'import_job', ['status'], unique=False)
    op.create_index(op.f('ix_import_job_created_by_id'), 'import_job', ['created_by_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_import_job_created_by_id'), table_name='import_job')
    op.drop_index(op.f('ix_import_job_status'), table_name='import_job')
    op.drop_table('import_job')
    op.drop_column('provider', 'closed_on')
