"""Peer matching: strong boards a weak or insufficient plan's board could be paired with, and why."""
from __future__ import annotations

from flask import render_template
from flask_login import current_user

from tracker.assurance import queries
from tracker.assurance.blueprint import bp
from tracker.assurance.review import peer_suggestions
from tracker.web.access import plan_or_404, roles_required
from tracker.web.clock import today


@bp.get("/plans/<hwb_code>/<year>/peers")
@roles_required("assurer", "admin")
def peers(hwb_code: str, year: str) -> str:
    """Up to three suggested peer boards with their reasons; choosing one carries it into the review form."""
    record = plan_or_404(current_user, hwb_code, year)
    figures = queries.plan_evidence(record, today())
    return render_template("assurance/peers.html", plan=record, evidence=figures,
                           suggestions=peer_suggestions(record, figures.rating),
                           latest_match=queries.latest_peer_match(record.id))
