"""The audit trail is complete and append-only.

Complete: every kind of change the code audits (tracker.domain.audit.ACTIONS, which must name every action the source
passes to audit.record or audit.record_rows) is made through the pages, the API or the commands (audit_walk.py), and
each leaves an entry saying who, when, what and, for a change, before and after; no commit changes a record without
adding an entry. Append-only: no entry changes once written, no route can change or delete one, and the ORM and the
database refuse to.
"""
from __future__ import annotations

import ast
import re
from datetime import UTC, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.reliability import audit_walk, figures
from tests.reliability.harness import db_backend
from tracker.domain import audit
from tracker.models import AuditEntry
from tracker.models.audit import AuditTrailIsAppendOnly
from tracker.web.extensions import db

pytestmark = pytest.mark.reliability

ROOT = Path(__file__).resolve().parents[2]
SLACK = timedelta(seconds=2)
NOBODY_SIGNED_IN = {"sign_in_failed", "password_reset_requested"}


def audited_in_source() -> tuple[set[str], set[str], list[str]]:
    """The actions tracker/ passes to audit.record: names, f-string patterns, and calls it cannot read."""
    names, patterns, unreadable = set(), set(), []
    for path in sorted((ROOT / "tracker").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]:
            assigned = {t.id: node.value for node in ast.walk(function) if isinstance(node, ast.Assign)
                        for t in node.targets if isinstance(t, ast.Name)}
            for call in [n for n in ast.walk(function) if isinstance(n, ast.Call)]:
                if not (isinstance(call.func, ast.Attribute) and call.func.attr in ("record", "record_rows")
                        and isinstance(call.func.value, ast.Name) and call.func.value.id == "audit"
                        and len(call.args) > 1):
                    continue
                stack = [call.args[1]]  # record(session, action, ...), record_rows(session, action, ...)
                while stack:
                    node = stack.pop()
                    if isinstance(node, ast.Name) and node.id in assigned:
                        stack.append(assigned.pop(node.id))
                    elif isinstance(node, ast.IfExp):
                        stack += [node.body, node.orelse]
                    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                        names.add(node.value)
                    elif isinstance(node, ast.JoinedStr):
                        patterns.add("".join(re.escape(v.value) if isinstance(v, ast.Constant) else ".+"
                                             for v in node.values))
                    else:
                        unreadable.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    return names, patterns, unreadable


def test_every_action_the_code_writes_is_registered() -> None:
    names, patterns, unreadable = audited_in_source()
    assert not unreadable, f"audit.record calls whose action cannot be read: {unreadable}"
    assert names <= set(audit.ACTIONS), f"add to tracker.domain.audit.ACTIONS: {sorted(names - set(audit.ACTIONS))}"
    unmatched = [p for p in patterns if not any(re.fullmatch(p, a) for a in audit.ACTIONS)]
    assert not unmatched, f"no registered action matches the patterns {unmatched}"
    stale = [a for a in audit.ACTIONS if a not in names and not any(re.fullmatch(p, a) for p in patterns)]
    assert not stale, f"registered actions the code no longer writes: {stale}"


@pytest.fixture(scope="module")
def trail(app: Flask, tmp_path_factory: pytest.TempPathFactory) -> audit_walk.Trail:
    """The walk, once per database (its entries are kept here: the database is emptied after each test)."""
    return audit_walk.Walk(app, tmp_path_factory.mktemp(f"audit-{db_backend(app)}")).run()


def test_the_walk_makes_every_kind_of_change_and_writes_only_registered_actions(app: Flask,
                                                                               trail: audit_walk.Trail) -> None:
    made = {x.action for x in trail.expected}
    figures.record(f"audit_{db_backend(app)}", {"kinds_registered": len(audit.ACTIONS), "kinds_made": len(made),
                                                "changes_checked": len(trail.expected), "entries": len(trail.entries),
                                                "unaudited_commits": len(trail.unaudited)})
    assert not set(audit.ACTIONS) - made, f"kinds of change the walk does not make: {set(audit.ACTIONS) - made}"
    written = {e["action"] for e in trail.entries}
    assert written <= set(audit.ACTIONS), f"unregistered actions written: {written - set(audit.ACTIONS)}"


