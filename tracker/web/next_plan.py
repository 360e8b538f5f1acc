"""Starting a board's next year's plan, the page the board's users (tracker/hwb/plan.py) and administrators
(tracker/admin/routes.py) share: a form prefilled with the latest plan's money and claim figures, every one
editable, checked and saved by tracker.domain.plans (the plan rules the plans import follows too)."""
from __future__ import annotations

from collections.abc import Callable

from flask import abort, render_template, request
from werkzeug.wrappers import Response
from wtforms import HiddenField, StringField

from tracker.domain import plans, vocab
from tracker.models import HWB, Plan
from tracker.web.extensions import db
from tracker.web.forms import DateField, StorableForm, put_errors
from tracker.web.helpers import me, redirect_with_message


class YearField(HiddenField):
    """The year the page offered; a problem with it is shown at the top of the form (the error summary links there)."""

    error_target = "year-error"


class NextPlanForm(StorableForm):
    """The new plan's figures as typed; `year` is the year the page offered, so a form sent twice is told so."""

    year = YearField()
    minimum_pool_gbp = StringField(plans.LABELS["minimum_pool_gbp"])
    total_pool_gbp = StringField(plans.LABELS["total_pool_gbp"])
    nhs_contribution_gbp = StringField(plans.LABELS["nhs_contribution_gbp"])
    council_contribution_gbp = StringField(plans.LABELS["council_contribution_gbp"])
    claimed_emergency_reduction_pct = StringField(plans.LABELS["claimed_emergency_reduction_pct"])
    final_submission = DateField(f'{plans.LABELS["final_submission"]} (optional)', required=False)

    def figures(self) -> plans.PlanFiguresInput:
        """What was typed, for the plan rules."""
        return plans.PlanFiguresInput(*((getattr(self, name).data or "") for name in plans.MONEY_FIELDS),
                                      self.claimed_emergency_reduction_pct.data or "", self.final_submission.data)


def next_plan_page(hwb: HWB, *, back: str, done: Callable[[Plan], Response]) -> str | Response:
    """Show the form for the board's next plan, or start it and answer with `done(plan)`; 404 without a plan to
    start from or a later year to plan for."""
    user = me()
    if not plans.can_start_plan(user, hwb):
        abort(403)
    existing = plans.board_plans(db.session, hwb.id)
    year = plans.next_plan_year(db.session, hwb)
    if not existing or year is None:
        abort(404)
    latest = existing[0]
    if request.method == "GET":
        form = NextPlanForm(data={"year": year, **vars(plans.PlanFiguresInput.of(latest))})
    else:
        form = NextPlanForm()
        if form.validate():
            try:
                plan = plans.start_next_plan(db.session, user, hwb, form.year.data or "", form.figures())
            except plans.PlanRejected as rejected:
                db.session.rollback()
                put_errors(form, rejected.errors)
            else:
                return done(plan)
    asked = form.year.data if vocab.is_year(form.year.data) else year
    return render_template("plans/next_plan.html", form=form, hwb=hwb, latest=latest, year=asked, back=back)


def started(endpoint: str, **values: object) -> Callable[[Plan], Response]:
    """The answer once a plan is started: a message, on the page `endpoint` names."""
    def answer(plan: Plan) -> Response:
        return redirect_with_message(endpoint, f"The {vocab.year_label(plan.year)} plan is started. Events, concerns "
                                     "and impact assessments for it are recorded on it from now on.", **values,
                                     **({"year": plan.year} if "year" not in values else {}))
    return answer
