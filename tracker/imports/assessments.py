"""Importing impact assessments: a changed assessment becomes a new current version, earlier ones kept."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.domain import vocab
from tracker.domain.clock import london_today
from tracker.imports.base import KeyedImporter, Settings, counted, differences
from tracker.imports.provenance import Kept
from tracker.imports.reader import Row
from tracker.imports.store import Counts, Lookups, Merge, insert_rows, merge, stored_by_key, update_rows
from tracker.models import ImpactAssessment

FINANCIAL_LIMIT = 10_000_000_000  # £10bn either way, as in the assessment form
COMMENTS_MAX = 10_000


class ImpactAssessmentImporter(KeyedImporter):
    """`impact-assessments`: a provider's view of a plan, matched on board, year and provider."""

    kind = "impact-assessments"
    columns = ("hwb_code", "year", "provider_code", "emergency_admissions_change_pct", "financial_impact_gbp",
               "agreement", "comments")
    optional = ("assessed",)  # PRODUCT.md: the date of the assessment; the day of the import when absent
    key = ("hwb_code", "year", "provider_code")
    model = ImpactAssessment
    fields = ("plan_id", "provider_id", "emergency_admissions_change_pct", "financial_impact_gbp", "agreement",
              "comments")
    audit_entity = "impact_assessment"

    def __init__(self, session: Session, lookups: Lookups, settings: Settings) -> None:
        super().__init__(session, lookups, settings)
        self.today = london_today()
        self.assessed: dict[object, date] = {}  # key -> the file's `assessed`, when given

    @property
    def key_fields(self) -> tuple[str, ...]:
        """Board and year together name one plan."""
        return ("plan_id", "provider_id")

    def stage(self, row: Row) -> None:
        """An assessment of a plan that exists."""
        hwb_id = row.code("hwb_code", self.lookups.hwbs, "health and wellbeing board")
        year = row.year("year")
        values = {
            "plan_id": self.plan_id(row, hwb_id, year),
            "provider_id": row.code("provider_code", self.lookups.providers, "provider"),
            "emergency_admissions_change_pct": row.number("emergency_admissions_change_pct",
                                                          Decimal(-100), Decimal(1000)),
            "financial_impact_gbp": row.pounds("financial_impact_gbp", minimum=None, limit=FINANCIAL_LIMIT),
            "agreement": row.choice("agreement", vocab.AGREEMENTS),
            "comments": row.text("comments", required=False, max_length=COMMENTS_MAX),
        }
        assessed = row.date("assessed", required=False)
        if assessed is not None and assessed > self.today:
            row.fail(f"assessed {assessed.isoformat()} is in the future; it must be today or earlier")
        if row.ok:
            key = self.keep(values)
            if assessed is not None:
                self.assessed[key] = assessed

    def write(self) -> Counts:
        """Same values leave the current version; different ones retire it and add the next version, unless the
        current one was saved in the tracker (kept and reported, but for --overwrite). Each new version is audited."""
        table = ImpactAssessment.__table__
        current = stored_by_key(self.session, ImpactAssessment, self.key_fields,
                                (*self.fields, "version", "created_by_id", "created_at"),
                                where=table.c.is_current.is_(True))
        result = merge(self.staged, current)
        if not self.settings.overwrite:
            self._keep_saved_in_tracker(result)
        latest = dict(((plan_id, provider_id), version) for plan_id, provider_id, version in self.session.execute(
            sa.select(table.c.plan_id, table.c.provider_id, sa.func.max(table.c.version))
            .group_by(table.c.plan_id, table.c.provider_id)).tuples())
        update_rows(self.session, table, [{"_id": record_id, "is_current": False}
                                          for _, record_id, _ in result.updates])
        insert_rows(self.session, table, [{**self.staged[key], "version": latest.get(key, 0) + 1, "is_current": True,
                                           "assessed_on": self.assessed.get(key, self.today)}
                                          for key in [*result.inserts, *(key for key, _, _ in result.updates)]])
        self._audit(result)
        return counted(result)

    def _keep_saved_in_tracker(self, result: Merge) -> None:
        """An assessment whose current version a provider saved in the tracker stays current; reported."""
        updates = []
        for key, record_id, old in result.updates:
            if old["created_by_id"] is None:
                updates.append((key, record_id, old))
                continue
            self.kept.append(Kept(self.lines[key], f"the assessment (version {old['version']}) saved",
                                  old["created_at"], old["created_by_id"]))
            result.kept.add(key)
            result.unchanged.append((key, record_id))
        result.updates = updates

    def _audit(self, result: Merge) -> None:
        """An entry for each new version, named by its id: the first with its values, a later one with the values
        that differ from the version it replaced."""
        written = [*result.inserts, *(key for key, _, _ in result.updates)]
        if not written:
            return
        table = ImpactAssessment.__table__
        ids = {key: record_id for key, (record_id, _) in stored_by_key(
            self.session, ImpactAssessment, self.key_fields, (), where=table.c.is_current.is_(True)).items()}
        created = [(ids[key], self.shown(self.staged[key])) for key in result.inserts]
        changed = []
        for key, _, old in result.updates:
            before, after = differences({name: old[name] for name in self.fields}, self.staged[key], self.key_fields)
            changed.append((ids[key], self.shown(before), self.shown(after)))
        self.audit_rows(self.audit_entity, created, changed)
