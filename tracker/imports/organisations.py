"""Importing health and wellbeing boards and providers (with each provider's footprint)."""
from __future__ import annotations

import re
from collections.abc import Hashable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.domain import vocab
from tracker.domain.summaries import bulk_write
from tracker.imports.base import KeyedImporter, Settings
from tracker.imports.reader import Row
from tracker.imports.store import Counts, Lookups, Merge, batches, insert_rows
from tracker.models import HWB, Provider, provider_footprint

_GSS = re.compile(r"[A-Z]\d{8}")


class HwbImporter(KeyedImporter):
    """`hwbs`: code, name, region."""

    kind = "hwbs"
    columns = ("code", "name", "region")
    key = ("code",)
    model = HWB
    fields = ("code", "name", "region")
    audit_entity, audit_by_key = "hwb", True

    def stage(self, row: Row) -> None:
        """A board: a GSS code, a name and a region."""
        code = row.values["code"]
        if not _GSS.fullmatch(code):
            row.fail(f'code "{code}" is not an ONS GSS code (a capital letter and 8 digits, like E06000001)')
        name = row.text("name")
        region = row.choice("region", vocab.REGIONS)
        if row.ok:
            self.keep({"code": code, "name": name, "region": region})


class ProviderImporter(KeyedImporter):
    """`providers`: code, name, sector, footprint (HWB codes separated by `;`, replacing the stored footprint)."""

    kind = "providers"
    columns = ("code", "name", "sector", "footprint")
    key = ("code",)
    model = Provider
    fields = ("code", "name", "sector")
    audit_entity, audit_by_key = "provider", True

    def __init__(self, session: Session, lookups: Lookups, settings: Settings) -> None:
        super().__init__(session, lookups, settings)
        self.footprints: dict[str, frozenset[int]] = {}
        self.stored_footprints: dict[int, set[int]] = {}
        self.written: set[int] = set()  # providers inserted or updated
        self.boards_written: set[int] = set()  # the boards they serve or served

    def stage(self, row: Row) -> None:
        """A provider and the boards whose area it serves."""
        code = row.text("code", max_length=20)
        name = row.text("name")
        sector = row.choice("sector", vocab.SECTORS)
        hwb_ids = set()
        for part in row.values["footprint"].split(";"):
            hwb_code = part.strip()
            if not hwb_code:
                continue
            hwb_id = self.lookups.hwbs.get(hwb_code)
            if hwb_id is None:
                row.fail(f"footprint: {hwb_code} is not a known health and wellbeing board")
            hwb_ids.add(hwb_id)
        if row.ok:
            self.keep({"code": code, "name": name, "sector": sector})
            self.footprints[code] = frozenset(hwb_ids)

    def write(self) -> Counts:
        """Write the providers and their footprints; on leaving the block the summaries' copies of the providers
        written (sector, footprint) and the tallies of the boards they serve or served are recomputed."""
        with bulk_write(self.session, plans=(), providers=(), boards=()) as written:
            counts = super().write()
            written.providers.update(self.written)
            written.boards.update(self.boards_written)
        return counts

    def adjust(self, result: Merge) -> None:
        """A provider whose footprint alone differs counts as updated."""
        self.stored_footprints = {}
        for provider_id, hwb_id in self.session.execute(sa.select(provider_footprint.c.provider_id,
                                                                   provider_footprint.c.hwb_id)).tuples():
            self.stored_footprints.setdefault(provider_id, set()).add(hwb_id)
        same: list[tuple[Hashable, int]] = []
        for key, provider_id in result.unchanged:
            if self.stored_footprints.get(provider_id, set()) == self.footprints[key]:
                same.append((key, provider_id))
            else:
                result.updates.append((key, provider_id, {}))
        result.unchanged = same

    def audit_values(self, key: Hashable, values: dict[str, Any], record_id: int | None) -> dict[str, Any]:
        """A provider's fields and its footprint (board codes), stored or the file's."""
        boards = self.footprints[key] if record_id is None else self.stored_footprints.get(record_id, set())
        return {**super().audit_values(key, values, record_id),
                "footprint": sorted(self.lookups.hwb_codes[hwb_id] for hwb_id in boards)}

    def after_write(self, result: Merge) -> None:
        """Replace each changed or new provider's footprint with the file's."""
        ids = self.ids_of(result.inserts)
        ids.update((key, provider_id) for key, provider_id, _ in result.updates)
        removed, added = [], []
        for code, provider_id in ids.items():
            old = self.stored_footprints.get(provider_id, set())
            new = self.footprints[code]
            self.written.add(provider_id)
            self.boards_written.update(old | new)
            removed += [{"p": provider_id, "h": hwb_id} for hwb_id in old - new]
            added += [{"provider_id": provider_id, "hwb_id": hwb_id} for hwb_id in new - old]
        if removed:
            table = provider_footprint
            statement = sa.delete(table).where(table.c.provider_id == sa.bindparam("p"),
                                               table.c.hwb_id == sa.bindparam("h"))
            for chunk in batches(removed):
                self.session.execute(statement, chunk)
        insert_rows(self.session, provider_footprint, added)
