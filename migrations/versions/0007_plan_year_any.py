"""A plan's year may be any financial year (2015-16, 2016-17, …), not only 2015-16: the CHECK on plan.year becomes
a check of the form YYYY-YY, the second part the year after the first, from 2015-16 to 2098-99.

SQLite cannot change a CHECK in place, so batch mode copies the table. While it does, foreign keys are not
enforced (dropping the old table would otherwise delete, or refuse to delete, every row that refers to a plan).
The triggers of migration 0003 are gone (0006), so there is none on plan to make again.

Revision ID: 0007
Revises: 0006
"""
from alembic import op

revision = '0007'
down_revision = '0006'
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


def _copying(on: bool) -> None:
    """SQLite: before copying the table, stop enforcing foreign keys and take the renaming of the copy as it comes
    (legacy_alter_table: any trigger naming plan is left as it is while plan is briefly missing); after, the usual
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
    finally:
        if sqlite:
            _copying(False)


def upgrade():
    _replace_year_check(YEAR_CHECK)


def downgrade():
    # Refused (by the copy on SQLite, by the new constraint's check on PostgreSQL) while any plan is of another year.
    _replace_year_check(ONLY_2015_16)
