"""Per-plan, per-provider engagement summaries, filled from the existing participations.

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'engagement_summary',
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('provider_id', sa.Integer(), nullable=False),
        sa.Column('counted', sa.Integer(), nullable=False),
        sa.Column('corroborated', sa.Integer(), nullable=False),
        sa.Column('max_depth', sa.SmallInteger(), nullable=False),
        sa.Column('months', sa.Integer(), nullable=False),
        sa.CheckConstraint('counted > 0 AND corroborated >= 0 AND corroborated <= counted',
                           name=op.f('ck_engagement_summary_counts_valid')),
        sa.CheckConstraint('max_depth BETWEEN 1 AND 5', name=op.f('ck_engagement_summary_depth_range')),
        sa.CheckConstraint('months >= 1', name=op.f('ck_engagement_summary_months_positive')),
        sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_engagement_summary_plan_id_plan'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['provider_id'], ['provider.id'],
                                name=op.f('fk_engagement_summary_provider_id_provider'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('plan_id', 'provider_id', name=op.f('pk_engagement_summary')),
    )
    with op.batch_alter_table('engagement_summary', schema=None) as batch_op:
        batch_op.create_index('ix_engagement_summary_provider', ['provider_id'], unique=False)
    # Fill from what is already recorded (the same statement tracker.evidence.summaries uses).
    op.execute("""
        INSERT INTO engagement_summary (plan_id, provider_id, counted, corroborated, max_depth, months)
        SELECT e.plan_id, p.provider_id, COUNT(*),
               SUM(CASE WHEN p.status = 'confirmed' THEN 1 ELSE 0 END), MAX(e.depth),
               COUNT(DISTINCT CAST(EXTRACT(YEAR FROM e.date) AS INTEGER) * 12 + CAST(EXTRACT(MONTH FROM e.date) AS INTEGER))
        FROM participation p JOIN engagement_event e ON e.id = p.event_id
        WHERE e.withdrawn = false AND p.status != 'disputed'
        GROUP BY e.plan_id, p.provider_id
    """ if op.get_context().dialect.name == 'postgresql' else """
        INSERT INTO engagement_summary (plan_id, provider_id, counted, corroborated, max_depth, months)
        SELECT e.plan_id, p.provider_id, COUNT(*),
               SUM(CASE WHEN p.status = 'confirmed' THEN 1 ELSE 0 END), MAX(e.depth),
               COUNT(DISTINCT strftime('%Y-%m', e.date))
        FROM participation p JOIN engagement_event e ON e.id = p.event_id
        WHERE e.withdrawn = 0 AND p.status != 'disputed'
        GROUP BY e.plan_id, p.provider_id
    """)


def downgrade():
    with op.batch_alter_table('engagement_summary', schema=None) as batch_op:
        batch_op.drop_index('ix_engagement_summary_provider')
    op.drop_table('engagement_summary')