@pytest.mark.parametrize("action", sorted(audit.ACTIONS))
def test_each_change_leaves_an_entry_of_who_when_what_and_before_after(trail: audit_walk.Trail, action: str) -> None:
    expected = [x for x in trail.expected if x.action == action]
    assert expected, f"the walk does not make a {action!r} change"
    for x in expected:
        found = [e for e in trail.entries if e["action"] == action and e["actor"] == x.actor
                 and e["entity_type"] == x.entity_type and x.entity_id in (None, e["entity_id"])
                 and x.since - SLACK <= e["at"].replace(tzinfo=e["at"].tzinfo or UTC) <= x.until + SLACK]
        assert found, f"no {action} entry by {x.actor} on {x.entity_type} {x.entity_id}: {_near(trail, x)}"
        entry = found[0]
        # Who: the signed-in user (a failed sign-in, or a reset link asked for, names the account, but nobody was
        # signed in).
        assert entry["actor_id"] == (None if action in NOBODY_SIGNED_IN else trail.user_ids.get(x.actor)), entry
        shape = audit.ACTIONS[action]
        if shape in (audit.CREATED, audit.CHANGED):
            assert entry["after"], f"{action} keeps no `after`: {entry}"
        if shape == audit.CHANGED:
            assert entry["before"] is not None and entry["before"] != entry["after"], \
                f"{action} keeps no `before` distinct from `after`: {entry}"


def _near(trail: audit_walk.Trail, x: audit_walk.Expected) -> list[dict]:
    return [{k: e[k] for k in ("action", "actor", "entity_type", "entity_id", "at")}
            for e in trail.entries if e["action"] == x.action][:5]


def test_no_commit_changes_a_record_without_an_audit_entry(trail: audit_walk.Trail) -> None:
    assert not trail.unaudited, trail.unaudited


def test_no_entry_changes_once_written(trail: audit_walk.Trail) -> None:
    assert not trail.rewritten, trail.rewritten[:5]


WRITES_TO_THE_AUDIT_TABLE = re.compile(
    r"(?:sa\.)?(?:update|delete)\(\s*AuditEntry|(?:UPDATE|DELETE\s+FROM|TRUNCATE)\s+\"?audit_entry", re.I)


def test_no_route_can_change_or_delete_an_audit_entry(app: Flask) -> None:
    """No route takes PUT, PATCH or DELETE; no code updates or deletes audit rows (the POST routes are all fuzzed
    by test_form_fuzz.py, which checks that no entry changed meanwhile)."""
    writes = sorted(f"{r.rule} {sorted(r.methods & {'PUT', 'PATCH', 'DELETE'})}" for r in app.url_map.iter_rules()
                    if r.methods & {"PUT", "PATCH", "DELETE"})
    assert not writes, writes
    found = [f"{path.relative_to(ROOT)}: {match.group(0)}" for path in sorted((ROOT / "tracker").rglob("*.py"))
             for match in WRITES_TO_THE_AUDIT_TABLE.finditer(path.read_text(encoding="utf-8"))]
    assert not found, found


def test_the_orm_refuses_to_change_or_delete_an_entry(app_ctx: Flask) -> None:
    audit.record(db.session, "import", "hwbs", "", after={"created": 1}, actor="cli")
    db.session.commit()
    entry = db.session.scalar(sa.select(AuditEntry))
    entry.after = {"created": 0}
    with pytest.raises(AuditTrailIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    db.session.delete(entry)
    with pytest.raises(AuditTrailIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    for statement in (sa.update(AuditEntry).values(actor="someone else"), sa.delete(AuditEntry),
                      sa.delete(AuditEntry.__table__)):
        with pytest.raises(AuditTrailIsAppendOnly):
            db.session.execute(statement)
        db.session.rollback()
    assert db.session.scalar(sa.select(AuditEntry.after)) == {"created": 1}


def test_the_database_refuses_to_change_an_entry(app_ctx: Flask) -> None:
    """Below the ORM, the migrations' trigger: UPDATE refused on both databases, DELETE on PostgreSQL."""
    audit.record(db.session, "import", "hwbs", "", after={"created": 1}, actor="cli")
    db.session.commit()
    statements = ["UPDATE audit_entry SET actor = 'someone else'"]
    if db_backend(app_ctx) == "postgresql":
        statements.append("DELETE FROM audit_entry")
    for statement in statements:
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), db.engine.begin() as conn:
            conn.execute(sa.text(statement))
    assert db.session.scalar(sa.select(AuditEntry.actor)) == "cli"


def test_the_commit_watch_sees_a_change_made_without_an_entry(app_ctx: Flask) -> None:
    """The walk's watch itself: a commit that changes a record unaudited is caught, one with an entry is not."""
    from tracker.models import User

    watch = audit_walk.CommitWatch()
    with watch.installed():
        watch.on = True
        db.session.add(User(email="unaudited@example.org", password_hash="!", role="assurer"))
        db.session.commit()
        audit.record(db.session, "import", "hwbs", "", after={"created": 0}, actor="cli")
        db.session.commit()
        watch.on = False
    assert watch.unaudited == ["a command changed ['User'] unaudited"], watch.unaudited
