"""Fixtures shared by the service tests."""

import pytest

from services.cases import PartyInput
from services.statistics.scope import Scope
from tests.factories import bj
from tests.factories import id_number as make_id_number


@pytest.fixture
def month_data(factory):  # type: ignore[no-untyped-def]
    """Two cases accepted in October 2026, one agreed for 1,234.50 元; texts that look like formulas."""
    a = factory.community("幸福社区", "幸福", street="幸福街道")
    id_number = make_id_number(birth="19800101", serial=123)
    people = [
        PartyInput("applicant", "@SUM(A1)", "13812345678", id_number, "幸福小区", "1栋", "101"),
        PartyInput("respondent", "李四", "13987654321", "", "幸福小区", "1栋", "201"),
    ]
    late = factory.case(
        "registered",
        community=a,
        now=bj(2026, 10, 31, 23, 30),
        parties=people,
        facts='=HYPERLINK("http://x","点我")',
    )
    factory.fire(late, "accept", now=bj(2026, 10, 31, 23, 30))
    other = [
        PartyInput("applicant", "王五", "13711112222", "", "和谐小区", "2栋", "301"),
        PartyInput("respondent", "赵六", "13633334444", "", "和谐小区", "2栋", "302"),
    ]
    case = factory.case("registered", community=a, now=bj(2026, 10, 3), parties=other, facts="+86 邻里噪音")
    for trigger in ("accept", "assign", "notify_rights", "start_mediation"):
        case = factory.fire(case, trigger, now=bj(2026, 10, 3, 11))
    factory.fire(case, "record_agreement", now=bj(2026, 10, 9), amount="1234.50")
    return {
        "scope": Scope("community", f"community:{a.id}", a.name, frozenset({a.id})),
        "id_number": id_number,
    }
