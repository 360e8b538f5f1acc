"""Kept forms: what a person typed into a form that arrived after their session ended (or its security token
expired), kept for a day so the form is offered again, filled in, once they have signed in.

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'kept_form',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('path', sa.String(length=500), nullable=False),
        sa.Column('fields', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kept_form')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_kept_form_token_hash')),
    )
    op.create_index(op.f('ix_kept_form_created_at'), 'kept_form', ['created_at'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_kept_form_created_at'), table_name='kept_form')
    op.drop_table('kept_form')
