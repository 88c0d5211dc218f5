"""Administration pages: who may open them, and every form with good and bad input (nothing half-saved)."""

from __future__ import annotations

import html
import re
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from models import AdminEvent, Community, Setting, Term, User, UserCommunity
from services.policy import current_policy
from services.vocabulary import active_categories, active_sources
from tests.factories import PASSWORD
from tests.web.case_helpers import login, text, token_from

ROLES = ["staff", "volunteer", "mediator", "judge", "leader", "admin"]


def _state(session: Session) -> dict[str, Any]:
    """Everything the admin pages can change, to compare before and after a refused request."""
    session.rollback()  # end any open read, so what follows sees the latest commits
    out = {
        "users": sorted(
            (u.username, u.display_name, u.roles, u.active, u.password_hash)
            for u in session.exec(select(User))
        ),
        "members": sorted((m.user_id, m.community_id) for m in session.exec(select(UserCommunity))),
        "communities": sorted((c.name, c.short_name, c.street) for c in session.exec(select(Community))),
        "vocabulary": sorted((t.kind, t.name, t.active, t.position) for t in session.exec(select(Term))),
        "settings": sorted((s.key, repr(s.value)) for s in session.exec(select(Setting))),
        "events": session.exec(select(func.count()).select_from(AdminEvent)).one(),
    }
    session.rollback()
    return out


@pytest.fixture
def world(factory):
    """A community, one user per role, a category row and the ids the admin routes take."""
    community = factory.default_community()
    users = {role: factory.user(role, communities=[community]) for role in ROLES}
    from models import TermKind
    from services.vocabulary import create_term

    category = create_term(session=factory.session, kind=TermKind.CATEGORY, name="新类型")
    return {"community": community, "users": users, "category": category}


@pytest.fixture
def client_factory(app):
    """More browsers on the same site (another user's session)."""
    return app.test_client


@pytest.fixture
def admin_client(client, world):
    login(client, world["users"]["admin"])
    return client


def _routes(world) -> tuple[list[str], list[str]]:
    uid = world["users"]["staff"].id
    cid = world["community"].id
    kid = world["category"].id
    gets = [
        "/admin/",
        "/admin/users",
        "/admin/users/new",
        f"/admin/users/{uid}",
        "/admin/communities",
        "/admin/communities/new",
        f"/admin/communities/{cid}",
        "/admin/categories",
        f"/admin/categories/{kid}",
        "/admin/sources",
        "/admin/policy",
    ]
    posts = [
        "/admin/users/new",
        f"/admin/users/{uid}",
        f"/admin/users/{uid}/deactivate",
        f"/admin/users/{uid}/reactivate",
        f"/admin/users/{uid}/password",
        "/admin/communities/new",
        f"/admin/communities/{cid}",
        "/admin/categories",
        "/admin/sources",
        f"/admin/categories/{kid}",
        f"/admin/categories/{kid}/activate",
        f"/admin/categories/{kid}/deactivate",
        "/admin/policy",
    ]
    return gets, posts


# --- who may open what ----------------------------------------------------------------------------------
@pytest.mark.parametrize("role", [*ROLES, None])
def test_permission_matrix(client, world, app_session, role):
    gets, posts = _routes(world)
    if role is not None:
        login(client, world["users"][role])
        token = token_from(client, "/settings")
    else:
        token = token_from(client, "/login")
    expected_get = {None: 302, "admin": 200}.get(role, 403)
    for url in gets:
        resp = client.get(url)
        assert resp.status_code == expected_get, (role, url, resp.status_code)
        if role is None:
            assert "/login" in resp.headers["Location"]
    if role == "admin":
        return
    before = _state(app_session)
    for url in posts:
        resp = client.post(url, data={"csrf_token": token, "name": "x", "reason": "x"})
        assert resp.status_code == (302 if role is None else 403), (role, url, resp.status_code)
    assert _state(app_session) == before


def test_nav_shows_admin_link_only_to_admins(client, world):
    login(client, world["users"]["staff"])
    assert 'href="/admin/"' not in text(client.get("/workflow"))
    client.post("/logout", data={"csrf_token": token_from(client, "/settings")})
    login(client, world["users"]["admin"])
    assert 'href="/admin/"' in text(client.get("/workflow"))


