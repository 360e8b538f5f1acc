"""Admins keep the providers (code, name, sector, footprint; closing one that has ceased) and the boards (name,
region). The rules are the domain's (tracker.domain.organisations); these views only show and ask."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, render_template, request
from werkzeug.wrappers import Response
from wtforms import HiddenField, RadioField, SelectField, StringField

from tracker.admin.blueprint import bp
from tracker.domain import organisations, vocab
from tracker.domain.errors import Rejected
from tracker.models import HWB, Provider
from tracker.web.access import roles_required
from tracker.web.clock import today
from tracker.web.extensions import db
from tracker.web.forms import DateField, EmptyForm, MultiCheckboxField, StorableForm, put_errors
from tracker.web.helpers import me, page_number, redirect_with_message
from tracker.web.submissions import Remember, new_token, submit_once


class ProviderForm(StorableForm):
    """A provider: its code and the kind of code, name, sector and the boards it serves."""

    code_kind = RadioField("Kind of code", choices=[(k, v[1]) for k, v in organisations.CODE_KINDS.items()],
                           validate_choice=False)
    code = StringField("Code")
    name = StringField("Name")
    sector = SelectField("Sector", choices=[("", "Choose a sector"), *vocab.SECTORS.items()], validate_choice=False)
    footprint = MultiCheckboxField("Boards whose area it serves (its footprint)", validate_choice=False)
    submission = HiddenField()


class BoardForm(StorableForm):
    """A board's name and region."""

    name = StringField("Name")
    region = RadioField("Region", choices=list(vocab.REGIONS.items()), validate_choice=False)


class CloseForm(StorableForm):
    """The day a provider ceased."""

    closed_on = DateField("Date it closed", required=False)


def _search() -> str:
    """What was typed in the search box (printable characters only, as PostgreSQL refuses NUL)."""
    return "".join(ch for ch in request.args.get("q", "") if ch.isprintable()).strip()[:100]


def _with_boards(form: ProviderForm) -> ProviderForm:
    form.footprint.choices = [(code, f"{name} ({code})") for code, name in
                              db.session.execute(sa.select(HWB.code, HWB.name).order_by(HWB.name)).tuples()]
    return form


def _given(form: ProviderForm) -> organisations.ProviderInput:
    return organisations.ProviderInput(code=(form.code.data or "").strip().upper(), code_kind=form.code_kind.data or "",
                                       name=form.name.data or "", sector=form.sector.data or "",
                                       footprint=tuple(form.footprint.data or ()))


@bp.get("/organisations")
@roles_required("admin")
def organisations_list() -> str:
    """Every provider, fifty to a page, optionally found by name or code."""
    query = sa.select(Provider).order_by(Provider.name, Provider.code)
    search = _search()
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(sa.or_(sa.func.lower(Provider.name).like(pattern),
                                   sa.func.lower(Provider.code).like(pattern)))
    page = db.paginate(query, page=page_number(), per_page=50, error_out=False)
    return render_template("admin/organisations.html", page=page, search=search)


@bp.route("/organisations/providers/new", methods=["GET", "POST"])
@roles_required("admin")
def new_provider() -> str | Response:
    """Add a provider with its footprint."""
    form = _with_boards(ProviderForm())
    if request.method == "GET":
        form.submission.data = new_token()
    elif form.validate_on_submit():
        def save(remember: Remember) -> str | None:
            try:
                provider = organisations.add_provider(db.session, _given(form), actor=me())
            except Rejected as rejected:
                db.session.rollback()
                put_errors(form, rejected.errors)
                return None
            remember(str(provider.id))
            return str(provider.id)

        ref, _ = submit_once(me(), "admin:add-provider", form.submission.data or "", save)
        if ref is not None:
            return redirect_with_message("admin.edit_provider", "Provider added.", provider_id=int(ref))
    return render_template("admin/organisations_provider.html", form=form, provider=None), \
        400 if form.errors else 200


