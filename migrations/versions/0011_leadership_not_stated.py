"""Leadership "not stated": participation.leadership becomes nullable, with no default, so an event names a provider
without saying whether its leadership took part until someone states it. Existing rows keep their value.

SQLite cannot drop NOT NULL in place, so batch mode copies the table; while it does, foreign keys are not enforced
(dropping the old table would otherwise delete every participation_status_change row, which cascades from it).

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def _copying(on: bool) -> None:
    """SQLite: stop enforcing foreign keys while the table is copied (as migration 0007 does for plan)."""
    op.get_bind().connection.dbapi_connection.commit()
    op.execute(f"PRAGMA foreign_keys = {'OFF' if on else 'ON'}")
    op.execute(f"PRAGMA legacy_alter_table = {'ON' if on else 'OFF'}")


def _alter(nullable: bool, server_default) -> None:
    sqlite = op.get_context().dialect.name == 'sqlite'
    if sqlite:
        _copying(True)
    try:
        with op.batch_alter_table('participation', schema=None) as batch_op:
            batch_op.alter_column('leadership', existing_type=sa.Boolean(), nullable=nullable,
                                  server_default=server_default)
    finally:
        if sqlite:
            _copying(False)


def upgrade():
    _alter(True, None)


def downgrade():
    # What nobody stated reads as "no" again, as it did before.
    op.execute("UPDATE participation SET leadership = false WHERE leadership IS NULL")
    _alter(False, sa.false())
