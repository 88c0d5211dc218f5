"""Case pages: the user's queue, the case list, one case and the actions on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from models import Case, User
from services import clock
from services.cases import apply, facts_of
from services.db import DatabaseTrouble
from services.errors import NotFound, StaleCase
from services.permissions import communities_for, has_queue, sees_full_pii, visible_case
from services.policy import current_policy
from services.queries import (
    SORTS,
    CaseFilter,
    CaseRecord,
    assignees_for,
    case_record,
    eligible_assignees,
    list_cases,
    my_queue,
    parse_month,
)
from services.validation import mask_id_number, mask_phone
from services.vocabulary import active_categories
from web import display, timeline
from web.auth import current_actor
from web.case_forms import TriggerForm, trigger_form
from web.converters import db_id
from web.database import db
from web.errors import form_again
from workflow import ENGINE, TRIGGERS, Availability, Refused, RiskLevel, Severity, State, Tier
from workflow.clocks import confirmation_window_closes, dated_left
from workflow.triggers import END

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
        file_incomplete=args.get("file_incomplete") in ("1", "y", "on"),
        due_within=_days(args.get("due_within")),
        month=month if parse_month(month) else None,
        q=(args.get("q") or "").strip()[:60],
        sort=sort if sort in SORTS else "newest",
    )


def _days(value: str | None) -> int | None:
    """A number of days from the query string (0–366), else None (a bad value is ignored like others)."""
    try:
        days = int(value or "")
    except ValueError:
        return None
    return days if 0 <= days <= 366 else None


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
        title=_("案件列表"),
        page=page,
        flt=flt,
        month_error=month_error,
        states=list(State),
        tiers=list(Tier),
        severities=list(Severity),
        categories=active_categories(db()),
        communities=communities_for(db(), actor),
        assignees=assignees_for(db(), actor),
        sorts=SORTS,
        due_soon_days=current_policy(db()).due_soon_days,
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
    return render_template("cases/mine.html", title=_("我的案件"), page=page, args={})


# --- one case ------------------------------------------------------------------------------------


@dataclass
class Step:
    """One trigger as the case page offers it: its form when it may fire now, else why not."""

    availability: Availability
    form: TriggerForm | None = None

    @property
    def trigger(self) -> str:
        return self.availability.trigger

    @property
    def ends_case(self) -> bool:
        return self.availability.step == END


@dataclass
class Steps:
    """The case page's steps: what the case waits for first, then the others, then those that end it."""

    expected: list[Step] = field(default_factory=list)
    others: list[Step] = field(default_factory=list)
    ending: list[Step] = field(default_factory=list)
    blocked: list[Step] = field(default_factory=list)
    unsent: Step | None = None  # a refused form whose step is no longer offered: what was typed stays


def _steps(case: Case, failed: TriggerForm | None) -> Steps:
    """Each trigger the case's state has: a form for those this user may fire now, else the reason."""
    facts = facts_of(db(), case)
    available = ENGINE.with_policy(current_policy(db())).available(
        facts, current_actor(), today=clock.local_date()
    )
    users: list[User] | None = None
    steps = Steps()
    for a in available:
        if not a.allowed:
            (steps.expected if a.expected else steps.blocked).append(Step(a))
            continue
        if failed is not None and failed.trigger_name == a.trigger:
            form = failed
        else:
            if users is None and TRIGGERS[a.trigger].picks_a_user():
                users = _assignees(case)
            form = trigger_form(a.trigger, version=case.version, users=users or [])
        step = Step(a, form)
        if a.expected:
            steps.expected.append(step)
        else:
            (steps.ending if a.step == END else steps.others).append(step)
    if failed is not None and not any(
        s.form is failed for s in (*steps.expected, *steps.others, *steps.ending)
    ):
        why = next(
            (s.availability for s in (*steps.expected, *steps.blocked) if s.trigger == failed.trigger_name),
            None,
        )
        label = TRIGGERS[failed.trigger_name].label
        steps.unsent = Step(why or Availability(failed.trigger_name, label, False), failed)
    return steps


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