@bp.route("/organisations/providers/<int:provider_id>", methods=["GET", "POST"])
@roles_required("admin")
def edit_provider(provider_id: int) -> str | Response:
    """Change a provider's code, name, sector and footprint; close it or reopen it."""
    provider = db.get_or_404(Provider, provider_id)
    form = ProviderForm(data={"code_kind": organisations.code_kind_of(provider.code), "code": provider.code,
                              "name": provider.name, "sector": provider.sector,
                              "footprint": [hwb.code for hwb in provider.footprint]})
    _with_boards(form)
    if form.validate_on_submit():
        try:
            changed = organisations.change_provider(db.session, provider, _given(form), actor=me())
        except Rejected as rejected:
            db.session.rollback()
            put_errors(form, rejected.errors)
        else:
            return redirect_with_message("admin.edit_provider", "Changes saved." if changed else "Nothing changed.",
                                         "success" if changed else "info", provider_id=provider_id)
    return render_template("admin/organisations_provider.html", form=form, provider=provider,
                           close_form=CloseForm(formdata=None)), 400 if form.errors else 200


@bp.post("/organisations/providers/<int:provider_id>/close")
@roles_required("admin")
def close_provider(provider_id: int) -> str | Response:
    """Record that a provider has ceased; its history and footprint stay."""
    provider = db.get_or_404(Provider, provider_id)
    close_form = CloseForm()
    if close_form.validate_on_submit():
        try:
            organisations.close_provider(db.session, provider, close_form.closed_on.data, today(), actor=me())
            return redirect_with_message("admin.edit_provider", f"{provider.name} is closed.",
                                         provider_id=provider_id)
        except Rejected as rejected:
            db.session.rollback()
            put_errors(close_form, rejected.errors)
    form = _with_boards(ProviderForm(formdata=None, data={
        "code_kind": organisations.code_kind_of(provider.code), "code": provider.code, "name": provider.name,
        "sector": provider.sector, "footprint": [hwb.code for hwb in provider.footprint]}))
    return render_template("admin/organisations_provider.html", form=close_form, edit_form=form,
                           provider=provider, close_form=close_form), 400


@bp.post("/organisations/providers/<int:provider_id>/reopen")
@roles_required("admin")
def reopen_provider(provider_id: int) -> Response:
    """Undo a closure made in error."""
    provider = db.get_or_404(Provider, provider_id)
    if EmptyForm().validate_on_submit() and provider.closed_on is not None:
        organisations.reopen_provider(db.session, provider, actor=me())
        return redirect_with_message("admin.edit_provider", f"{provider.name} is open again.", provider_id=provider_id)
    return redirect_with_message("admin.edit_provider", "Nothing changed.", "info", provider_id=provider_id)


@bp.get("/organisations/boards")
@roles_required("admin")
def boards() -> str:
    """Every health and wellbeing board, by region."""
    rows = db.session.scalars(sa.select(HWB).order_by(HWB.region, HWB.name)).all()
    return render_template("admin/organisations_boards.html", boards=rows)


@bp.route("/organisations/boards/<hwb_code>", methods=["GET", "POST"])
@roles_required("admin")
def edit_board(hwb_code: str) -> str | Response:
    """Rename a board or move it to another region."""
    if len(hwb_code) != 9 or not hwb_code.isalnum():
        abort(404)  # not a board code: nothing to look up
    hwb = db.one_or_404(sa.select(HWB).where(HWB.code == hwb_code))
    form = BoardForm(data={"name": hwb.name, "region": hwb.region})
    if form.validate_on_submit():
        try:
            changed = organisations.change_board(db.session, hwb, form.name.data or "", form.region.data or "",
                                                 actor=me())
        except Rejected as rejected:
            db.session.rollback()
            put_errors(form, rejected.errors)
        else:
            return redirect_with_message("admin.boards", f"{hwb.name}: changes saved." if changed else
                                         "Nothing changed.", "success" if changed else "info")
    return render_template("admin/organisations_board.html", form=form, hwb=hwb), 400 if form.errors else 200
