"""Board membership: the current board and its history, adding a member, changing or ending a membership,
and the board's own figures beside its region's and England's (the board-membership statistics)."""
from __future__ import annotations

from flask import render_template
from werkzeug.wrappers import Response

from tracker.domain import comparisons, membership
from tracker.domain.membership import (
    MemberInput,
    MembershipRejected,
    add_member,
    change_member,
    footprint_codes,
    validate_member,
)
from tracker.hwb import queries
from tracker.hwb.blueprint import bp
from tracker.hwb.forms import MemberChangeForm, MemberForm
from tracker.models import HWB, Provider
from tracker.web.access import roles_required
from tracker.web.clock import today
from tracker.web.extensions import db
from tracker.web.forms import put_errors
from tracker.web.helpers import me, redirect_with_message


@bp.get("/members")
@roles_required("hwb")
def board() -> str:
    """The board today, its past and future members, and how it compares with other boards."""
    hwb: HWB = me().hwb
    day = today()
    members = queries.memberships(hwb.id)
    own = membership.board_figures(db.session, hwb.id, day)
    region = membership.board_membership_statistics(db.session, day, hwb.region)
    england = membership.board_membership_statistics(db.session, day, None)
    seats = membership.seats_on(members, day)
    return render_template(
        "hwb/board.html", hwb=hwb, today=day, own=own, region=region, england=england,
        current=seats.current, future=seats.future, past=seats.past,
        comparisons=comparisons.board_comparisons(own, region, england))


def _offer_providers(form: MemberForm | MemberChangeForm, hwb: HWB, keep: Provider | None = None) -> None:
    """The providers a member can represent: those serving the board (and the one it represents already)."""
    providers = {p.code: p for p in queries.footprint_providers(hwb.id)}
    if keep is not None:
        providers.setdefault(keep.code, keep)
    form.provider.choices = [("", "None: not representing a provider")] + [
        (code, f"{p.name} ({code}), {p.sector.replace('_', ' ')}")
        for code, p in sorted(providers.items(), key=lambda item: item[1].name)]


@bp.route("/members/new", methods=["GET", "POST"])
@roles_required("hwb")
def new_member() -> str | Response:
    """Add a member to the board."""
    user = me()
    form = MemberForm()
    _offer_providers(form, user.hwb)
    if form.is_submitted():
        form_ok = form.validate()
        member = MemberInput(member_name=form.member_name.data or "", seat=form.seat.data or "",
                             provider_code=form.provider.data or "", voting=form.voting.data or "",
                             start=form.start.data, end=form.end.data)
        if not form_ok:
            # Every problem at once: the service's rules, without saving anything.
            put_errors(form, validate_member(member, set(footprint_codes(db.session, user.hwb_id)), today=today()))
        else:
            try:
                record = add_member(db.session, user, member, today=today())
            except MembershipRejected as rejected:
                db.session.rollback()
                put_errors(form, rejected.errors)
            else:
                return redirect_with_message("hwb.board", f"{record.member_name} added to the board.")
    return render_template("hwb/member_form.html", form=form, hwb=user.hwb, member=None)


@bp.route("/members/<int:membership_id>", methods=["GET", "POST"])
@roles_required("hwb")
def change_membership(membership_id: int) -> str | Response:
    """Mark a member voting or not, link it to a provider, or end the membership on a date."""
    user = me()
    record = queries.membership_or_404(user, membership_id)
    form = MemberChangeForm(data={"provider": record.provider.code if record.provider else "",
                                  "voting": "yes" if record.voting else "no", "end": record.end})
    _offer_providers(form, user.hwb, record.provider)
    if form.validate_on_submit():
        try:
            changed = change_member(db.session, user, record, provider_code=form.provider.data or "",
                                    voting=form.voting.data or "", end=form.end.data, today=today())
        except MembershipRejected as rejected:
            db.session.rollback()
            record = queries.membership_or_404(user, membership_id)
            put_errors(form, rejected.errors)
        else:
            message = f"Changes to {record.member_name}'s membership saved." if changed else "Nothing was changed."
            return redirect_with_message("hwb.board", message, "success" if changed else "info")
    return render_template("hwb/member_form.html", form=form, hwb=user.hwb, member=record)
