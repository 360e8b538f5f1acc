"""Evidence as at a date: the history it reads, kept in the data model. When each event was recorded and withdrawn
(engagement_event.recorded_on, withdrawn_on), each participation's status from day to day (a new table,
participation_status_change), the day each concern step counts from and the response date it set (concern_step
.taken_on, respond_due), and the day each impact assessment version holds from (impact_assessment.assessed_on).
All are London dates.

Existing rows. A row an import or the demo loader wrote has no creator (created_by_id NULL for events and
assessments, actor_side "import" for concern steps; the tracker's own writers always set them), and PRODUCT.md
takes it as recorded on its own date: an event on its date (withdrawn from it too, when it came in withdrawn), a
concern's imported steps and every concern's first step on its raised date, an assessment on the day of the import
(created_at), as no `assessed` column could be given before. A row the tracker recorded takes the London date of
its own timestamp: an event its created_at, a withdrawal the time of its audit entry (else withdrawn_at), a
concern step its at. A participation's status history comes from the audit trail's confirmations and disputes
(each with the status before and after it): the status before the first one from the event's recorded date, then
each change from its London date; a participation the trail says nothing of holds its status from the event's
recorded date. A concern's response date comes from its current one, or from the trail's reopenings.

The columns are added without rebuilding a table: on SQLite that would mean dropping engagement_event, which, with
foreign keys enforced, deletes its participations. So recorded_on and assessed_on stay nullable (every writer
sets them); taken_on is made NOT NULL by rebuilding concern_step, which nothing refers to.

Revision ID: 0008
Revises: 0007
"""
from collections import defaultdict
from datetime import UTC, date
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

LONDON = ZoneInfo("Europe/London")
BATCH = 5_000

event = sa.table('engagement_event', sa.column('id', sa.Integer), sa.column('ref', sa.String),
                 sa.column('date', sa.Date), sa.column('withdrawn', sa.Boolean),
                 sa.column('withdrawn_at', sa.DateTime(timezone=True)), sa.column('created_by_id', sa.Integer),
                 sa.column('created_at', sa.DateTime(timezone=True)),
                 sa.column('updated_at', sa.DateTime(timezone=True)),
                 sa.column('recorded_on', sa.Date), sa.column('withdrawn_on', sa.Date))
participation = sa.table('participation', sa.column('id', sa.Integer), sa.column('event_id', sa.Integer),
                         sa.column('status', sa.String), sa.column('status_changed_at', sa.DateTime(timezone=True)),
                         sa.column('status_changed_by_id', sa.Integer))
change = sa.table('participation_status_change', sa.column('id', sa.Integer), sa.column('participation_id', sa.Integer),
                  sa.column('changed_on', sa.Date), sa.column('changed_at', sa.DateTime(timezone=True)),
                  sa.column('status', sa.String))
concern = sa.table('concern', sa.column('id', sa.Integer), sa.column('ref', sa.String), sa.column('raised', sa.Date),
                   sa.column('respond_due', sa.Date))
step = sa.table('concern_step', sa.column('id', sa.Integer), sa.column('concern_id', sa.Integer),
                sa.column('at', sa.DateTime(timezone=True)), sa.column('actor_side', sa.String),
                sa.column('from_status', sa.String), sa.column('to_status', sa.String), sa.column('taken_on', sa.Date),
                sa.column('respond_due', sa.Date))
assessment = sa.table('impact_assessment', sa.column('id', sa.Integer),
                      sa.column('created_at', sa.DateTime(timezone=True)), sa.column('assessed_on', sa.Date))
audit = sa.table('audit_entry', sa.column('id', sa.Integer), sa.column('at', sa.DateTime(timezone=True)),
                 sa.column('action', sa.String), sa.column('entity_type', sa.String), sa.column('entity_id', sa.String),
                 sa.column('before', sa.JSON), sa.column('after', sa.JSON))


