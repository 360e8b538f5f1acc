"""People's own accounts: each signed-in browser is a user_session row (so a person sees their sessions and ends
the others), and API tokens expire (api_token.expires_at). Tokens made before this upgrade are given 90 days from
the upgrade, so none stops working at once.

Revision ID: 0017
Revises: 0014
"""
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'user_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('sid_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('user_agent', sa.String(length=200), server_default='', nullable=False),
        sa.Column('address', sa.String(length=64), server_default='', nullable=False),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_session_user_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_user_session')),
        sa.UniqueConstraint('sid_hash', name=op.f('uq_user_session_sid_hash')),
    )
    op.create_index(op.f('ix_user_session_user_id'), 'user_session', ['user_id'], unique=False)
    op.add_column('api_token', sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
    expires = datetime.now(timezone.utc) + timedelta(days=90)
    token = sa.table('api_token', sa.column('expires_at', sa.DateTime(timezone=True)),
                     sa.column('revoked_at', sa.DateTime(timezone=True)))
    op.execute(token.update().where(token.c.revoked_at.is_(None)).values(expires_at=expires))


def downgrade():
    op.drop_column('api_token', 'expires_at')
    op.drop_index(op.f('ix_user_session_user_id'), table_name='user_session')
    op.drop_table('user_session')