# --- users ----------------------------------------------------------------------------------------------
def _create_user(client, **overrides):
    token = token_from(client, "/admin/users/new")
    data = {"username": "newbie", "display_name": "新人", "roles": ["mediator"], "csrf_token": token}
    data.update(overrides)
    return client.post("/admin/users/new", data=data)


def test_create_user_shows_a_random_password_once_and_it_works(admin_client, world, app_session):
    cid = world["community"].id
    resp = _create_user(admin_client, roles=["mediator", "volunteer"], communities=[str(cid)])
    assert resp.status_code == 200
    assert resp.headers["Cache-Control"] == "no-store"
    password = re.search(r'data-testid="new-password"><code>([^<]+)</code>', text(resp)).group(1)
    app_session.rollback()
    user = app_session.exec(select(User).where(User.username == "newbie")).one()
    assert user.roles == "mediator,volunteer"
    assert app_session.exec(
        select(UserCommunity.community_id).where(UserCommunity.user_id == user.id)
    ).all() == [cid]
    event = app_session.exec(select(AdminEvent).where(AdminEvent.action == "create_user")).all()[-1]
    assert event.target == "newbie" and event.actor_id == world["users"]["admin"].id
    assert password not in text(admin_client.get("/admin/users"))
    admin_client.post("/logout", data={"csrf_token": token_from(admin_client, "/settings")})
    token = token_from(admin_client, "/login")
    resp = admin_client.post("/login", data={"username": "newbie", "password": password, "csrf_token": token})
    assert resp.status_code == 302


def test_create_user_with_a_chosen_password_does_not_show_it(admin_client, app_session):
    resp = _create_user(admin_client, password="chosen-pass-1")
    assert resp.status_code == 200
    assert "chosen-pass-1" not in text(resp)
    assert "已使用您设置的初始密码" in text(resp)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"username": ""}, "请填写用户名"),
        ({"username": "u" * 51}, "用户名不超过 50 个字符"),
        ({"username": "有 空格"}, "用户名只能包含字母"),
        ({"username": "<script>"}, "用户名只能包含字母"),
        ({"display_name": ""}, "请填写姓名"),
        ({"display_name": "   "}, "请填写姓名"),
        ({"display_name": "名" * 51}, "姓名不超过 50 个字"),
        ({"roles": []}, "至少选择一个角色"),
        ({"roles": ["superuser"]}, "所选项目无效"),
        ({"communities": ["99999"]}, "所选项目无效"),
        ({"communities": ["abc"]}, "所选项目无效"),
        ({"password": "short"}, "密码须为 8–200 个字符"),
    ],
)
def test_create_user_refuses_bad_input(admin_client, app_session, overrides, message):
    before = _state(app_session)
    resp = _create_user(admin_client, **overrides)
    assert resp.status_code == 422
    assert message in text(resp)
    assert _state(app_session) == before


def test_create_user_refuses_a_taken_username_and_escapes_what_was_typed(admin_client, world, app_session):
    before = _state(app_session)
    taken = world["users"]["staff"].username
    resp = _create_user(admin_client, username=taken, display_name="<script>alert(1)</script>")
    assert resp.status_code == 422
    assert "用户名已存在" in text(resp)
    assert "<script>alert(1)</script>" not in text(resp)
    assert html.escape("<script>alert(1)</script>") in text(resp)
    assert _state(app_session) == before


