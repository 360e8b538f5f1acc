"""A plan's year may be any financial year (2015-16, 2016-17, …), not only 2015-16: the CHECK on plan.year becomes
a check of the form YYYY-YY, the second part the year after the first, from 2015-16 to 2098-99.

SQLite cannot change a CHECK in place, so batch mode copies the table. While it does, foreign keys are not
enforced (dropping the old table would otherwise delete, or refuse to delete, every row that refers to a plan), and
afterwards the trigger on plan (migration 0003), dropped with the old table, is made again.

Revision ID: 0007
Revises: 0005 (another branch adds 0006; the two are chained at merge)
"""
from alembic import op

revision = '0007'
down_revision = '0005'
branch_labels = None
depends_on = None

DIGITS = "('0', '1', '2', '3', '4', '5', '6', '7', '8', '9')"
# The same text as tracker.models.plans.YEAR_CHECK (migrations import no app code).
YEAR_CHECK = " AND ".join([
    "length(year) = 7", "substr(year, 5, 1) = '-'",
    *(f"substr(year, {i}, 1) IN {DIGITS}" for i in (1, 2, 3, 4, 6, 7)),
    "CAST(substr(year, 1, 4) AS INTEGER) BETWEEN 2015 AND 2098",
    "CAST(substr(year, 6, 2) AS INTEGER) = (CAST(substr(year, 1, 4) AS INTEGER) + 1) % 100",
])
ONLY_2015_16 = "year IN ('2015-16')"
# Migration 0003's SQLite trigger on plan, made again after the table is copied.
PLAN_BOARD_CHANGED = (
    "CREATE TRIGGER trg_plan_board_changed AFTER UPDATE OF hwb_id ON plan WHEN OLD.hwb_id <> NEW.hwb_id BEGIN\n"
    "    UPDATE engagement_summary SET in_footprint = EXISTS (SELECT 1 FROM provider_footprint"
    " WHERE hwb_id = NEW.hwb_id AND provider_id = engagement_summary.provider_id) WHERE plan_id = NEW.id;\n"
    "END")


def _copying(on: bool) -> None:
    """SQLite: before copying the table, stop enforcing foreign keys and take the renaming of the copy as it comes
    (legacy_alter_table: the triggers of migration 0003 name plan, which is briefly missing); after, the usual
    settings. foreign_keys is ignored inside a transaction, so the work so far is committed first (the driver's
    commit does nothing when no transaction is open)."""
    op.get_bind().connection.dbapi_connection.commit()
    op.execute(f"PRAGMA foreign_keys = {'OFF' if on else 'ON'}")
    op.execute(f"PRAGMA legacy_alter_table = {'ON' if on else 'OFF'}")


def _replace_year_check(check: str) -> None:
    sqlite = op.get_context().dialect.name == 'sqlite'
    if sqlite:
        _copying(True)
    try:
        with op.batch_alter_table('plan', schema=None) as batch_op:
            batch_op.drop_constraint(op.f('ck_plan_year_valid'), type_='check')
            batch_op.create_check_constraint(op.f('ck_plan_year_valid'), check)
        if sqlite:
            op.execute("DROP TRIGGER IF EXISTS trg_plan_board_changed")
            op.execute(PLAN_BOARD_CHANGED)
    finally:
        if sqlite:
            _copying(False)


def upgrade():
    _replace_year_check(YEAR_CHECK)


def downgrade():
    # Refused (by the copy on SQLite, by the new constraint's check on PostgreSQL) while any plan is of another year.
    _replace_year_check(ONLY_2015_16)
