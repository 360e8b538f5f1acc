"""The provider answers for itself: confirms or disputes its own participation in an event the board recorded, and
says whether its leadership took part, in the board's events and in other providers' events that name it."""
from __future__ import annotations

from flask import abort, render_template
from werkzeug.wrappers import Response
from wtforms import RadioField
from wtforms.validators import ValidationError

from tracker.domain.engagement import answers
from tracker.domain.engagement.service import EventRejected
from tracker.models import EngagementEvent, Participation, User
from tracker.provider import queries
from tracker.provider.blueprint import bp
from tracker.web.access import roles_required
from tracker.web.clock import today
from tracker.web.extensions import db
from tracker.web.forms import YES_NO, AnswerEventForm, StorableForm, put_errors
from tracker.web.helpers import me, redirect_with_message

LEADERSHIP_LABEL = "Did your organisation's leadership (board or executive) take part?"


class LeadershipForm(StorableForm):
    """A named provider states whether its own leadership took part."""

    leadership = RadioField(LEADERSHIP_LABEL, choices=YES_NO, validate_choice=False)

    def validate_leadership(self, field: RadioField) -> None:
        """Yes or no must be chosen."""
        if field.data not in ("yes", "no"):
            raise ValidationError("Select yes if your leadership took part")


class ProviderAnswerForm(AnswerEventForm):
    """Confirm or dispute the board's event, and (optionally) say whether the provider's leadership took part."""

    leadership = RadioField(LEADERSHIP_LABEL, choices=YES_NO, validate_choice=False)

    def validate_leadership(self, field: RadioField) -> None:
        """Yes, no, or not answered."""
        if field.data not in (None, "", "None", "yes", "no"):
            raise ValidationError("Select yes if your leadership took part")


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def _stated(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def own_participation(user: User, record: EngagementEvent) -> Participation | None:
    """The user's provider's participation in the event, if it is named."""
    return next((p for p in record.participations if p.provider_id == user.provider_id), None)


@bp.route("/events/<ref>/answer", methods=["GET", "POST"])
@roles_required("provider")
def answer_event(ref: str) -> str | Response:
    """Confirm or dispute an event the board recorded that names the provider, or say, in another provider's event
    that names it, whether its leadership took part."""
    user = me()
    record = queries.visible_event_or_404(user, ref)
    own = own_participation(user, record)
    if own is None:
        abort(403)
    confirms = answers.may_answer(user, own)
    if not confirms and not answers.may_state_leadership(user, own):
        abort(403)
    if record.withdrawn:
        return redirect_with_message("provider.event", "This event was withdrawn, so there is nothing to answer.",
                                     "info", ref=ref)
    if confirms:
        form = ProviderAnswerForm(data={"status": own.status if own.status != "unconfirmed" else None,
                                        "note": own.status_note, "leadership": _yes_no(own.leadership)})
    else:
        form = LeadershipForm(data={"leadership": _yes_no(own.leadership)})
    if form.validate_on_submit():
        try:
            if confirms:
                answers.answer(db.session, user, own, form.status.data, form.note.data or "",
                               leadership=_stated(form.leadership.data), today=today())
            else:
                answers.state_leadership(db.session, user, own, form.leadership.data == "yes")
        except EventRejected as rejected:
            db.session.rollback()
            put_errors(form, rejected.errors)
        else:
            if not confirms:
                return redirect_with_message("provider.event", "You said whether your leadership took part.", ref=ref)
            return redirect_with_message("provider.home", f"You {form.status.data} the event of {record.date.day} "
                                         f"{record.date:%B %Y} with {record.plan.hwb.name}.")
    providers = queries.providers_by_id({p.provider_id for p in record.participations})
    return render_template("provider/answer.html", form=form, event=record, plan=record.plan, providers=providers,
                           confirms=confirms)