def test_edit_user_changes_name_roles_and_communities(admin_client, world, factory, app_session):
    other = factory.community("阳光社区", "阳光")
    user = world["users"]["volunteer"]
    token = token_from(admin_client, f"/admin/users/{user.id}")
    resp = admin_client.post(
        f"/admin/users/{user.id}",
        data={
            "display_name": "王调解",
            "roles": ["mediator"],
            "communities": [str(other.id), str(world["community"].id)],
            "csrf_token": token,
        },
    )
    assert resp.status_code == 303
    app_session.rollback()
    row = app_session.get(User, user.id)
    assert (row.display_name, row.roles) == ("王调解", "mediator")
    ids = app_session.exec(select(UserCommunity.community_id).where(UserCommunity.user_id == user.id)).all()
    assert sorted(ids) == sorted([other.id, world["community"].id])
    assert "王调解" in text(admin_client.get("/admin/users"))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"display_name": ""}, "请填写姓名"),
        ({"roles": []}, "至少选择一个角色"),
        ({"roles": ["staff", "root"]}, "所选项目无效"),
        ({"communities": ["424242"]}, "所选项目无效"),
    ],
)
def test_edit_user_refuses_bad_input(admin_client, world, app_session, overrides, message):
    user = world["users"]["staff"]
    token = token_from(admin_client, f"/admin/users/{user.id}")
    data = {"display_name": "某人", "roles": ["staff"], "csrf_token": token}
    data.update(overrides)
    before = _state(app_session)
    resp = admin_client.post(f"/admin/users/{user.id}", data=data)
    assert resp.status_code == 422
    assert message in text(resp)
    assert _state(app_session) == before


def test_forged_ids_are_404_and_change_nothing(admin_client, app_session):
    token = token_from(admin_client, "/settings")
    before = _state(app_session)
    for url in ["/admin/users/9999", "/admin/communities/9999", "/admin/categories/9999"]:
        assert admin_client.get(url).status_code == 404
        assert admin_client.post(url, data={"csrf_token": token, "name": "x"}).status_code == 404
    for url in [
        "/admin/users/9999/deactivate",
        "/admin/users/9999/password",
        "/admin/categories/9999/deactivate",
        "/admin/users/abc",
    ]:
        assert admin_client.post(url, data={"csrf_token": token}).status_code == 404
    assert _state(app_session) == before


def test_admin_cannot_remove_own_admin_role_or_deactivate_self(admin_client, world, app_session):
    me = world["users"]["admin"]
    before = _state(app_session)
    token = token_from(admin_client, f"/admin/users/{me.id}")
    resp = admin_client.post(
        f"/admin/users/{me.id}", data={"display_name": "我", "roles": ["staff"], "csrf_token": token}
    )
    assert resp.status_code == 422
    assert "不能取消自己的系统管理员角色" in text(resp)
    resp = admin_client.post(f"/admin/users/{me.id}/deactivate", data={"csrf_token": token})
    assert resp.status_code == 303
    assert "不能停用自己的账号" in text(admin_client.get("/admin/users"))
    assert _state(app_session) == before


def test_deactivate_and_reactivate_a_user(admin_client, client_factory, world, app_session):
    user = world["users"]["mediator"]
    other = client_factory()
    login(other, user)
    token = token_from(admin_client, "/admin/users")
    assert (
        admin_client.post(f"/admin/users/{user.id}/deactivate", data={"csrf_token": token}).status_code == 303
    )
    app_session.rollback()
    assert app_session.get(User, user.id).active is False
    assert other.get("/cases/mine").status_code == 302  # the open session is gone
    assert (
        admin_client.post(f"/admin/users/{user.id}/reactivate", data={"csrf_token": token}).status_code == 303
    )
    app_session.rollback()
    assert app_session.get(User, user.id).active is True
    actions = app_session.exec(select(AdminEvent.data).where(AdminEvent.action == "update_user")).all()
    assert {"active": False} in actions and {"active": True} in actions


def test_reset_password_shows_the_new_one_once(admin_client, client_factory, world, app_session):
    user = world["users"]["judge"]
    token = token_from(admin_client, "/admin/users")
    resp = admin_client.post(f"/admin/users/{user.id}/password", data={"csrf_token": token})
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    password = re.search(r'data-testid="new-password"><code>([^<]+)</code>', text(resp)).group(1)
    assert len(password) >= 12
    other = client_factory()
    t = token_from(other, "/login")
    assert (
        other.post(
            "/login", data={"username": user.username, "password": PASSWORD, "csrf_token": t}
        ).status_code
        == 401
    )
    t = token_from(other, "/login")
    assert (
        other.post(
            "/login", data={"username": user.username, "password": password, "csrf_token": t}
        ).status_code
        == 302
    )
    assert app_session.exec(select(AdminEvent).where(AdminEvent.action == "set_password")).first() is not None


