"""A template file for each kind of import: its header, from the importer's own columns (with its optional last
columns), and one example row. Imported in the order of KINDS, the examples refer to one another and import cleanly
into an empty database."""
from __future__ import annotations

import csv
import io

from tracker.imports.runner import IMPORTERS

# An example value for each column name the kinds use; EXAMPLE_FOR_KIND overrides one kind's.
EXAMPLE: dict[str, str] = {
    "code": "E06000001", "name": "Hartlepool", "region": "north",
    "hwb_code": "E06000001", "provider_code": "RTR", "organisation_code": "RTR", "year": "2015-16",
    "minimum_pool_gbp": "7000000", "total_pool_gbp": "9000000", "nhs_contribution_gbp": "6000000",
    "council_contribution_gbp": "3000000", "claimed_emergency_reduction_pct": "3.5", "final_submission": "2014-09-19",
    "member_name": "Ann Example", "seat": "provider", "voting": "yes", "start": "2013-04-01", "end": "",
    "event_ref": "EV-EXAMPLE-1", "recorded_by": "hwb", "date": "2014-06-12", "kind": "workshop", "depth": "3",
    "topics": "schemes;acute_impact", "summary": "Workshop on the plan's schemes", "withdrawn": "no",
    "leadership": "yes", "status": "unconfirmed",
    "ref": "CN-EXAMPLE-1", "raised": "2014-07-01", "category": "evidence_base", "severity": "medium",
    "confidential": "no", "text": "The plan's evidence on emergency admissions is thin",
    "emergency_admissions_change_pct": "-2.5", "financial_impact_gbp": "-250000", "agreement": "partly",
    "comments": "We agree with the schemes but not the savings", "assessed": "2014-08-01",
}
EXAMPLE_FOR_KIND: dict[str, dict[str, str]] = {
    "providers": {"code": "RTR", "name": "South Tees Hospitals NHS Foundation Trust", "sector": "acute",
                  "footprint": "E06000001"},
    "concerns": {"status": "open"},
}


def template_csv(kind: str) -> str:
    """The template file of a kind: header row and one example row."""
    importer = IMPORTERS[kind]
    columns = [*importer.columns, *importer.optional]
    values = {**EXAMPLE, **EXAMPLE_FOR_KIND.get(kind, {})}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerow([values[column] for column in columns])
    return out.getvalue()
