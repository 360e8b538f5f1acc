"""Importing concerns, with their due dates fixed in working days and every status change kept as a step."""
from __future__ import annotations

import sqlalchemy as sa

from tracker.domain import vocab
from tracker.domain.working_days import due_dates
from tracker.imports.base import KeyedImporter
from tracker.imports.provenance import Kept
from tracker.imports.reader import Row
from tracker.imports.store import Merge, batches, insert_rows
from tracker.models import Concern, ConcernStep

TEXT_MAX = 10_000


class ConcernImporter(KeyedImporter):
    """`concerns`: a provider's concern about a plan, matched on its ref."""

    kind = "concerns"
    columns = ("ref", "hwb_code", "year", "provider_code", "raised", "category", "severity", "confidential",
               "status", "text")
    key = ("ref",)
    model = Concern
    fields = ("ref", "plan_id", "provider_id", "raised", "category", "severity", "confidential", "status", "text")
    also_load = ("acknowledge_due", "respond_due")
    audit_entity, audit_by_key = "concern", True

    def stage(self, row: Row) -> None:
        """A concern; its plan must exist."""
        hwb_id = row.code("hwb_code", self.lookups.hwbs, "health and wellbeing board")
        year = row.year("year")
        values = {
            "ref": row.text("ref", max_length=64),
            "plan_id": self.plan_id(row, hwb_id, year),
            "provider_id": row.code("provider_code", self.lookups.providers, "provider"),
            "raised": row.date("raised"),
            "category": row.choice("category", vocab.CONCERN_CATEGORIES),
            "severity": row.choice("severity", vocab.SEVERITIES),
            "confidential": row.yes_no("confidential"),
            "status": row.choice("status", vocab.CONCERN_STATUSES),
            "text": row.text("text", max_length=TEXT_MAX),
        }
        if row.ok:
            self.keep(values)

    def adjust(self, result: Merge) -> None:
        """Keep what people did in the tracker; new concerns, and those whose raised date changed, get due dates from
        the working-day settings."""
        if not self.settings.overwrite:
            self._keep_tracker_steps(result)
        changed_raised = [key for key, _, old in result.updates if old["raised"] != self.staged[key]["raised"]]
        for key in [*result.inserts, *changed_raised]:
            values = self.staged[key]
            values["acknowledge_due"], values["respond_due"] = due_dates(
                values["raised"], self.settings.acknowledge_days, self.settings.respond_days)

    def _keep_tracker_steps(self, result: Merge) -> None:
        """A concern whose last step was taken in the tracker (not by an import) keeps its status; one raised in the
        tracker and never imported is kept whole. Each kept row is reported."""
        last: dict[int, ConcernStep] = {}
        imported: set[int] = set()
        table = ConcernStep.__table__
        for chunk in batches([concern_id for _, concern_id, _ in result.updates]):
            query = (sa.select(table.c.concern_id, table.c.actor_id, table.c.actor_side, table.c.at)
                     .where(table.c.concern_id.in_(chunk)).order_by(table.c.id))
            for step in self.session.execute(query):
                last[step.concern_id] = step
                if step.actor_side == "import":
                    imported.add(step.concern_id)
        updates = []
        for key, concern_id, old in result.updates:
            step = last.get(concern_id)
            if step is None or step.actor_side == "import":
                updates.append((key, concern_id, old))
                continue
            values, line = self.staged[key], self.lines[key]
            if concern_id not in imported:
                self.kept.append(Kept(line, f"concern {key} as it was last changed", step.at, step.actor_id))
                result.kept.add(key)
                result.unchanged.append((key, concern_id))
                continue
            if values["status"] != old["status"]:
                self.kept.append(Kept(line, f"the status {old['status']} of concern {key} set", step.at, step.actor_id,
                                      detail=f" (the file gives {values['status']})"))
                result.kept.add(key)
                values["status"] = old["status"]
            if all(old.get(name) == value for name, value in values.items()):
                result.unchanged.append((key, concern_id))
            else:
                updates.append((key, concern_id, old))
        result.updates = updates

    def after_write(self, result: Merge) -> None:
        """Keep the history: an imported step for each new concern, and one for each status change. PRODUCT.md takes
        an imported concern as recorded on its raised date, as the file gives it from then on: so are its steps."""
        steps = [self._step(concern_id, key, None) for key, concern_id in self.ids_of(result.inserts).items()]
        steps += [self._step(concern_id, key, old["status"]) for key, concern_id, old in result.updates
                  if old["status"] != self.staged[key]["status"]]
        insert_rows(self.session, ConcernStep.__table__, steps)

    def _step(self, concern_id: int, key: str, from_status: str | None) -> dict[str, object]:
        """An imported step to the file's status, with the response date when this import set it."""
        values = self.staged[key]
        return {"concern_id": concern_id, "actor_side": "import", "from_status": from_status,
                "to_status": values["status"], "message": "Imported", "taken_on": values["raised"],
                "respond_due": values.get("respond_due")}
