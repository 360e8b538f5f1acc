"""The provider's impact assessment of a plan: one current version, every earlier one kept."""
from __future__ import annotations

from flask import render_template, request
from werkzeug.wrappers import Response

from tracker.domain.assessments import AssessmentInput, AssessmentRejected, current_assessment, save_assessment
from tracker.provider import queries
from tracker.provider.blueprint import bp
from tracker.provider.forms import AssessmentForm
from tracker.web import access
from tracker.web.access import roles_required
from tracker.web.clock import today
from tracker.web.extensions import db
from tracker.web.forms import put_errors
from tracker.web.helpers import me, redirect_with_message


@bp.route("/plans/<hwb_code>/<year>/assessment", methods=["GET", "POST"])
@roles_required("provider")
def assessment(hwb_code: str, year: str) -> str | Response:
    """Give or update the provider's view of the plan's impact on it."""
    user = me()
    plan = access.plan_or_404(user, hwb_code, year)
    current = current_assessment(db.session, plan.id, user.provider_id)
    form = AssessmentForm(data={
        "emergency_admissions_change_pct": str(current.emergency_admissions_change_pct),
        "financial_impact_gbp": str(current.financial_impact_gbp), "agreement": current.agreement,
        "comments": current.comments} if current else None)
    if request.method == "POST" and form.validate():
        values = AssessmentInput(
            emergency_admissions_change_pct=form.emergency_admissions_change_pct.data or "",
            financial_impact_gbp=form.financial_impact_gbp.data or "", agreement=form.agreement.data or "",
            comments=form.comments.data or "")
        try:
            saved = save_assessment(db.session, user, plan, values, today=today())
        except AssessmentRejected as rejected:
            db.session.rollback()
            put_errors(form, rejected.errors)
        else:
            message = (f"Assessment saved as version {saved.version}." if saved is not current
                       else "Nothing had changed, so no new version was made.")
            return redirect_with_message("provider.plan", message, hwb_code=hwb_code, year=year)
    return render_template("provider/assessment.html", form=form, plan=plan, current=current,
                           versions=queries.assessment_versions(user, plan))
