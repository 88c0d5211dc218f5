"""Case pages: the user's queue, the case list, one case and the actions on it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required

from models import Case, User
from services.access import sees_full_pii, visible_case
from services.cases import apply, facts_of
from services.categories import active_categories
from services.errors import NotFound, StaleCase
from services.queries import (
    SORTS,
    CaseFilter,
    assignees_for,
    case_record,
    communities_for,
    eligible_assignees,
    has_queue,
    list_cases,
    my_queue,
    parse_month,
)
from services.validation import mask_id_number, mask_phone
from web import display
from web.auth import current_actor
from web.case_forms import TriggerForm, trigger_form
from web.converters import db_id
from web.database import db
from workflow import ENGINE, Refused, RiskLevel, Severity, State, Tier
from workflow.triggers import SPECS

bp = Blueprint("cases", __name__, url_prefix="/cases")


def load_case(case_id: int) -> Case:
    """The case if this user may see it, else 404 (never say whether it exists)."""
    case = visible_case(db(), current_actor(), case_id)
    if case is None:
        abort(404)
    return case


def acting_user() -> User:
    """The logged-in user's row in this request's session (what the services take as actor)."""
    user = db().get(User, current_actor().id)
    if user is None:
        abort(403)
    return user


def categories() -> list[str]:
    return active_categories(db())


# --- lists ---------------------------------------------------------------------------------------


def _one_of(value: str | None, enum: Any) -> str | None:
    return value if value in {e.value for e in enum} else None


def _filter_from_args() -> CaseFilter:
    args = request.args
    sort = args.get("sort", "newest")
    month = args.get("month", "").strip()
    return CaseFilter(
        state=_one_of(args.get("state"), State),
        tier=_one_of(args.get("tier"), Tier),
        severity=_one_of(args.get("severity"), Severity),
        category=(args.get("category") or "").strip()[:20] or None,
        community_id=args.get("community_id", type=db_id),
        assignee_id=args.get("assignee_id", type=db_id),
        overdue=args.get("overdue") in ("1", "y", "on"),
        month=month if parse_month(month) else None,
        q=(args.get("q") or "").strip()[:60],
        sort=sort if sort in SORTS else "newest",
    )


@bp.get("/")
@login_required
def index() -> str:
    actor = current_actor()
    flt = _filter_from_args()
    month_error = bool(request.args.get("month", "").strip()) and flt.month is None
    page = list_cases(
        db(),
        actor,
        flt,
        request.args.get("page", 1, type=int) or 1,
        int(current_app.config.get("PAGE_SIZE", 20)),
    )
    return render_template(
        "cases/list.html",
        title="案件列表",
        page=page,
        flt=flt,
        month_error=month_error,
        states=list(State),
        tiers=list(Tier),
        severities=list(Severity),
        categories=categories(),
        communities=communities_for(db(), actor),
        assignees=assignees_for(db(), actor),
        sorts=SORTS,
        args={k: v for k, v in request.args.items() if k != "page"},
    )


@bp.get("/mine")
@login_required
def mine() -> Any:
    actor = current_actor()
    if not has_queue(actor):
        return redirect(url_for(".index"))
    page = my_queue(
        db(),
        actor,
        page=request.args.get("page", 1, type=int) or 1,
        size=int(current_app.config.get("PAGE_SIZE", 20)),
    )
    return render_template("cases/mine.html", title="我的案件", page=page, args={})


# --- one case ------------------------------------------------------------------------------------


def _forms_for(case: Case, failed: TriggerForm | None) -> tuple[list[tuple[Any, TriggerForm]], list[Any]]:
    """A form for each trigger the user may fire now, and the others with the reason why not."""
    available = ENGINE.available(facts_of(db(), case), current_actor())
    users: list[User] | None = None
    forms, blocked = [], []
    for a in available:
        if not a.allowed:
            blocked.append(a)
            continue
        if failed is not None and failed.trigger_name == a.trigger:
            forms.append((a, failed))
            continue
        if users is None and _picks_a_user(a.trigger):
            users = _assignees(case)
        forms.append((a, trigger_form(a.trigger, version=case.version, users=users or [])))
    return forms, blocked


def _picks_a_user(trigger: str) -> bool:
    return any(f.kind == "user" for f in SPECS[trigger].fields)


def _assignees(case: Case) -> list[User]:
    """Who may be given this case: members of its community in its tier."""
    tier = Tier(case.tier) if case.tier else None
    return list(eligible_assignees(db(), community_id=case.community_id, tier=tier))


def pii_shown(case: Case) -> dict[str, Any]:
    """For a template: whether this user sees the parties' phones and ID numbers whole, and the two
    filters that show them (whole, or masked)."""
    full = sees_full_pii(current_actor(), case)
    return {
        "full_pii": full,
        "phone": (lambda v: v) if full else mask_phone,
        "id_number": (lambda v: v) if full else mask_id_number,
    }


def render_case(case: Case, *, failed: TriggerForm | None = None, status: int = 200) -> tuple[str, int]:
    record = case_record(db(), case)
    forms, blocked = _forms_for(case, failed)
    proposed = Severity(case.severity or case.severity_computed)
    html = render_template(
        "cases/show.html",
        title=case.number or "未受理案件",
        r=record,
        case=case,
        forms=forms,
        blocked=blocked,
        failed=failed,
        **pii_shown(case),
        severity=proposed,
        tier=Tier(case.tier) if case.tier else proposed.tier,
        risk=RiskLevel(case.risk_level),
        overdue=display.is_overdue(case.deadline, case.state),
        event_details=display.event_details,
    )
    return html, status


@bp.get("/<int:case_id>")
@login_required
def show(case_id: int) -> tuple[str, int]:
    return render_case(load_case(case_id))


@bp.post("/<int:case_id>/fire/<trigger>")
@login_required
def fire(case_id: int, trigger: str) -> Any:
    """Load, check, validate the form, apply the trigger, redirect (303)."""
    if trigger not in SPECS:
        abort(404)
    case = load_case(case_id)
    back = redirect(url_for(".show", case_id=case.id), 303)
    label = SPECS[trigger].label
    chosen = ENGINE.availability(facts_of(db(), case), current_actor(), trigger)
    if chosen is None or not chosen.allowed:
        why = chosen.reason if chosen else f"案件处于「{display.state_label(case.state)}」状态，不能{label}。"
        flash(f"不能执行「{label}」：{why}", "error")
        return back
    users = _assignees(case) if _picks_a_user(trigger) else []
    form = trigger_form(trigger, version=case.version, users=users, formdata=request.form)
    if not form.validate():
        return render_case(case, failed=form, status=422)
    try:
        apply(
            session=db(),
            case_id=case.id or 0,
            trigger=trigger,
            actor=acting_user(),
            data=form.payload(),
            expected_version=form.version.data,
            who=current_actor(),
        )
    except StaleCase as stale:
        flash(stale.message, "error")
        return back
    except NotFound:
        abort(404)
    except Refused as refused:
        if refused.field and refused.field in form:
            form[refused.field].errors = [*form[refused.field].errors, refused.message]
            return render_case(case, failed=form, status=422)
        flash(f"不能执行「{label}」：{refused.message}", "error")
        return back
    flash(f"已完成：{label}。", "success")
    return back


from web import documents, intake  # noqa: E402,F401  (their routes live on this blueprint)
