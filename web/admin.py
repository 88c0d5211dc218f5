"""Administration (admin role only): users, communities, the vocabulary (categories, sources), the triage
policy and API clients."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import col, select
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from models import AdminEvent, ApiClient, Community, Term, TermKind, User, UserCommunity
from services.api_clients import clients, create_client, revoke_client
from services.communities import create_community, update_community
from services.db import DatabaseTrouble
from services.errors import Invalid
from services.permissions import may_administer
from services.policy import current_policy, update_policy
from services.queries import user_names
from services.users import create_user, new_password, set_password, update_user
from services.vocabulary import (
    active_categories,
    active_sources,
    all_terms,
    create_term,
    entries,
    names_by_id,
    update_term,
)
from web.admin_forms import (
    POLICY_FIELDS,
    ActionForm,
    ApiClientForm,
    CategoryEditForm,
    CategoryForm,
    CommunityForm,
    PolicyForm,
    UserCreateForm,
    UserEditForm,
    options,
)
from web.auth import current_actor, renew_login
from web.base_form import SiteForm
from web.database import db
from web.errors import form_again
from workflow import Role
from workflow.labels import ADMIN_ACTION_LABELS, API_SCOPE_LABELS, ROLE_LABELS, VOCABULARY_LABELS
from workflow.triage import CATEGORY_RULES

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def require_admin() -> None:
    """Anonymous visitors were already sent to the login page; everyone else needs the admin role."""
    if not current_user.is_authenticated or not may_administer(current_actor()):
        abort(403)


@bp.context_processor
def labels() -> dict[str, Any]:
    return {
        "ROLE_LABELS": ROLE_LABELS,
        "ACTION_LABELS": ADMIN_ACTION_LABELS,
    }


def _show_invalid(form: SiteForm, why: Invalid) -> None:
    """Put a service's refusal next to its field, or at the top of the page."""
    field = form._fields.get(why.field or "")
    if field is not None:
        field.errors = [*field.errors, why.message]
    else:
        flash(why.message, "error")


def _events(limit: int, action: str | None = None) -> list[tuple[AdminEvent, str]]:
    query = select(AdminEvent).order_by(col(AdminEvent.at).desc(), col(AdminEvent.id).desc()).limit(limit)
    if action:
        query = query.where(AdminEvent.action == action)
    rows = db().exec(query).all()
    names = user_names(db(), (e.actor_id for e in rows))
    return [(e, names.get(e.actor_id or 0, _("系统"))) for e in rows]


@bp.get("/")
def index() -> str:
    session = db()
    counts = {
        "users": len(session.exec(select(User.id)).all()),
        "communities": len(session.exec(select(Community.id)).all()),
        "categories": len(active_categories(session)),
        "sources": len(active_sources(session)),
    }
    return render_template("admin/index.html", counts=counts, events=_events(30), title=_("系统管理"))


# --- users ----------------------------------------------------------------------------------------------
def _communities() -> list[Community]:
    return list(db().exec(select(Community).order_by(col(Community.name))).all())


def _community_choices() -> list[SelectChoice]:
    return options(
        (c.id, _("%(name)s（%(short)s）", name=c.name, short=c.short_name)) for c in _communities()
    )


def _memberships() -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for row in db().exec(select(UserCommunity)).all():
        out[row.user_id].append(row.community_id)
    return out


def _user_or_404(user_id: int) -> User:
    """A person's account (an API client's acting user is managed on the clients' page)."""
    user = db().get(User, user_id)
    if user is None or user.kind != "person":
        abort(404)
    return user


@bp.get("/users")
def users() -> str:
    people = select(User).where(User.kind == "person")
    rows = db().exec(people.order_by(col(User.active).desc(), col(User.username))).all()
    names = {c.id: c.name for c in _communities()}
    return render_template(
        "admin/users.html",
        users=rows,
        memberships=_memberships(),
        community_names=names,
        action_form=ActionForm(),
        title=_("用户"),
    )


