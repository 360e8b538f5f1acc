"""One mechanism keeps the summaries true: the triggers of 0003 go (tracker/domain/summary_upkeep.py now keeps the
sector and footprint copies and the footprint tallies, in the writer's transaction), and the copies and tallies
are set again from the records so the upgrade leaves them true whatever came before. Downgrade recreates the
triggers from 0003's own definitions.

Revision ID: 0006
Revises: 0005
"""
import importlib.util
from pathlib import Path

from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def _triggers():
    """Migration 0003's module (its file name is not a module name, so it is loaded from its path)."""
    path = Path(__file__).with_name('0003_summary_sector_footprint.py')
    spec = importlib.util.spec_from_file_location('tracker_migration_0003', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade():
    _triggers().drop_triggers()
    op.execute("DELETE FROM footprint_tally")
    op.execute("INSERT INTO footprint_tally (hwb_id, sector, providers) SELECT pf.hwb_id, provider.sector, COUNT(*)"
               " FROM provider_footprint pf JOIN provider ON provider.id = pf.provider_id"
               " GROUP BY pf.hwb_id, provider.sector")
    op.execute("UPDATE engagement_summary SET sector = (SELECT sector FROM provider WHERE id = provider_id),"
               " in_footprint = EXISTS (SELECT 1 FROM provider_footprint pf JOIN plan ON plan.hwb_id = pf.hwb_id"
               " WHERE plan.id = engagement_summary.plan_id AND pf.provider_id = engagement_summary.provider_id)")


def downgrade():
    _triggers().create_triggers()
