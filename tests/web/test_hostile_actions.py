"""Hostile values in every action form of the case page, posted by the user who may fire the trigger on a
case in the state that offers it: never a 5xx, nothing shown unescaped (the corpus: tests/web/hostile.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from models import Case, User
from tests.factories import trigger_data
from tests.web.case_helpers import form_encode
from tests.web.hostile import Form, Prepared, Probe, World, make_world, token
from workflow.triggers import TRIGGERS

# Where a case must be for the trigger and who fires it; "notified" is assigned with the rights notice
# given, "major_assigned" a 较大 case assigned to a 社区法官.
WHERE: dict[str, tuple[str, str]] = {
    "accept": ("registered", "staff"),
    "reject": ("registered", "staff"),
    "withdraw": ("registered", "staff"),
    "flag_risk": ("registered", "staff"),
    "assign": ("accepted", "staff"),
    "extend_deadline": ("accepted", "staff"),
    "reassign": ("assigned", "staff"),
    "notify_rights": ("assigned", "assignee"),
    "record_refusal": ("assigned", "assignee"),
    "escalate": ("assigned", "assignee"),
    "start_mediation": ("notified", "assignee"),
    "record_session": ("mediating", "assignee"),
    "record_agreement": ("mediating", "assignee"),
    "terminate": ("mediating", "assignee"),
    "delegate": ("major_assigned", "assignee"),
    "record_judicial_confirmation": ("agreed", "assignee"),
    "follow_up": ("agreed", "staff"),
    "remediate": ("defaulted", "assignee"),
}
# The spec's field kinds as the corpus's field types (hostile.ALONE).
TYPES = {"date": "date", "money": "money", "int": "int", "user": "int", "bool": "bool", "choice": "choice"}
# The hidden version field and the CSRF token are the same code for every trigger: given to a few.
VERSION_AND_TOKEN = ("accept", "record_agreement", "follow_up")


@pytest.fixture
def world(app, factory, session) -> World:
    return make_world(app, factory, session)


def test_every_trigger_is_in_the_corpus() -> None:
    assert set(WHERE) == {t.name for t in TRIGGERS}


class Supply:
    """A case waiting for the trigger: the last one while it still waits, else a new one."""

    def __init__(self, world: World, where: str) -> None:
        self.world, self.where = world, where
        self.case: Case | None = None
        self.state = ""

    def ready(self) -> Case:
        session = self.world.session
        session.rollback()
        session.expire_all()
        case = session.get(Case, self.case.id) if self.case is not None else None
        if case is None or case.state != self.state:
            case = self._new()
            self.state = case.state
        self.case = case
        return case

    def _new(self) -> Case:
        factory = self.world.factory
        if self.where == "notified":
            return factory.fire(factory.case("assigned"), "notify_rights")
        if self.where == "major_assigned":
            return factory.case("assigned", claimed_amount=Decimal("50000"))
        return factory.case(self.where)


@pytest.mark.parametrize("trigger", sorted(WHERE))
def test_action_form(world: World, trigger: str) -> None:
    where, who = WHERE[trigger]
    supply, shown = Supply(world, where), set()
    probe = Probe()

    def prepare() -> Prepared:
        case = supply.ready()
        user = world.factory.staff() if who == "staff" else world.session.get(User, case.assignee_id)
        assert user is not None
        client = world.client_of(user)
        if case.id not in shown:
            page = client.get(f"/cases/{case.id}").get_data(as_text=True)
            assert f'data-trigger="{trigger}"' in page, f"no form for {trigger} in {case.state}"
            shown.add(case.id)
        data: dict[str, Any] = trigger_data(trigger)
        if trigger in ("assign", "reassign"):
            data["assignee_id"] = world.factory.user(case.tier or "volunteer").id
        values = {
            **form_encode(data),
            "trigger": trigger,
            "version": str(case.version),
            "csrf_token": token(client, "/settings"),
        }
        return client, f"/cases/{case.id}", values

    types = {f.name: TYPES.get(f.kind, "text") for f in TRIGGERS[trigger].fields}
    many = trigger in VERSION_AND_TOKEN
    if many:
        types["version"] = "int"
    Form(trigger, prepare, types, csrf=many, keep=() if many else ("version", "trigger")).run(probe)
    probe.verdict()
