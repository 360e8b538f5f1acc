"""Conditions as items: review_condition holds each condition of a review's approval, which the board answers and
the assurer marks met (or says why not). The text field assurance_review.conditions gives way to it: each
non-empty line of an existing review's conditions becomes one open condition, in order.

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

review = sa.table('assurance_review', sa.column('id', sa.Integer), sa.column('conditions', sa.Text))
condition = sa.table('review_condition', sa.column('review_id', sa.Integer), sa.column('position', sa.Integer),
                     sa.column('text', sa.Text), sa.column('status', sa.String))


def upgrade():
    op.create_table(
        'review_condition',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('review_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=10), server_default='open', nullable=False),
        sa.Column('answer', sa.Text(), server_default='', nullable=False),
        sa.Column('answer_url', sa.String(length=2000), server_default='', nullable=False),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('answered_by_id', sa.Integer(), nullable=True),
        sa.Column('met_on', sa.Date(), nullable=True),
        sa.Column('not_met_reason', sa.Text(), server_default='', nullable=False),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("status IN ('open', 'met')", name=op.f('ck_review_condition_status_valid')),
        sa.CheckConstraint("status = 'open' OR met_on IS NOT NULL", name=op.f('ck_review_condition_met_has_date')),
        sa.ForeignKeyConstraint(['answered_by_id'], ['user.id'], name=op.f('fk_review_condition_answered_by_id_user')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_review_condition_decided_by_id_user')),
        sa.ForeignKeyConstraint(['review_id'], ['assurance_review.id'],
                                name=op.f('fk_review_condition_review_id_assurance_review')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_review_condition')),
        sa.UniqueConstraint('review_id', 'position', name='uq_review_condition_position'),
    )
    op.create_index(op.f('ix_review_condition_review_id'), 'review_condition', ['review_id'], unique=False)
    bind = op.get_bind()
    rows = []
    for review_id, text in bind.execute(sa.select(review.c.id, review.c.conditions).order_by(review.c.id)):
        lines = [line.strip() for line in (text or '').splitlines() if line.strip()]
        rows += [{'review_id': review_id, 'position': n, 'text': line, 'status': 'open'}
                 for n, line in enumerate(lines, start=1)]
    if rows:
        op.bulk_insert(condition, rows)
    op.drop_column('assurance_review', 'conditions')  # ALTER TABLE DROP COLUMN: SQLite 3.35 and later


def downgrade():
    op.add_column('assurance_review', sa.Column('conditions', sa.Text(), server_default='', nullable=False))
    bind = op.get_bind()
    texts = {}
    for review_id, text in bind.execute(sa.select(condition.c.review_id, condition.c.text)
                                        .order_by(condition.c.review_id, condition.c.position)):
        texts.setdefault(review_id, []).append(text)
    for review_id, lines in texts.items():
        bind.execute(review.update().where(review.c.id == review_id).values(conditions='\n'.join(lines)))
    op.drop_index(op.f('ix_review_condition_review_id'), table_name='review_condition')
    op.drop_table('review_condition')
