"""法 §15: a volunteer not on the case sees phones and ID numbers masked; the assignee sees them whole."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlmodel import Session, col, select

from models import Party, User
from tests.e2e.conftest import Cast
from tests.e2e.ui import UI
from tests.factories import Factory


def test_only_the_assignee_sees_whole_phone_and_id_numbers(
    ui: UI, cast: Cast, seed: Factory, session: Session
) -> None:
    case = seed.case("mediating", community=cast.community)
    parties = session.exec(select(Party).where(Party.case_id == case.id).order_by(col(Party.id))).all()
    applicant = parties[0]
    assert applicant.phone and applicant.id_number
    masked_phone = applicant.phone[:3] + "****" + applicant.phone[-4:]
    assignee = session.get(User, case.assignee_id)
    assert assignee is not None and assignee.id != cast.volunteer.id

    ui.login(cast.volunteer)
    ui.goto(f"/cases/{case.id}")
    box = ui.testid("parties")
    expect(box).to_contain_text(applicant.name)
    expect(box).to_contain_text(masked_phone)
    expect(box).not_to_contain_text(applicant.phone)
    expect(box).not_to_contain_text(applicant.id_number)
    expect(ui.page.locator("details.action")).to_have_count(0)  # not theirs to work on
    ui.shot("other-volunteer-masked")
    ui.logout()

    ui.login(assignee)
    ui.goto(f"/cases/{case.id}")
    expect(ui.testid("parties")).to_contain_text(applicant.phone)
    expect(ui.testid("parties")).to_contain_text(applicant.id_number)
    ui.shot("assignee-whole")
