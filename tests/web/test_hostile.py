"""Hostile values in every form (login, settings, intake, administration) and every query string and id
in a path: never a 5xx, nothing shown unescaped. The case page's action forms: test_hostile_actions.py."""

from __future__ import annotations

from itertools import cycle
from typing import Any
from urllib.parse import quote_from_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models import TermKind
from services.vocabulary import create_term
from tests.factories import PASSWORD, Factory
from tests.web.hostile import KINDS, SCRIPT, Form, Prepared, Probe, World, encode, make_world, token
from tests.web.test_intake import valid as valid_intake


@pytest.fixture
def world(app, factory, session) -> World:
    return make_world(app, factory, session)


@pytest.fixture
def probe() -> Probe:
    return Probe()


# --- login, settings, language --------------------------------------------------------------------------
def test_login_form(world: World, probe: Probe) -> None:
    client = world.app.test_client()
    username = world.users["staff"].username

    def prepare() -> Prepared:
        data = {"username": username, "password": "wrong-pass-1", "csrf_token": token(client, "/login")}
        return client, "/login", data

    Form("login", prepare, csrf=True).run(probe)
    for kind, value in KINDS.items():
        probe.check(f"GET /login?next={kind}", client.get("/login", query_string=encode([("next", value)])))
    probe.verdict()


def test_settings_and_language_forms(world: World, factory: Factory, probe: Probe) -> None:
    client = world.client_of(factory.user("volunteer"))

    def page(url: str, data: dict[str, Any]) -> Any:
        return lambda: (client, url, {**data, "csrf_token": token(client, "/settings")})

    # the confirmation never matches, so the password stays the one the test logs in with
    password = {"current": PASSWORD, "new": "n3w-pass-1", "confirm": "x"}
    Form("password", page("/settings/password", password)).run(probe)
    Form("locale", page("/settings/locale", {"locale": "zh"}), {"locale": "choice"}).run(probe)
    Form("switch", page("/locale/zh", {"next": "/cases/"})).run(probe)
    for kind, value in KINDS.items():
        switch = client.get("/locale/zh", query_string=encode([("next", value)]))
        probe.check(f"GET /locale?next={kind}", switch)
        probe.check(f"GET /locale/{kind}", client.get("/locale/" + quote_from_bytes(value)))
    Form("logout", page("/logout", {}), csrf=True).run(probe)
    probe.verdict()


# --- intake ---------------------------------------------------------------------------------------------
INTAKE_TYPES = {
    "community_id": "choice",
    "category": "choice",
    "source": "choice",
    "claimed_amount": "money",
    "people_involved": "int",
    "injury": "bool",
    "risk_level": "choice",
    "parties-0-role": "choice",
    "parties-1-role": "choice",
    "add_party": "bool",
}


def test_intake_form(world: World, probe: Probe) -> None:
    client = world.client_of(world.users["staff"])
    base = valid_intake(world.community.id or 0, injury="y")

    def prepare() -> Prepared:
        return client, "/cases/new", {**base, "csrf_token": token(client, "/cases/new")}

    Form("intake", prepare, INTAKE_TYPES, csrf=True).run(probe)
    probe.verdict()


# --- administration -------------------------------------------------------------------------------------
def test_admin_forms(world: World, probe: Probe) -> None:
    client = world.client_of(world.users["admin"])
    cid, uid = world.community.id, world.users["volunteer"].id
    category = create_term(session=world.session, kind=TermKind.CATEGORY, name="新类型")

    def page(url: str, data: dict[str, Any], token_url: str | None = None) -> Any:
        return lambda: (client, url, {**data, "csrf_token": token(client, token_url or url)})

    user = {"display_name": "改名", "roles": ["volunteer"], "communities": [str(cid)]}
    new_user = {**user, "username": "newbie", "password": "pass-word-1"}
    community = {"name": "新社区", "short_name": "新", "street": "新街道"}
    user_types = {"roles": "choice", "communities": "choice"}
    forms = [
        Form("user_new", page("/admin/users/new", new_user), user_types),
        Form("user_edit", page(f"/admin/users/{uid}", user), user_types),
        Form("user_deactivate", page(f"/admin/users/{uid}/deactivate", {}, "/admin/users"), csrf=True),
        Form("user_reactivate", page(f"/admin/users/{uid}/reactivate", {}, "/admin/users")),
        Form("user_password", page(f"/admin/users/{uid}/password", {}, "/admin/users")),
        Form("community_new", page("/admin/communities/new", community)),
        Form("community_edit", page(f"/admin/communities/{cid}", community)),
        Form("category_new", page("/admin/categories", {"name": "新增"})),
        Form("category_seed", page("/admin/categories/seed", {}, "/admin/categories")),
        Form("category_edit", page(f"/admin/categories/{category.id}", {"name": "改类", "position": "3"}),
             {"position": "int"}),
        Form("category_off", page(f"/admin/categories/{category.id}/deactivate", {}, "/admin/categories")),
        Form("category_on", page(f"/admin/categories/{category.id}/activate", {}, "/admin/categories")),
    ]  # fmt: skip
    for form in forms:
        form.run(probe)
    probe.verdict()


