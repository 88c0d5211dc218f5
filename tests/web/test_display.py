"""How a case without a number is named: 待受理 while it waits, 不予受理 once refused, alike everywhere."""

from __future__ import annotations

import re

import pytest

from tests.web.case_helpers import distinct_parties, login, text
from web.display import case_number


@pytest.mark.parametrize(
    ("state", "word"), [("registered", "待受理"), ("not_accepted", "不予受理"), ("withdrawn", "未受理")]
)
def test_a_case_without_number_is_named_by_where_it_stands(client, factory, state, word):
    case = factory.case(state, parties=distinct_parties())
    assert case.number is None and case_number(case) == word
    login(client, factory.staff())
    listed = text(client.get("/cases/"))
    assert re.search(rf'<a href="/cases/{case.id}">\s*{word}\s*</a>', listed), "list cell"
    page = text(client.get(f"/cases/{case.id}"))
    assert f'data-testid="case-number">{word}<' in page, "case page heading"
    cover = text(client.get(f"/cases/{case.id}/file"))
    assert f'<th scope="row">案号</th><td>{word}</td>' in cover, "file cover"


def test_a_numbered_case_shows_its_number(client, factory):
    case = factory.case("accepted", parties=distinct_parties())
    assert case.number and case_number(case) == case.number
    login(client, factory.staff())
    assert f'<a href="/cases/{case.id}">{case.number}</a>' in text(client.get("/cases/"))