# --- communities ----------------------------------------------------------------------------------------
def _community_post(client, url, **data):
    data["csrf_token"] = token_from(client, url)
    return client.post(url, data=data)


def test_create_and_edit_a_community(admin_client, app_session):
    resp = _community_post(
        admin_client, "/admin/communities/new", name="和平社区", short_name="和平", street="东城街道"
    )
    assert resp.status_code == 303
    app_session.rollback()
    row = app_session.exec(select(Community).where(Community.short_name == "和平")).one()
    resp = _community_post(
        admin_client,
        f"/admin/communities/{row.id}",
        name="和平里社区",
        short_name="和平里",
        street="东城街道",
    )
    assert resp.status_code == 303
    app_session.rollback()
    row = app_session.get(Community, row.id)
    assert (row.name, row.short_name) == ("和平里社区", "和平里")
    actions = [e.action for e in app_session.exec(select(AdminEvent).order_by(AdminEvent.id)).all()]
    assert actions[-2:] == ["create_community", "update_community"]
    assert "和平里社区" in text(admin_client.get("/admin/communities"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "short_name": "新"}, "请填写社区名称"),
        ({"name": "新社区", "short_name": ""}, "请填写简称"),
        ({"name": "社" * 101, "short_name": "新"}, "社区名称不超过 100 个字"),
        ({"name": "新社区", "short_name": "简" * 21}, "简称不超过 20 个字"),
        ({"name": "新社区", "short_name": "新", "street": "街" * 101}, "所属街道不超过 100 个字"),
        ({"name": "幸福社区", "short_name": "新"}, "社区名称已存在"),
        ({"name": "新社区", "short_name": "幸福"}, "社区简称已存在"),
    ],
)
def test_community_forms_refuse_bad_input(admin_client, world, factory, app_session, data, message):
    other = factory.community("阳光社区", "阳光")
    before = _state(app_session)
    resp = _community_post(admin_client, "/admin/communities/new", **data)
    assert resp.status_code == 422
    assert message in text(resp)
    resp = _community_post(admin_client, f"/admin/communities/{other.id}", **data)
    assert resp.status_code == 422
    assert message in text(resp)
    assert _state(app_session) == before


def test_community_names_are_escaped(admin_client):
    resp = _community_post(admin_client, "/admin/communities/new", name="<b>社区</b>", short_name="<i>")
    assert resp.status_code == 303
    page = text(admin_client.get("/admin/communities"))
    assert "<b>社区</b>" not in page and "&lt;b&gt;社区&lt;/b&gt;" in page


# --- categories -----------------------------------------------------------------------------------------
def test_a_source_added_in_admin_is_offered_at_intake_and_taken(client, factory, app_session):
    """The one list: what admin adds is what the intake form offers and what the service accepts."""
    staff = factory.staff()
    login(client, factory.user("admin"))
    page = text(client.get("/admin/sources"))
    assert all(name in page for name in ("当事人申请", "主动调解", "委托移送"))
    token = token_from(client, "/admin/sources")
    assert client.post("/admin/sources", data={"name": "网格上报", "csrf_token": token}).status_code == 303
    client.post("/logout", data={"csrf_token": token})
    login(client, staff)
    form = text(client.get("/cases/new"))
    offered = form.split('name="source"', 1)[1].split("</select>", 1)[0]
    assert "网格上报" in offered
    app_session.rollback()
    assert active_sources(app_session)[-1] == "网格上报"


def test_a_category_and_a_source_with_the_same_id_are_not_mixed_up(admin_client, app_session):
    source = app_session.exec(select(Term).where(Term.kind == "source")).first()
    assert admin_client.get(f"/admin/categories/{source.id}").status_code == 404
    assert admin_client.get(f"/admin/sources/{source.id}").status_code == 200
    assert admin_client.get("/admin/colours").status_code == 404