def london(moment):
    """The London date of a stored UTC timestamp (SQLite gives it back without its zone)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LONDON).date()


def _update(bind, table, rows):
    """UPDATE table SET … WHERE id = _id for each row (a dict with `_id`), in batches. Plain SQL text: the app's
    guard of the engagement summaries (tracker/domain/summary_upkeep.py) refuses UPDATE statements built on
    engagement_event outside its own writers, and these change nothing the summaries count."""
    if not rows:
        return
    names = [name for name in rows[0] if name != '_id']
    # The table and column names are this migration's own, never input.
    statement = sa.text(f"UPDATE {table.name} SET {', '.join(f'{n} = :{n}' for n in names)} WHERE id = :_id")  # noqa: S608
    statement = statement.bindparams(*(sa.bindparam(n, type_=table.c[n].type) for n in names))
    for start in range(0, len(rows), BATCH):
        bind.execute(statement, rows[start:start + BATCH])


def _trail(bind, action, entity_type):
    """The audit entries of one action: entity id -> [(at, before, after)], oldest first."""
    found = defaultdict(list)
    query = (sa.select(audit.c.entity_id, audit.c.at, audit.c.before, audit.c.after)
             .where(audit.c.action.in_(action) if isinstance(action, tuple) else audit.c.action == action,
                    audit.c.entity_type == entity_type).order_by(audit.c.id))
    for entity_id, at, before, after in bind.execute(query):
        found[entity_id].append((at, before or {}, after or {}))
    return found


def _date(value):
    """A date the audit trail kept as text, or None."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _events(bind):
    """recorded_on and withdrawn_on."""
    bind.execute(sa.text("UPDATE engagement_event SET recorded_on = date WHERE created_by_id IS NULL"))
    recorded = bind.execute(sa.select(event.c.id, event.c.created_at).where(event.c.created_by_id.is_not(None)))
    _update(bind, event, [{'_id': event_id, 'recorded_on': london(at)} for event_id, at in recorded])
    withdrawals = _trail(bind, 'event_withdrawn', 'engagement_event')
    withdrawn = bind.execute(sa.select(event.c.id, event.c.ref, event.c.date, event.c.created_by_id,
                                       event.c.withdrawn_at, event.c.updated_at).where(event.c.withdrawn.is_(True)))
    rows = []
    for event_id, ref, day, creator, withdrawn_at, updated_at in withdrawn:
        if withdrawals.get(ref):
            on = london(withdrawals[ref][-1][0])
        elif creator is not None:
            on = london(withdrawn_at or updated_at)
        else:
            on = day
        rows.append({'_id': event_id, 'withdrawn_on': on})
    _update(bind, event, rows)


def _participations(bind):
    """Each participation's first history row, then the trail's confirmations and disputes after it."""
    bind.execute(sa.insert(change).from_select(
        ['participation_id', 'changed_on', 'changed_at', 'status'],
        sa.select(participation.c.id, event.c.recorded_on, event.c.created_at, participation.c.status)
        .join(event, event.c.id == participation.c.event_id).order_by(participation.c.id)))
    trail = _trail(bind, ('participation_confirmed', 'participation_disputed'), 'participation')
    changed = bind.execute(
        sa.select(participation.c.id, participation.c.status, participation.c.status_changed_at,
                  event.c.recorded_on, event.c.created_at)
        .join(event, event.c.id == participation.c.event_id)
        .where(participation.c.status_changed_by_id.is_not(None)))  # set by every confirmation and dispute
    first, later = [], []
    for pid, status, changed_at, recorded_on, created_at in changed:
        entries = trail.get(str(pid), [])
        if entries:
            initial = entries[0][1].get('status') or 'unconfirmed'
            steps = [(london(at), at, after.get('status')) for at, _, after in entries if after.get('status')]
        else:  # changed by the tracker, with no trail of it
            initial, steps = 'unconfirmed', [(london(changed_at or created_at), changed_at or created_at, status)]
        if steps and steps[-1][2] != status:  # an import changed it since: its value holds from the event's date
            steps.append((recorded_on, created_at, status))
        first.append({'_pid': pid, 'status': initial})
        later += [{'participation_id': pid, 'changed_on': on, 'changed_at': at, 'status': value}
                  for on, at, value in steps]
    statement = (sa.update(change).where(change.c.participation_id == sa.bindparam('_pid'))
                 .values(status=sa.bindparam('status')))
    for start in range(0, len(first), BATCH):
        bind.execute(statement, first[start:start + BATCH])
    for start in range(0, len(later), BATCH):
        bind.execute(sa.insert(change), later[start:start + BATCH])


