"""The small statistics fixture whose every figure was worked out by hand (tests/services/statistics/).

Times are written in Beijing time (bj); October 2026 runs from 2026-09-30 16:00 UTC to 2026-10-31 16:00 UTC.
Community A (幸福社区) holds most cases; B is in the same street, C in another street.

Each case: when it was accepted (BJ), what happens to it (BJ), and what it counts for in October 2026.

k1   acc 09-30 23:30; written 1200 元 10-10 10:00; confirmation valid 10-12; follow-up performed,
     满意 10-20 → closed.                 Oct: success, written, days 9.4375, confirmed, performed.
k2   acc 10-31 23:30; stays accepted (deadline 11-30).          Oct: accepted (last evening of the month).
k3   acc 11-01 00:10; stays accepted.                           Oct: nothing (November).
k4   acc 10-05 09:00, 婚姻家庭/主动调解, 3 people; session 10-07; risk orange 10-08, none 10-09; oral
     agreement 10-15 09:00; confirmation invalid 10-16.   Oct: accepted, success, oral, days 10, 防止民转刑.
k5   acc 10-02; mediating; escalated 10-07 to the mediator; mediating again; terminated 10-20.
                                                           Oct: accepted, failure, escalation.
k6   acc 10-03; assigned; terminated 10-04 before mediation started.     Oct: accepted (not a failure).
k7   acc 08-20; mediating ever since (deadline 09-19); session 10-10.    Oct: overdue at month end.
k8   acc 09-15; mediating until its agreement 11-02 (deadline 10-15).    Oct: overdue at month end.
k9   acc 09-20; red risk at intake, 12 people (judge); written 98765.43 元 10-25 10:00.
                                                           Oct: success, written, days 35, 防止民转刑.
k10  acc 09-01; written 500 元 09-10; follow-up not performed, 不满意 10-05; remediate 10-06; written
     300 元 10-12 10:00; follow-up performed, 基本满意 10-28.  Oct: success, written 300 元, days 41.
ly   acc 2025-10-15; written 2000 元 2025-10-20; follow-up 2025-10-25.   The same month last year.
kb   community B: acc 10-10; written 1000 元 10-20.                      Street and all scopes only.
kc   community C: acc 10-11; stays accepted.                             All scope only.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from services.cases import PartyInput
from services.statistics.months import Month
from services.statistics.scope import Scope
from tests.factories import bj

OCT = Month(2026, 10)
_rooms = iter(range(100, 100000))


def parties(n: int) -> list[PartyInput]:
    """Parties with their own phones and rooms, so no case looks like a repeat of another."""
    room = next(_rooms)
    return [
        PartyInput("applicant", "王五", f"1390000{room:04d}", "", "和谐小区", "1栋", str(room)),
        PartyInput("respondent", "赵六", f"1370000{room:04d}", "", "和谐小区", "2栋", str(room)),
    ]


def mediating(factory, community, accepted, started, **intake):  # type: ignore[no-untyped-def]
    case = factory.case("registered", community=community, now=accepted, parties=parties(0), **intake)
    case = factory.fire(case, "accept", now=accepted)
    case = factory.fire(case, "assign", now=accepted + timedelta(minutes=5))
    case = factory.fire(case, "notify_rights", now=started)
    return factory.fire(case, "start_mediation", now=started)


def accepted_only(factory, community, accepted):  # type: ignore[no-untyped-def]
    case = factory.case("registered", community=community, now=accepted, parties=parties(0))
    return factory.fire(case, "accept", now=accepted)


ORAL = {"kind": "oral", "content": "双方口头约定互不打扰", "facts": None, "terms": None, "performance": None}
ORAL |= {"performance_due": None, "amount": None}


def build_world(factory: Any) -> dict[str, Any]:
    a = factory.community("幸福社区", "幸福", street="幸福街道")
    b = factory.community("安康社区", "安康", street="幸福街道")
    c = factory.community("和平社区", "和平", street="和平街道")

    k1 = mediating(factory, a, bj(2026, 9, 30, 23, 30), bj(2026, 10, 2))
    k1 = factory.fire(k1, "record_agreement", now=bj(2026, 10, 10), amount="1200")
    k1 = factory.fire(k1, "record_judicial_confirmation", now=bj(2026, 10, 12), result="valid")
    factory.fire(k1, "follow_up", now=bj(2026, 10, 20), satisfaction="satisfied")

    accepted_only(factory, a, bj(2026, 10, 31, 23, 30))  # k2
    accepted_only(factory, a, bj(2026, 11, 1, 0, 10))  # k3

    k4 = mediating(
        factory,
        a,
        bj(2026, 10, 5, 9),
        bj(2026, 10, 6),
        category="婚姻家庭",
        source="主动调解",
        people_involved=3,
    )
    factory.fire(k4, "record_session", now=bj(2026, 10, 7))
    factory.fire(k4, "flag_risk", now=bj(2026, 10, 8), level="orange")
    factory.fire(k4, "flag_risk", now=bj(2026, 10, 9), level="none")
    k4 = factory.fire(k4, "record_agreement", now=bj(2026, 10, 15, 9), **ORAL)
    factory.fire(k4, "record_judicial_confirmation", now=bj(2026, 10, 16), result="invalid")

    k5 = mediating(factory, a, bj(2026, 10, 2), bj(2026, 10, 3))
    k5 = factory.fire(k5, "escalate", now=bj(2026, 10, 7))
    k5 = factory.fire(k5, "assign", now=bj(2026, 10, 8))
    k5 = factory.fire(k5, "start_mediation", now=bj(2026, 10, 8, 11))
    factory.fire(k5, "terminate", now=bj(2026, 10, 20))

    k6 = accepted_only(factory, a, bj(2026, 10, 3))
    k6 = factory.fire(k6, "assign", now=bj(2026, 10, 3, 11))
    factory.fire(k6, "terminate", now=bj(2026, 10, 4))

    k7 = mediating(factory, a, bj(2026, 8, 20), bj(2026, 8, 21))
    factory.fire(k7, "record_session", now=bj(2026, 10, 10))

    k8 = mediating(factory, a, bj(2026, 9, 15), bj(2026, 9, 16))
    factory.fire(k8, "record_agreement", now=bj(2026, 11, 2), amount="700")

    k9 = mediating(
        factory,
        a,
        bj(2026, 9, 20),
        bj(2026, 9, 21),
        people_involved=12,
        risk_level="red",
        reported_to="幸福派出所",
    )
    factory.fire(k9, "record_agreement", now=bj(2026, 10, 25), amount="98765.43")

    k10 = mediating(factory, a, bj(2026, 9, 1), bj(2026, 9, 2))
    k10 = factory.fire(k10, "record_agreement", now=bj(2026, 9, 10), amount="500")
    k10 = factory.fire(k10, "follow_up_failed", now=bj(2026, 10, 5))
    k10 = factory.fire(k10, "remediate", now=bj(2026, 10, 6))
    k10 = factory.fire(k10, "record_agreement", now=bj(2026, 10, 12), amount="300")
    factory.fire(k10, "follow_up", now=bj(2026, 10, 28), satisfaction="basically")

    ly = mediating(factory, a, bj(2025, 10, 15), bj(2025, 10, 16))
    ly = factory.fire(ly, "record_agreement", now=bj(2025, 10, 20), amount="2000")
    factory.fire(ly, "follow_up", now=bj(2025, 10, 25))

    kb = mediating(factory, b, bj(2026, 10, 10), bj(2026, 10, 11))
    factory.fire(kb, "record_agreement", now=bj(2026, 10, 20), amount="1000")

    accepted_only(factory, c, bj(2026, 10, 11))  # kc
    return {
        "a": a,
        "b": b,
        "c": c,
        "scope_a": Scope("community", f"community:{a.id}", a.name, frozenset({a.id})),
    }