@bp.route("/users/new", methods=["GET", "POST"])
def user_new() -> Any:
    form = UserCreateForm()
    form.communities.choices = _community_choices()

    def page() -> str:
        return render_template("admin/user_form.html", form=form, user=None)

    if not form.validate_on_submit():
        return page(), 422 if form.errors else 200
    password = form.password.data or new_password()
    try:
        user = create_user(
            session=db(),
            username=form.username.data or "",
            display_name=form.display_name.data or "",
            password=password,
            roles=form.roles.data or [],
            community_ids=form.communities.data or [],
            actor_id=current_user.id,
            hash_method=current_app.config["PASSWORD_HASH_METHOD"],
        )
    except Invalid as why:
        _show_invalid(form, why)
        return page(), 422
    except DatabaseTrouble as trouble:
        return form_again(trouble, page)
    shown = None if form.password.data else password
    return _password_page(user, shown, _("已创建用户。"))


def _password_page(user: User, password: str | None, message: str) -> str:
    """The password shown once (no browser keeps a copy: web.security sends no-store on every page)."""
    return render_template("admin/password_shown.html", user=user, password=password, message=message)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id: int) -> Any:
    user = _user_or_404(user_id)
    data = {
        "display_name": user.display_name,
        "roles": user.role_list,
        "communities": _memberships()[user_id],
    }
    form = UserEditForm(data=data)
    form.communities.choices = _community_choices()
    page = {"form": form, "user": user, "action_form": ActionForm(), "title": _("修改用户")}
    if not form.validate_on_submit():
        return render_template("admin/user_form.html", **page), 422 if form.errors else 200
    roles = form.roles.data or []
    if user.id == current_user.id and Role.ADMIN.value not in roles:
        form.roles.errors = [_("不能取消自己的系统管理员角色。")]
        return render_template("admin/user_form.html", **page), 422
    try:
        update_user(
            session=db(),
            user_id=user_id,
            actor_id=current_user.id,
            display_name=form.display_name.data or "",
            roles=roles,
            community_ids=form.communities.data or [],
        )
    except Invalid as why:
        _show_invalid(form, why)
        return render_template("admin/user_form.html", **page), 422
    except DatabaseTrouble as trouble:
        return form_again(trouble, lambda: render_template("admin/user_form.html", **page))
    flash(_("已保存用户 %(name)s。", name=user.username), "success")
    return redirect(url_for("admin.users"), 303)


@bp.post("/users/<int:user_id>/deactivate")
def user_deactivate(user_id: int) -> Response:
    return _set_active(user_id, False)


@bp.post("/users/<int:user_id>/reactivate")
def user_reactivate(user_id: int) -> Response:
    return _set_active(user_id, True)


def _set_active(user_id: int, active: bool) -> Response:
    user = _user_or_404(user_id)
    if ActionForm().validate_on_submit():
        if user.id == current_user.id and not active:
            flash(_("不能停用自己的账号。"), "error")
        else:
            update_user(session=db(), user_id=user_id, actor_id=current_user.id, active=active)
            message = (
                _("已启用 %(name)s。", name=user.username)
                if active
                else _("已停用 %(name)s。", name=user.username)
            )
            flash(message, "success")
    return redirect(url_for("admin.users"), 303)


@bp.post("/users/<int:user_id>/password")
def user_reset_password(user_id: int) -> Response | str:
    user = _user_or_404(user_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("admin.users"), 303)
    password = new_password()
    set_password(
        session=db(),
        user_id=user_id,
        password=password,
        actor_id=current_user.id,
        hash_method=current_app.config["PASSWORD_HASH_METHOD"],
    )  # ends every session of that user
    if user_id == current_user.id:
        renew_login(user_id)
    return _password_page(user, password, _("已重置密码，该用户的所有登录已退出。"))


# --- communities ----------------------------------------------------------------------------------------
@bp.get("/communities")
def communities() -> str:
    return render_template("admin/communities.html", communities=_communities(), title=_("社区"))


@bp.route("/communities/new", methods=["GET", "POST"])
def community_new() -> Any:
    form = CommunityForm()

    def page() -> str:
        return render_template("admin/community_form.html", form=form, community=None)

    if form.validate_on_submit():
        try:
            create_community(
                session=db(),
                name=form.name.data or "",
                short_name=form.short_name.data or "",
                street=form.street.data or "",
                actor_id=current_user.id,
            )
        except Invalid as why:
            _show_invalid(form, why)
        except DatabaseTrouble as trouble:
            return form_again(trouble, page)
        else:
            flash(_("已新建社区。"), "success")
            return redirect(url_for("admin.communities"), 303)
    return page(), 422 if form.errors else 200