def test_rename_reorder_and_deactivate_a_category(admin_client, world, app_session):
    kid = world["category"].id
    token = token_from(admin_client, f"/admin/categories/{kid}")
    resp = admin_client.post(
        f"/admin/categories/{kid}", data={"name": "网购", "position": "0", "csrf_token": token}
    )
    assert resp.status_code == 303
    app_session.rollback()
    assert active_categories(app_session)[0] == "网购"
    assert (
        admin_client.post(f"/admin/categories/{kid}/deactivate", data={"csrf_token": token}).status_code
        == 303
    )
    app_session.rollback()
    assert "网购" not in active_categories(app_session)
    assert (
        admin_client.post(f"/admin/categories/{kid}/activate", data={"csrf_token": token}).status_code == 303
    )
    app_session.rollback()
    assert "网购" in active_categories(app_session)
    actions = app_session.exec(select(AdminEvent.action).where(AdminEvent.target == "新类型")).all()
    assert "update_category" in actions


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "请填写名称"),
        ({"name": "  "}, "请填写名称"),
        ({"name": "类" * 21}, "纠纷类型名称须为 1–20 个字"),
        ({"name": "邻里"}, "类型名称已存在"),
        ({"name": "好", "position": "abc"}, "整数"),
        ({"name": "好", "position": "-1"}, "排序须为 0–9999 的整数"),
        ({"name": "好", "position": ""}, "请填写排序"),
    ],
)
def test_category_forms_refuse_bad_input(admin_client, world, app_session, data, message):
    kid = world["category"].id
    before = _state(app_session)
    edit = {"position": "3", **data, "csrf_token": token_from(admin_client, f"/admin/categories/{kid}")}
    resp = admin_client.post(f"/admin/categories/{kid}", data=edit)
    assert resp.status_code == 422
    assert message in text(resp)
    if "position" not in data:
        add = {**data, "csrf_token": token_from(admin_client, "/admin/categories")}
        resp = admin_client.post("/admin/categories", data=add)
        assert resp.status_code == 422
        assert message in text(resp)
    assert _state(app_session) == before


def test_the_last_active_category_cannot_be_deactivated(admin_client, world, app_session):
    token = token_from(admin_client, "/admin/categories")
    rows = app_session.exec(select(Term).where(Term.kind == "category")).all()
    for row in rows[:-1]:
        admin_client.post(f"/admin/categories/{row.id}/deactivate", data={"csrf_token": token})
    before = _state(app_session)
    admin_client.post(f"/admin/categories/{rows[-1].id}/deactivate", data={"csrf_token": token})
    assert "至少须保留一个启用的纠纷类型" in text(admin_client.get("/admin/categories"))
    assert _state(app_session) == before


def test_category_name_is_escaped(admin_client):
    token = token_from(admin_client, "/admin/categories")
    admin_client.post("/admin/categories", data={"name": "<script>x</script>", "csrf_token": token})
    page = text(admin_client.get("/admin/categories"))
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page


# --- triage policy --------------------------------------------------------------------------------------
def _policy_data(client, **overrides) -> dict[str, Any]:
    page = text(client.get("/admin/policy"))
    data: dict[str, Any] = {
        "csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1),
        "major_amount": "20000",
        "general_amount": "1000",
        "major_people": "10",
        "general_parties": "3",
        "repeat_days": "180",
        "major_categories": [],
        "general_categories": _ids(page, "婚姻家庭", "医疗"),
        "mediation_days": "30",
        "extension_days": "30",
        "confirmation_days": "30",
        "follow_up_after_performance_days": "7",
        "follow_up_after_oral_days": "30",
        "file_check": "warn",
        "file_close_written": ["agreement"],
        "file_close_oral": [],
        "file_terminate": ["termination_notice"],
        "file_attach_after_end": "y",
        "mediation_last_day": "calendar",
        "confirmation_last_day": "next_working_day",
        "follow_up_last_day": "calendar",
        "due_soon_days": "3",
        "escalate_overdue_days": "0",
        "reason": "区司法局通知调整标准",
    }
    data.update({k: _ids(page, *v) if k.endswith("_categories") else v for k, v in overrides.items()})
    return data


def _ids(page: str, *names: str) -> list[str]:
    """The checkbox values (category ids) of these category names on the policy page."""
    found = dict(
        re.findall(r'name="general_categories" type="checkbox" value="(\d+)"[^>]*> ([^<]+)</label>', page)
    )
    by_name = {name.strip(): value for value, name in found.items()}
    return [by_name.get(name, name) for name in names]


