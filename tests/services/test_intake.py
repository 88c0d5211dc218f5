"""services.cases.intake: the case, its parties and its first event, with triage from the database."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session, func, select

from models import Case, CaseEvent, Party
from services.cases import PartyInput, intake
from services.errors import Invalid
from tests.factories import Factory, id_number


def test_intake_writes_case_parties_and_register_event(factory: Factory, session: Session) -> None:
    case = factory.case("registered", claimed_amount=Decimal("1500"))
    assert (case.state, case.severity_computed, case.number) == ("registered", "general", None)
    assert "1,000" in case.triage_reasons
    parties = session.exec(select(Party).where(Party.case_id == case.id)).all()
    assert sorted(p.role for p in parties) == ["applicant", "respondent"]
    event = session.exec(select(CaseEvent).where(CaseEvent.case_id == case.id)).one()
    assert (event.trigger, event.from_state, event.to_state) == ("register", None, "registered")
    assert event.data["tier"] == "mediator"


def test_same_party_within_180_days_makes_the_case_general(factory: Factory) -> None:
    now = datetime(2026, 6, 1, tzinfo=UTC)
    first = factory.intake_input()
    intake(session=factory.session, actor=factory.staff(), data=first, now=now - timedelta(days=200))
    again = factory.intake_input(parties=first.parties)
    second = intake(session=factory.session, actor=factory.staff(), data=again, now=now)
    assert second.severity_computed == "minor"  # the first case is 200 days old
    later = factory.intake_input(parties=first.parties)
    repeat = intake(session=factory.session, actor=factory.staff(), data=later, now=now + timedelta(days=180))
    assert repeat.severity_computed == "general"
    assert "180 日内" in repeat.triage_reasons


def test_case_older_than_180_days_does_not_count(factory: Factory) -> None:
    now = datetime(2026, 6, 1, tzinfo=UTC)
    first = factory.intake_input()
    intake(session=factory.session, actor=factory.staff(), data=first, now=now - timedelta(days=181))
    again = intake(
        session=factory.session,
        actor=factory.staff(),
        data=factory.intake_input(parties=first.parties),
        now=now,
    )
    assert again.severity_computed == "minor"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"category": "打架"}, "category"),
        ({"source": "网上"}, "source"),
        ({"facts": "  "}, "facts"),
        ({"risk_level": "red"}, "reported_to"),
        ({"claimed_amount": Decimal(-1)}, "claimed_amount"),
    ],
)
def test_invalid_intake_is_refused_and_writes_nothing(
    factory: Factory, session: Session, change: dict[str, object], field: str
) -> None:
    staff = factory.staff()
    with pytest.raises(Invalid) as err:
        intake(session=session, actor=staff, data=factory.intake_input(**change))
    assert err.value.field == field
    assert session.exec(select(func.count()).select_from(Case)).one() == 0


@pytest.mark.parametrize(
    ("party", "field"),
    [
        ({"phone": "12345678901"}, "parties.0.phone"),
        ({"id_number": "110101198001011234"}, "parties.0.id_number"),
        ({"name": "  "}, "parties.0.name"),
    ],
)
def test_bad_parties_are_refused(
    factory: Factory, session: Session, party: dict[str, str], field: str
) -> None:
    bad = PartyInput.model_construct(**{"role": "applicant", "name": "王五", **party})
    data = factory.intake_input(parties=[bad, PartyInput("respondent", "赵六")])
    with pytest.raises(Invalid) as err:
        intake(session=session, actor=factory.staff(), data=data)
    assert err.value.field == field
    assert session.exec(select(func.count()).select_from(Party)).one() == 0


def test_needs_an_applicant_and_a_respondent(factory: Factory) -> None:
    data = factory.intake_input(parties=[PartyInput("applicant", "王五", id_number=id_number())])
    with pytest.raises(Invalid) as err:
        intake(session=factory.session, actor=factory.staff(), data=data)
    assert err.value.field == "parties"


def test_only_staff_of_the_community_may_register(factory: Factory) -> None:
    volunteer = factory.member("volunteer")
    with pytest.raises(Invalid):
        intake(session=factory.session, actor=volunteer, data=factory.intake_input())
    other = factory.staff(factory.community())
    with pytest.raises(Invalid):
        intake(session=factory.session, actor=other, data=factory.intake_input())


@pytest.mark.parametrize(
    ("same", "related"),
    [
        (PartyInput("applicant", "甲", phone="13912345678"), True),  # the same phone
        (PartyInput("applicant", "甲", id_number=id_number(serial=1)), True),  # the same ID number
        (PartyInput("applicant", "甲", id_number=id_number(serial=2)), False),
        (PartyInput("applicant", "甲", "", "", "和谐小区", "1栋", "101"), True),  # the same home
        (PartyInput("applicant", "甲", "", "", "和谐小区", "1栋", "102"), False),  # a neighbour
    ],
)
def test_repeat_dispute_is_found_by_phone_id_or_home(
    factory: Factory, same: PartyInput, related: bool
) -> None:
    now = datetime(2026, 6, 1, tzinfo=UTC)
    earlier = [
        PartyInput("applicant", "乙", "13912345678", id_number(serial=1), "和谐小区", "1栋", "101"),
        PartyInput("respondent", "丙", "13787654321"),
    ]
    intake(
        session=factory.session, actor=factory.staff(), data=factory.intake_input(parties=earlier), now=now
    )
    again = factory.intake_input(parties=[same, PartyInput("respondent", "丁", "13711112222")])
    case = intake(session=factory.session, actor=factory.staff(), data=again, now=now + timedelta(days=30))
    assert ("180 日内" in case.triage_reasons) is related