@bp.route("/communities/<int:community_id>", methods=["GET", "POST"])
def community_edit(community_id: int) -> Any:
    community = db().get(Community, community_id)
    if community is None:
        abort(404)
    form = CommunityForm(obj=community)

    def page() -> str:
        return render_template("admin/community_form.html", form=form, community=community)

    if form.validate_on_submit():
        try:
            update_community(
                session=db(),
                community_id=community_id,
                name=form.name.data or "",
                short_name=form.short_name.data or "",
                street=form.street.data or "",
                actor_id=current_user.id,
            )
        except Invalid as why:
            _show_invalid(form, why)
        except DatabaseTrouble as trouble:
            return form_again(trouble, page)
        else:
            flash(_("已保存社区。"), "success")
            return redirect(url_for("admin.communities"), 303)
    return page(), 422 if form.errors else 200


# --- the vocabulary: categories and sources -------------------------------------------------------------
PLURALS = {"categories": TermKind.CATEGORY, "sources": TermKind.SOURCE}


def _kind(plural: str) -> TermKind:
    if plural not in PLURALS:
        abort(404)
    return PLURALS[plural]


def _terms_page(plural: str, form: CategoryForm | None = None, status: int = 200) -> tuple[str, int]:
    kind = _kind(plural)
    page = render_template(
        "admin/vocabulary.html",
        terms=all_terms(db(), kind),
        plural=plural,
        kind_label=VOCABULARY_LABELS[kind.value],
        form=form or CategoryForm(),
        action_form=ActionForm(),
        title=str(VOCABULARY_LABELS[kind.value]),
    )
    return page, status


@bp.get("/<plural>")
def terms(plural: str) -> tuple[str, int]:
    return _terms_page(plural)


@bp.post("/<plural>")
def term_new(plural: str) -> Any:
    kind = _kind(plural)
    form = CategoryForm()
    if not form.validate_on_submit():
        return _terms_page(plural, form, 422)
    try:
        create_term(session=db(), kind=kind, name=form.name.data or "", actor_id=current_user.id)
    except Invalid as why:
        _show_invalid(form, why)
        return _terms_page(plural, form, 422)
    except DatabaseTrouble as trouble:
        return form_again(trouble, lambda: _terms_page(plural, form)[0])
    flash(_("已新增%(kind)s。", kind=VOCABULARY_LABELS[kind.value]), "success")
    return redirect(url_for("admin.terms", plural=plural), 303)


def _term_or_404(plural: str, term_id: int) -> Term:
    term = db().get(Term, term_id)
    if term is None or term.kind != _kind(plural).value:
        abort(404)
    return term


@bp.route("/<plural>/<int:term_id>", methods=["GET", "POST"])
def term_edit(plural: str, term_id: int) -> Any:
    term = _term_or_404(plural, term_id)
    label = VOCABULARY_LABELS[term.kind]
    form = CategoryEditForm(obj=term)

    def page() -> str:
        return render_template(
            "admin/term_form.html", form=form, term=term, plural=plural, kind_label=label, title=_("修改")
        )

    if form.validate_on_submit():
        try:
            update_term(
                session=db(),
                term_id=term_id,
                actor_id=current_user.id,
                name=form.name.data,
                position=form.position.data,
            )
        except Invalid as why:
            _show_invalid(form, why)
        except DatabaseTrouble as trouble:
            return form_again(trouble, page)
        else:
            flash(_("已保存%(kind)s。", kind=label), "success")
            return redirect(url_for("admin.terms", plural=plural), 303)
    return page(), 422 if form.errors else 200


@bp.post("/<plural>/<int:term_id>/activate")
def term_activate(plural: str, term_id: int) -> Response:
    return _set_term_active(plural, term_id, True)


@bp.post("/<plural>/<int:term_id>/deactivate")
def term_deactivate(plural: str, term_id: int) -> Response:
    return _set_term_active(plural, term_id, False)


