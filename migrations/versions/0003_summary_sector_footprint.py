"""Copies of each summary's provider sector and footprint flag, per-board footprint tallies, and the triggers
that keep both true when a provider's sector, a footprint or a plan's board changes (whoever writes).

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def _footprint_removed(row):
    """The statements that take footprint row `row` (OLD) out of the tallies and the summaries' flags."""
    sector = f"(SELECT sector FROM provider WHERE id = {row}.provider_id)"
    return [
        f"UPDATE footprint_tally SET providers = providers - 1 WHERE hwb_id = {row}.hwb_id AND sector = {sector}",
        f"DELETE FROM footprint_tally WHERE hwb_id = {row}.hwb_id AND providers = 0",
        f"UPDATE engagement_summary SET in_footprint = FALSE WHERE provider_id = {row}.provider_id"
        f" AND plan_id IN (SELECT id FROM plan WHERE hwb_id = {row}.hwb_id)",
    ]


def _footprint_added(row):
    """The statements that count footprint row `row` (NEW) in the tallies and the summaries' flags."""
    return [
        f"INSERT INTO footprint_tally (hwb_id, sector, providers) SELECT {row}.hwb_id, sector, 1 FROM provider"
        f" WHERE id = {row}.provider_id"
        " ON CONFLICT (hwb_id, sector) DO UPDATE SET providers = footprint_tally.providers + 1",
        f"UPDATE engagement_summary SET in_footprint = TRUE WHERE provider_id = {row}.provider_id"
        f" AND plan_id IN (SELECT id FROM plan WHERE hwb_id = {row}.hwb_id)",
    ]


SERVED = "(SELECT hwb_id FROM provider_footprint WHERE provider_id = NEW.id)"
SECTOR_CHANGED = [
    f"UPDATE footprint_tally SET providers = providers - 1 WHERE sector = OLD.sector AND hwb_id IN {SERVED}",
    f"DELETE FROM footprint_tally WHERE sector = OLD.sector AND providers = 0 AND hwb_id IN {SERVED}",
    "INSERT INTO footprint_tally (hwb_id, sector, providers) SELECT hwb_id, NEW.sector, 1 FROM provider_footprint"
    " WHERE provider_id = NEW.id ON CONFLICT (hwb_id, sector) DO UPDATE SET providers = footprint_tally.providers + 1",
    "UPDATE engagement_summary SET sector = NEW.sector WHERE provider_id = NEW.id",
]
BOARD_CHANGED = [
    "UPDATE engagement_summary SET in_footprint = EXISTS (SELECT 1 FROM provider_footprint"
    " WHERE hwb_id = NEW.hwb_id AND provider_id = engagement_summary.provider_id) WHERE plan_id = NEW.id",
]
# A provider's footprint rows go before it does, while its sector can still be read to take them out of the tallies.
PROVIDER_REMOVED = ["DELETE FROM provider_footprint WHERE provider_id = OLD.id"]
# On PostgreSQL a footprint change first locks the board's plans, as summary upkeep does (tracker.evidence
# .summaries.lock_plans), so a summary being recomputed at the same moment cannot miss the change.
LOCK_PLANS = "PERFORM 1 FROM plan WHERE hwb_id = {row}.hwb_id ORDER BY id FOR NO KEY UPDATE"


def _block(statements, indent="    "):
    """Statements as the body of a trigger or function, one per line."""
    return "".join(f"{indent}{statement};\n" for statement in statements)


def _sqlite_triggers():
    """name -> definition after CREATE TRIGGER name."""
    def body(statements):
        return "BEGIN\n" + _block(statements) + "END"
    return {
        "trg_footprint_added": "AFTER INSERT ON provider_footprint " + body(_footprint_added('NEW')),
        "trg_footprint_removed": "AFTER DELETE ON provider_footprint " + body(_footprint_removed('OLD')),
        "trg_footprint_changed": "AFTER UPDATE ON provider_footprint "
                                 + body(_footprint_removed('OLD') + _footprint_added('NEW')),
        "trg_provider_removed": "BEFORE DELETE ON provider " + body(PROVIDER_REMOVED),
        "trg_provider_sector_changed": "AFTER UPDATE OF sector ON provider WHEN OLD.sector <> NEW.sector "
                                       + body(SECTOR_CHANGED),
        "trg_plan_board_changed": "AFTER UPDATE OF hwb_id ON plan WHEN OLD.hwb_id <> NEW.hwb_id "
                                  + body(BOARD_CHANGED),
    }


