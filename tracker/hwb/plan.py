"""The plan's details: pooled budget, contributions, declarations, and the claimed reduction in emergency
admissions beside the national expectation and the acute providers' own assessments."""
from __future__ import annotations

from flask import render_template, url_for
from werkzeug.wrappers import Response

from tracker.domain import comparisons, vocab
from tracker.hwb import queries
from tracker.hwb.blueprint import bp
from tracker.hwb.helpers import board_plan, year_args, year_context
from tracker.web.access import roles_required
from tracker.web.helpers import me
from tracker.web.next_plan import next_plan_page, started


@bp.get("/plan")
@roles_required("hwb")
def plan() -> str:
    """What the plan says, and where acute partners see it differently."""
    record = board_plan()
    user = me()
    claim = record.claimed_emergency_reduction_pct
    acute = [comparisons.acute_view(p.code, p.name, claim, a.emergency_admissions_change_pct if a else None,
                                a.agreement if a else None, a.financial_impact_gbp if a else None)
             for p, a in queries.acute_assessments(user, record)]
    declared = {d.condition: d for d in record.declarations}
    return render_template(
        "hwb/plan.html", plan=record, args=year_args(record), **year_context(record), acute=acute,
        others=queries.other_assessments(user, record),
        claim=claim, expectation=comparisons.NATIONAL_EXPECTATION_PCT,
        meets_expectation=comparisons.claim_meets_expectation(claim), points=comparisons.DISAGREEMENT_POINTS,
        declarations=[(code, label, declared.get(code)) for code, label in vocab.NATIONAL_CONDITIONS.items()])


@bp.route("/plans/next", methods=["GET", "POST"])
@roles_required("hwb")
def next_plan() -> str | Response:
    """Start the board's plan for the year after its latest, from that plan's figures (tracker.web.next_plan)."""
    return next_plan_page(me().hwb, back=url_for("hwb.plan"), done=started("hwb.dashboard"))