def render_case(
    case: Case,
    *,
    failed: TriggerForm | None = None,
    problem: str | None = None,
    status: int = 200,
    attach: dict[str, Any] | None = None,
) -> tuple[str, int]:
    """The case page; after a refusal, with the refused form as typed and the reason at the top.
    ``attach``: what the attachments section shows again after its own refusal (web.attachments.section)."""
    record = case_record(db(), case)
    proposed = Severity(case.severity or case.severity_computed)
    html = render_template(
        "cases/show.html",
        title=display.case_number(case),
        r=record,
        case=case,
        steps=_steps(case, failed),
        failed=failed,
        problem=problem,
        **pii_shown(case),
        severity=proposed,
        tier=Tier(case.tier) if case.tier else proposed.tier,
        risk=RiskLevel(case.risk_level),
        overdue=display.is_overdue(case.deadline, case.state),
        confirmation_closes=_confirmation_closes(record),
        timeline=timeline.entries(record.events, record.users),
        **attachments.section(case, record.agreements, **(attach or {})),
    )
    return html, status


def _confirmation_closes(record: CaseRecord) -> str | None:
    """The last day to apply for judicial confirmation and how far off, while the case can still."""
    agreement = record.agreement
    if agreement is None or record.case.state != State.AGREED.value:
        return None
    if any(j.agreement_id == agreement.id for j in record.confirmations):
        return None
    closes = confirmation_window_closes(agreement.effective_on, current_policy(db()))
    return dated_left(closes, (closes - clock.local_date()).days)


@bp.get("/<int:case_id>")
@login_required
def show(case_id: int) -> tuple[str, int]:
    return render_case(load_case(case_id))


@bp.post("/<int:case_id>")
@login_required
def act(case_id: int) -> Any:
    """Fire the trigger the form names: load, check, validate, apply, then back to the case (303).

    A refusal of any kind — the form, a workflow guard, a stale version — answers on this same URL with
    the page and the refused form as typed, its messages beside their fields and summed up on top, so
    nothing typed is lost and a reload does not land on a POST-only address.
    """
    case = load_case(case_id)
    trigger = request.form.get("trigger", "")
    if trigger not in TRIGGERS:
        abort(404)
    label = TRIGGERS[trigger].label
    users = _assignees(case) if TRIGGERS[trigger].picks_a_user() else []
    form = trigger_form(trigger, version=case.version, users=users, formdata=request.form)
    if not form.validate():
        return _not_allowed(case, trigger, form) or render_case(
            case, failed=form, problem=_("请修改标出的内容后再提交。"), status=422
        )
    try:
        step = apply(
            session=db(),
            case_id=case.id or 0,
            trigger=trigger,
            actor=acting_user(),
            data=form.payload(),
            expected_version=form.version.data,
            who=current_actor(),
        )
    except StaleCase as stale:
        fresh = load_case(case_id)
        form.version.data = fresh.version
        blocked = _not_allowed(fresh, trigger, form)  # the case moved on: say why the step is gone, if it is
        if blocked:
            return blocked
        kept = _("您填写的内容已保留，请核对最新情况后再提交。")
        return render_case(fresh, failed=form, problem=f"{stale.message}{kept}", status=409)
    except NotFound:
        abort(404)
    except DatabaseTrouble as trouble:
        db().rollback()
        return form_again(trouble, lambda: render_case(load_case(case_id), failed=form)[0])
    except Refused as refused:
        if refused.field and refused.field in form:
            form[refused.field].errors = [*form[refused.field].errors, refused.message]
        return _not_allowed(case, trigger, form) or render_case(
            case,
            failed=form,
            problem=_("不能%(label)s：%(why)s", label=label, why=refused.message),
            status=422,
        )
    flash(_("已完成：%(label)s。", label=label), "success")
    for warning in step.warnings:
        flash(_("提醒：%(warning)s 已记录在办理经过中。", warning=warning), "warning")
    return redirect(url_for(".show", case_id=case.id), 303)


def _not_allowed(case: Case, trigger: str, form: TriggerForm) -> tuple[str, int] | None:
    """The page refusing a step this user may not take in the case's state (409), if so; None when the
    step itself is allowed and only what was typed is wrong. Asked only after a refusal: a step that
    goes through is checked once, inside ``apply``."""
    chosen = ENGINE.with_policy(current_policy(db())).availability(
        facts_of(db(), case), current_actor(), trigger
    )
    if chosen is not None and chosen.allowed:
        return None
    why = (
        chosen.reason
        if chosen
        else _("案件处于「%(state)s」状态，不能执行此操作。", state=display.state_label(case.state))
    )
    label = TRIGGERS[trigger].label
    return render_case(
        case, failed=form, problem=_("不能%(label)s：%(why)s", label=label, why=why), status=409
    )


from web import attachments, documents, intake  # noqa: E402,F401  (their routes live on this blueprint)