def _set_term_active(plural: str, term_id: int, active: bool) -> Response:
    _term_or_404(plural, term_id)
    if ActionForm().validate_on_submit():
        try:
            update_term(session=db(), term_id=term_id, actor_id=current_user.id, active=active)
        except Invalid as why:
            flash(why.message, "error")
        else:
            flash(_("已启用。") if active else _("已停用。"), "success")
    return redirect(url_for("admin.terms", plural=plural), 303)


# --- triage policy --------------------------------------------------------------------------------------
@bp.route("/policy", methods=["GET", "POST"])
def policy() -> Any:
    current = current_policy(db()).as_dict()
    data = {name: current[name] for name in POLICY_FIELDS}
    data.update(
        major_amount=Decimal(current["major_amount"]), general_amount=Decimal(current["general_amount"])
    )
    form = PolicyForm(data=data)
    known = names_by_id(db(), TermKind.CATEGORY)
    active = {e.id for e in entries(db(), TermKind.CATEGORY) if e.active}
    for name in CATEGORY_RULES:
        # Every active category, and any in the rule now that was deactivated since.
        shown = [i for i in known if i in active or i in current[name]]
        getattr(form, name).choices = options((i, known[i]) for i in shown)

    def page() -> str:
        return render_template(
            "admin/policy.html",
            form=form,
            current={**current, **{k: [known.get(i, i) for i in current[k]] for k in CATEGORY_RULES}},
            history=_events(50, "update_policy"),
            title=_("分级规则"),
        )

    if form.validate_on_submit():
        try:
            update_policy(
                session=db(),
                actor=current_actor(),
                values=form.policy_values(),
                reason=form.reason.data or "",
            )
        except Invalid as why:
            _show_invalid(form, why)
        except DatabaseTrouble as trouble:
            return form_again(trouble, page)
        else:
            flash(_("分级规则已修改，之后登记的纠纷按新规则分级。"), "success")
            return redirect(url_for("admin.policy"), 303)
    return page(), 422 if form.errors else 200


# --- API clients ----------------------------------------------------------------------------------------
def _clients_page(form: ApiClientForm | None = None, status: int = 200) -> tuple[str, int]:
    form = form or ApiClientForm()
    form.communities.choices = options((c.id, c.name) for c in _communities())
    rows = clients(db())
    names = {c.id: c.name for c in _communities()}
    page = render_template(
        "admin/api_clients.html",
        rows=rows,
        community_names=names,
        form=form,
        action_form=ActionForm(),
        scopes=API_SCOPE_LABELS,
        title=_("接口客户端"),
    )
    return page, status


@bp.get("/api-clients")
def api_clients() -> tuple[str, int]:
    return _clients_page()


@bp.post("/api-clients")
def api_client_new() -> Any:
    form = ApiClientForm()
    form.communities.choices = options((c.id, c.name) for c in _communities())
    if not form.validate_on_submit():
        return _clients_page(form, 422)
    try:
        issued = create_client(
            session=db(),
            name=form.name.data or "",
            community_ids=form.communities.data or [],
            scope=form.scope.data or "",
            role=form.role.data or "",
            actor_id=current_user.id,
        )
    except Invalid as why:
        _show_invalid(form, why)
        return _clients_page(form, 422)
    except DatabaseTrouble as trouble:
        return form_again(trouble, lambda: _clients_page(form)[0])
    # Shown once: no browser keeps a copy (web.security sends no-store on every page).
    return render_template(
        "admin/api_token_shown.html", client=issued.client, token=issued.token, scopes=API_SCOPE_LABELS
    )


@bp.post("/api-clients/<int:client_id>/revoke")
def api_client_revoke(client_id: int) -> Response:
    if db().get(ApiClient, client_id) is None:
        abort(404)
    if ActionForm().validate_on_submit():
        client = revoke_client(session=db(), client_id=client_id, actor_id=current_user.id)
        flash(_("已吊销 %(name)s 的令牌。", name=client.name), "success")
    return redirect(url_for("admin.api_clients"), 303)


from web import desk_admin  # noqa: E402,F401  (holiday overrides and the delivery log live on this blueprint)