def test_policy_sets_the_case_files_completeness_rule(admin_client, app_session):
    page = text(admin_client.get("/admin/policy"))
    assert "卷宗完整性" in page and re.search(r'checked[^>]*value="termination_notice"', page)
    data = _policy_data(admin_client, file_check="refuse", file_close_oral=["follow_up"])
    assert admin_client.post("/admin/policy", data=data).status_code == 303
    policy = current_policy(app_session)
    assert policy.file_check == "refuse" and policy.papers_required("close_oral") == ("follow_up",)
    bad = admin_client.post("/admin/policy", data=_policy_data(admin_client, file_terminate=["nonsense"]))
    assert bad.status_code == 422 and "所选项目无效" in text(bad)


def test_policy_page_shows_current_values_and_history(admin_client, app_session):
    page = text(admin_client.get("/admin/policy"))
    assert 'name="general_amount"' in page and 'value="1000' in page
    family = _ids(page, "婚姻家庭")[0]
    assert re.search(rf'<input checked [^>]*name="general_categories" type="checkbox" value="{family}"', page)
    resp = admin_client.post("/admin/policy", data=_policy_data(admin_client, general_amount="500"))
    assert resp.status_code == 303
    page = text(admin_client.get("/admin/policy"))
    assert "区司法局通知调整标准" in page  # the reason, in the history
    assert "分级规则已修改" in page
    assert current_policy(app_session).general_amount == Decimal(500)


def test_policy_change_grades_the_next_intake(admin_client, factory, app_session):
    before = factory.case(claimed_amount=Decimal("600"))
    assert before.severity_computed == "minor"
    resp = admin_client.post(
        "/admin/policy",
        data=_policy_data(admin_client, general_amount="500", general_categories=["婚姻家庭", "邻里"]),
    )
    assert resp.status_code == 303
    after = factory.case(claimed_amount=Decimal("600"), category="合同")
    assert after.severity_computed == "general"
    assert "争议金额 ≥ 500 元" in after.triage_reasons
    neighbours = factory.case(category="邻里")
    assert neighbours.severity_computed == "general"
    event = app_session.exec(select(AdminEvent).where(AdminEvent.action == "update_policy")).one()
    assert event.reason == "区司法局通知调整标准"
    assert event.data["general_amount"] == "500"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"reason": ""}, "修改分级规则须填写理由"),
        ({"reason": "   "}, "修改分级规则须填写理由"),
        ({"reason": "理" * 1001}, "理由不超过 1000 个字"),
        ({"general_amount": "abc"}, "请填写有效的数字金额"),
        ({"general_amount": "NaN"}, "请填写有效的数字金额"),
        ({"major_amount": "sNaN"}, "请填写有效的数字金额"),
        ({"major_amount": "Infinity"}, "请填写有效的数字金额"),
        ({"general_amount": "-5"}, "金额须大于 0"),
        ({"general_amount": "30000"}, "一般纠纷的金额标准须低于较大纠纷的金额标准"),
        ({"major_amount": ""}, "请填写金额"),
        ({"mediation_days": "0"}, "天数须为 1–3650"),
        ({"mediation_days": "xyz"}, "整数"),
        ({"major_people": "1"}, "人数须为 2–10000"),
        ({"general_categories": ["9999"]}, "所选项目无效"),
        ({"major_categories": ["医疗"]}, "同一纠纷类型不能同时列为较大和一般"),
        ({"due_soon_days": "-1"}, "须为 0–30 日"),
        ({"escalate_overdue_days": "366"}, "须为 0–365 日"),
        ({"confirmation_last_day": "sometimes"}, "不是有效的选择"),
        ({"mediation_last_day": ""}, "请选择期限的计算方式"),
    ],
)
def test_policy_form_refuses_bad_input(admin_client, app_session, overrides, message):
    before = _state(app_session)
    resp = admin_client.post("/admin/policy", data=_policy_data(admin_client, **overrides))
    assert resp.status_code == 422
    assert message in text(resp)
    assert _state(app_session) == before


def test_admin_overview_lists_recent_changes(admin_client, world):
    page = text(admin_client.get("/admin/"))
    assert "新增纠纷类型" in page and "新类型" in page
