"""The audit trail is append-only in the database too: a trigger refuses UPDATE and DELETE of audit_entry rows
on PostgreSQL, and UPDATE on SQLite (whose DELETE stays guarded by the ORM, tracker/models/audit.py).

PostgreSQL's TRUNCATE, which only the table's owner may run, is not a row change and is not refused.

Revision ID: 0004
Revises: 0003
"""
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

MESSAGE = 'audit entries are append-only: they cannot be changed or deleted'


def upgrade():
    if op.get_context().dialect.name == 'postgresql':
        op.execute(f"""
            CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{MESSAGE} (%)', TG_OP USING ERRCODE = 'insufficient_privilege';
            END
            $$""")
        op.execute("CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry "
                   "FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()")
    else:
        op.execute(f"CREATE TRIGGER audit_entry_append_only BEFORE UPDATE ON audit_entry "
                   f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")


def downgrade():
    op.execute("DROP TRIGGER IF EXISTS audit_entry_append_only" + (
        " ON audit_entry" if op.get_context().dialect.name == 'postgresql' else ""))
    if op.get_context().dialect.name == 'postgresql':
        op.execute("DROP FUNCTION IF EXISTS audit_entry_append_only()")
