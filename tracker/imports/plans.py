"""Importing plans and board memberships: rows that name a board and are matched on its key."""
from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from tracker.domain import plans, vocab
from tracker.imports.base import KeyedImporter
from tracker.imports.reader import Row
from tracker.imports.store import Merge
from tracker.models import BoardMembership, Plan

HWB = "health and wellbeing board"
_OWN_STATUSES = ("draft", "submitted")  # the statuses an import may set; the others are assurance decisions


class PlanImporter(KeyedImporter):
    """`plans`: one board's plan for one year, with its money figures and final submission date."""

    kind = "plans"
    columns = ("hwb_code", "year", "minimum_pool_gbp", "total_pool_gbp", "nhs_contribution_gbp",
               "council_contribution_gbp", "claimed_emergency_reduction_pct", "final_submission")
    key = ("hwb_code", "year")
    model = Plan
    fields = ("hwb_id", "year", "minimum_pool_gbp", "total_pool_gbp", "nhs_contribution_gbp",
              "council_contribution_gbp", "claimed_emergency_reduction_pct", "final_submission")
    also_load = ("status",)
    audit_entity = "plan"
    stored_status: dict[int, str]

    def stage(self, row: Row) -> None:
        """A plan of any financial year, its figures read by the plan rules (tracker.domain.plans)."""
        values = {
            "hwb_id": row.code("hwb_code", self.lookups.hwbs, HWB),
            "year": row.year("year"),
            **{name: row.pounds(name, minimum=plans.MONEY_MINIMUM, limit=plans.MONEY_LIMIT)
               for name in plans.MONEY_FIELDS},
            "claimed_emergency_reduction_pct": row.number("claimed_emergency_reduction_pct", plans.CLAIM_LOW,
                                                          plans.CLAIM_HIGH, plans.CLAIM_PLACES),
            "final_submission": row.date("final_submission", required=False),
        }
        minimum, total = values["minimum_pool_gbp"], values["total_pool_gbp"]
        if plans.total_below_minimum(minimum, total):
            row.fail(f"total_pool_gbp {total} is less than minimum_pool_gbp {minimum}; "
                     "the total pool must be at least the minimum")
        if row.ok:
            self.keep(values)

    def adjust(self, result: Merge) -> None:
        """Draft or submitted follows the final submission date; an assurance decision is left alone."""
        for key in result.inserts:
            self.staged[key]["status"] = self._status(key)
        for key, plan_id, _ in result.updates:
            if self.stored_status[plan_id] in _OWN_STATUSES:
                self.staged[key]["status"] = self._status(key)
        unchanged = []
        for key, plan_id in result.unchanged:
            old = self.stored_status[plan_id]
            if old in _OWN_STATUSES and old != self._status(key):
                self.staged[key]["status"] = self._status(key)
                result.updates.append((key, plan_id, {"status": old}))
            else:
                unchanged.append((key, plan_id))
        result.unchanged = unchanged

    def stored(self) -> dict[Hashable, tuple[int, dict[str, Any]]]:
        """The stored plans, remembering each one's status."""
        stored = super().stored()
        self.stored_status = {plan_id: values["status"] for plan_id, values in stored.values()}
        return stored

    def _status(self, key: Hashable) -> str:
        """Submitted once there is a final submission date, otherwise draft."""
        return plans.own_status(self.staged[key]["final_submission"])


class BoardMemberImporter(KeyedImporter):
    """`board-members`: a seat on a board from a start date to an optional end date."""

    kind = "board-members"
    columns = ("hwb_code", "member_name", "seat", "organisation_code", "voting", "start", "end")
    key = ("hwb_code", "member_name", "seat", "start")
    model = BoardMembership
    fields = ("hwb_id", "member_name", "seat", "start", "provider_id", "voting", "end")
    audit_entity, audit_names = "board_membership", {"provider_id": "organisation_code"}

    def stage(self, row: Row) -> None:
        """A membership; the organisation is a provider or none, and the end is not before the start."""
        values = {
            "hwb_id": row.code("hwb_code", self.lookups.hwbs, HWB),
            "member_name": row.text("member_name"),
            "seat": row.choice("seat", vocab.SEATS),
            "start": row.date("start"),
            "provider_id": row.code("organisation_code", self.lookups.providers, "provider", required=False),
            "voting": row.yes_no("voting"),
            "end": row.date("end", required=False),
        }
        if values["start"] and values["end"] and values["end"] < values["start"]:
            row.fail(f"end {values['end']} is before start {values['start']}")
        if row.ok:
            self.keep(values)