POLICY = {
    "major_amount": "20000", "general_amount": "1000", "major_people": "10", "general_parties": "3",
    "repeat_days": "180", "major_categories": ["人身损害"], "general_categories": ["婚姻家庭"],
    "mediation_days": "30", "extension_days": "30", "confirmation_days": "30",
    "follow_up_after_performance_days": "7", "follow_up_after_oral_days": "15", "reason": "测试",
}  # fmt: skip
POLICY_TYPES = {
    **{name: "int" for name in POLICY if name.endswith(("_days", "_people", "_parties"))},
    "major_amount": "money",
    "general_amount": "money",
    "major_categories": "choice",
    "general_categories": "choice",
}


def test_policy_form(world: World, probe: Probe) -> None:
    client = world.client_of(world.users["admin"])

    def prepare() -> Prepared:
        return client, "/admin/policy", {**POLICY, "csrf_token": token(client, "/admin/policy")}

    Form("policy", prepare, POLICY_TYPES, csrf=True).run(probe)
    # whatever the policy says now, intake still works
    staff = world.client_of(world.users["staff"])
    data = {**valid_intake(world.community.id or 0), "csrf_token": token(staff, "/cases/new")}
    probe.check("intake after the policy corpus", staff.post("/cases/new", data=data))
    probe.verdict()


# --- query strings and ids in paths ---------------------------------------------------------------------
QUERIES: dict[str, list[str]] = {
    "/cases/": ["state", "tier", "severity", "category", "community_id", "assignee_id", "overdue", "month",
                "q", "sort", "page"],
    "/cases/mine": ["page"],
    "/stats/": ["month", "scope"],
    "/login": ["next"],
}  # fmt: skip
# Parameters read as text or numbers also get each value alone (the others pick from a fixed list).
ALONE = {"category", "community_id", "assignee_id", "month", "q", "page", "scope", "next"}
# The exports read month and scope as the statistics page does: each value goes to one of them.
EXPORTS = ["/stats/export.csv", "/stats/export.xlsx", "/stats/cases.csv", "/stats/cases.xlsx"]
# Values some parameters read as a month or a scope, besides the kinds.
EXTRA_QUERY_VALUES = [
    b"0001-01", b"9999-12", b"2026-13", b"community:2147483648", b"community:9223372036854775808",
    b"community:-1", b"street:\x00", b"community:\x00",
]  # fmt: skip
QUERY_VALUES = [*KINDS.values(), *EXTRA_QUERY_VALUES]
ID_PATHS = [
    "/cases/{}",
    "/cases/{}/agreement",
    "/cases/{}/file",
    "/admin/users/{}",
    "/admin/users/{}/deactivate",
    "/admin/communities/{}",
    "/admin/categories/{}",
    "/admin/categories/{}/activate",
]
ID_KINDS = ("2^31", "2^63", "-2^63-1", "1e20", "nan", "emoji", "nul", "sql")
ROLES = ("staff", "volunteer", "leader", "admin")


def test_query_strings(world: World, probe: Probe) -> None:
    """Every parameter gets every value, from users of four roles in turn (what they may see differs)."""
    world.factory.case("agreed")
    clients = cycle([(role, world.client_of(world.users[role])) for role in ROLES])

    def get(path: str, pairs: list[tuple[str, bytes]]) -> None:
        role, client = next(clients)
        label = "&".join(f"{k}={v[:24]!r}" for k, v in pairs)
        probe.check(f"{role} GET {path}?{label}", client.get(path, query_string=encode(pairs)))

    for path, params in QUERIES.items():
        for value in QUERY_VALUES:
            get(path, [(param, value) for param in params])
            for param in ALONE.intersection(params) if len(params) > 1 else ():
                get(path, [(param, value)])
    for i, value in enumerate(QUERY_VALUES):
        get(EXPORTS[i % len(EXPORTS)], [("month", value)])
        get(EXPORTS[(i + 1) % len(EXPORTS)], [("scope", value)])
    probe.verdict()


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_ids_in_paths(world: World, probe: Probe, role: str) -> None:
    client = world.client_of(world.users[role])
    csrf = token(client, "/settings")
    for template in ID_PATHS:
        for kind in ID_KINDS:
            url = template.format(quote_from_bytes(KINDS[kind]))
            probe.check(f"{role} GET {url[:50]}", client.get(url))
            probe.check(f"{role} POST {url[:50]}", client.post(url, data={"csrf_token": csrf}))
    probe.verdict()


@settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.dictionaries(
        st.sampled_from(QUERIES["/cases/"]),
        st.one_of(
            st.sampled_from(QUERY_VALUES), st.binary(max_size=40), st.text(max_size=40).map(str.encode)
        ),
        min_size=2,
        max_size=6,
    )
)
def test_case_list_takes_any_mix_of_filters(world: World, data: dict[str, bytes]) -> None:
    client = world.client_of(world.users["staff"])
    resp = client.get("/cases/", query_string=encode(list(data.items())))
    assert resp.status_code < 500, (data, resp.status_code)
    assert SCRIPT not in resp.get_data()