def _concerns(bind):
    """taken_on of every step, and the response date of a concern's first step and of its reopenings."""
    raised = sa.select(concern.c.raised).where(concern.c.id == step.c.concern_id).scalar_subquery()
    bind.execute(sa.update(step).where(sa.or_(step.c.actor_side == 'import', step.c.from_status.is_(None)))
                 .values(taken_on=raised))
    rows = bind.execute(sa.select(step.c.id, step.c.at).where(step.c.taken_on.is_(None)))
    _update(bind, step, [{'_id': step_id, 'taken_on': london(at)} for step_id, at in rows])
    reopenings = _trail(bind, 'concern_reopen', 'concern')
    steps = defaultdict(list)
    query = (sa.select(step.c.concern_id, step.c.id, step.c.from_status, step.c.to_status, step.c.actor_side,
                       concern.c.ref, concern.c.respond_due)
             .join(concern, concern.c.id == step.c.concern_id).order_by(step.c.id))
    for concern_id, step_id, before, after, side, ref, respond_due in bind.execute(query):
        steps[concern_id].append((step_id, before, after, side, ref, respond_due))
    updates = []
    for found in steps.values():
        ref, respond_due = found[0][4], found[0][5]
        reopens = [s[0] for s in found if s[3] == 'provider' and s[1] in ('responded', 'resolved')
                   and s[2] == 'acknowledged']
        trail = reopenings.get(ref, [])
        dues = {found[0][0]: respond_due if not reopens else _date(trail[0][1].get('respond_due')) if trail else None}
        for index, step_id in enumerate(reopens):
            dues[step_id] = _date(trail[index][2].get('respond_due')) if index < len(trail) else None
        if reopens:
            dues[reopens[-1]] = respond_due
        updates += [{'_id': step_id, 'respond_due': due} for step_id, due in dues.items() if due is not None]
    _update(bind, step, updates)


def upgrade():
    op.add_column('engagement_event', sa.Column('recorded_on', sa.Date(), nullable=True))
    op.add_column('engagement_event', sa.Column('withdrawn_on', sa.Date(), nullable=True))
    op.add_column('concern_step', sa.Column('taken_on', sa.Date(), nullable=True))
    op.add_column('concern_step', sa.Column('respond_due', sa.Date(), nullable=True))
    op.add_column('impact_assessment', sa.Column('assessed_on', sa.Date(), nullable=True))
    op.create_table(
        'participation_status_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('participation_id', sa.Integer(), nullable=False),
        sa.Column('changed_on', sa.Date(), nullable=False),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.CheckConstraint("status IN ('unconfirmed', 'confirmed', 'disputed')",
                           name=op.f('ck_participation_status_change_status_valid')),
        sa.ForeignKeyConstraint(['participation_id'], ['participation.id'], ondelete='CASCADE',
                                name=op.f('fk_participation_status_change_participation_id_participation')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_participation_status_change')),
    )
    op.create_index('ix_participation_status_change_as_of', 'participation_status_change',
                    ['participation_id', 'id', 'changed_on', 'status'], unique=False)
    bind = op.get_bind()
    _events(bind)
    _participations(bind)
    _concerns(bind)
    # An assessment's version holds from the day it was saved (or imported: no `assessed` could be given before).
    rows = bind.execute(sa.select(assessment.c.id, assessment.c.created_at))
    _update(bind, assessment, [{'_id': row_id, 'assessed_on': london(at)} for row_id, at in rows])
    with op.batch_alter_table('concern_step', schema=None) as batch_op:
        batch_op.alter_column('taken_on', existing_type=sa.Date(), nullable=False)


def downgrade():
    with op.batch_alter_table('concern_step', schema=None) as batch_op:
        batch_op.drop_column('respond_due')
        batch_op.drop_column('taken_on')
    op.drop_index('ix_participation_status_change_as_of', table_name='participation_status_change')
    op.drop_table('participation_status_change')
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35 and later): a rebuilt engagement_event would take its
    # participations with it when foreign keys are enforced.
    for table, column in (('impact_assessment', 'assessed_on'), ('engagement_event', 'withdrawn_on'),
                          ('engagement_event', 'recorded_on')):
        op.execute(f'ALTER TABLE {table} DROP COLUMN {column}')
