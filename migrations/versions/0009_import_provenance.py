"""Import provenance: engagement_event.changed_in_tracker_at, when people last recorded, changed or withdrew the
event in the tracker (None when an import wrote it last). A re-import keeps such an event as the tracker has it,
and reports it, unless `flask import --overwrite`. The other records need no new column: a participation's answer
given in the tracker has status_changed_by_id, a concern's steps name their side ('import' or a person's), and an
impact assessment saved in the tracker has created_by_id.

Existing events recorded through the tracker (created_by_id set), and those the audit trail shows were changed or
withdrawn in it, are marked with their last update, so an import after the upgrade keeps them too (the trail cannot
tell whether an earlier import overwrote such a change since: keeping and reporting it is the safe side).

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN on both databases: a batch copy of engagement_event on SQLite would drop the table its
    # participations and topics cascade from.
    op.add_column('engagement_event', sa.Column('changed_in_tracker_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE engagement_event SET changed_in_tracker_at = updated_at WHERE created_by_id IS NOT NULL"
               " OR ref IN (SELECT entity_id FROM audit_entry WHERE entity_type = 'engagement_event'"
               " AND action IN ('event_changed', 'event_withdrawn'))")


def downgrade():
    op.drop_column('engagement_event', 'changed_in_tracker_at')  # ALTER TABLE DROP COLUMN: SQLite 3.35 and later