def _postgresql_triggers():
    """(name, table, when and condition, plpgsql body) of each trigger and its function (both named name)."""
    removed = [LOCK_PLANS.format(row="OLD"), *_footprint_removed("OLD")]
    added = [LOCK_PLANS.format(row="NEW"), *_footprint_added("NEW")]
    footprint = (f"IF TG_OP <> 'INSERT' THEN\n{_block(removed, ' ' * 8)}    END IF;\n"
                 f"    IF TG_OP <> 'DELETE' THEN\n{_block(added, ' ' * 8)}    END IF;\n    RETURN NULL")
    return [
        ("tracker_footprint_changed", "provider_footprint", "AFTER INSERT OR UPDATE OR DELETE", footprint),
        ("tracker_provider_removed", "provider", "BEFORE DELETE", _block(PROVIDER_REMOVED).strip() + "\n    RETURN OLD"),
        ("tracker_provider_sector_changed", "provider", "AFTER UPDATE OF sector",
         _block(SECTOR_CHANGED).strip() + "\n    RETURN NULL", "OLD.sector IS DISTINCT FROM NEW.sector"),
        ("tracker_plan_board_changed", "plan", "AFTER UPDATE OF hwb_id",
         _block(BOARD_CHANGED).strip() + "\n    RETURN NULL", "OLD.hwb_id IS DISTINCT FROM NEW.hwb_id"),
    ]


def upgrade():
    with op.batch_alter_table('engagement_summary', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sector', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('in_footprint', sa.Boolean(), nullable=True))
    op.execute("UPDATE engagement_summary SET sector = (SELECT sector FROM provider WHERE id = provider_id),"
               " in_footprint = EXISTS (SELECT 1 FROM provider_footprint pf JOIN plan ON plan.hwb_id = pf.hwb_id"
               " WHERE plan.id = engagement_summary.plan_id AND pf.provider_id = engagement_summary.provider_id)")
    with op.batch_alter_table('engagement_summary', schema=None) as batch_op:
        batch_op.alter_column('sector', existing_type=sa.String(length=30), nullable=False)
        batch_op.alter_column('in_footprint', existing_type=sa.Boolean(), nullable=False)
        batch_op.create_index('ix_engagement_summary_figures', ['plan_id', 'in_footprint', 'sector', 'max_depth',
                                                                'months', 'counted', 'corroborated'], unique=False)
    op.create_table(
        'footprint_tally',
        sa.Column('hwb_id', sa.Integer(), nullable=False),
        sa.Column('sector', sa.String(length=30), nullable=False),
        sa.Column('providers', sa.Integer(), nullable=False),
        sa.CheckConstraint('providers >= 0', name=op.f('ck_footprint_tally_providers_not_negative')),
        sa.ForeignKeyConstraint(['hwb_id'], ['hwb.id'], name=op.f('fk_footprint_tally_hwb_id_hwb'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('hwb_id', 'sector', name=op.f('pk_footprint_tally')),
    )
    op.execute("INSERT INTO footprint_tally (hwb_id, sector, providers) SELECT pf.hwb_id, provider.sector, COUNT(*)"
               " FROM provider_footprint pf JOIN provider ON provider.id = pf.provider_id"
               " GROUP BY pf.hwb_id, provider.sector")
    create_triggers()


def create_triggers():
    """The triggers (and on PostgreSQL their functions); migration 0006 drops them and recreates them on downgrade."""
    if op.get_context().dialect.name == 'postgresql':
        for name, table, when, body, *condition in _postgresql_triggers():
            op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body$\nBEGIN\n    {body};\nEND\n$body$")
            only = f" WHEN ({condition[0]})" if condition else ""
            op.execute(f"CREATE TRIGGER {name} {when} ON {table} FOR EACH ROW{only} EXECUTE FUNCTION {name}()")
    else:
        for name, definition in _sqlite_triggers().items():
            op.execute(f"CREATE TRIGGER {name} {definition}")


def drop_triggers():
    """Drop what create_triggers made (if it is there)."""
    if op.get_context().dialect.name == 'postgresql':
        for name, table, *_ in _postgresql_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    else:
        for name in _sqlite_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")


def downgrade():
    drop_triggers()
    op.drop_table('footprint_tally')
    with op.batch_alter_table('engagement_summary', schema=None) as batch_op:
        batch_op.drop_index('ix_engagement_summary_figures')
        batch_op.drop_column('in_footprint')
        batch_op.drop_column('sector')
