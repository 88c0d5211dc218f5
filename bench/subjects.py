"""What the benchmarks look at: users, the case with 20 events, the member's queue, the month, form data.

``prepare`` runs once on the working copy: it creates the bench admin (through services.users, as
the application would) and picks the subjects with plain queries; the queue's size comes from
services.queries.my_queue, as the page counts it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, text
from sqlmodel import Session, select

from models import User
from services.cases import SOURCES
from services.demo import DEMO_PASSWORD
from services.permissions import actor_for
from services.queries import my_queue
from services.statistics.months import Month
from services.users import create_user

ADMIN = "bench_admin"
PASSWORD = DEMO_PASSWORD
MEMBER = "staff_xingfu"  # staff of 幸福社区: sees one community of eight
EVENTS_ON_CASE_PAGE = 20
# 工作台 (the home page) per role: demo users of 幸福社区 (the judge and the leader serve its street).
DESK_USERS = {
    "volunteer": "volunteer_xingfu_1",
    "mediator": "mediator_xingfu",
    "judge": "judge_xingfu",
    "staff": MEMBER,
    "leader": "leader_xingfu",
}


@dataclass
class Subjects:
    member: str
    member_community: int
    admin: str
    case_id: int  # a case with EVENTS_ON_CASE_PAGE events (or the most there are)
    case_events: int
    case_viewer: str  # staff of that case's community
    month: str  # the last complete month before the data was generated
    category: str  # the commonest category (the filtered list page)
    categories: list[str]
    queue_waiting: int = 0  # cases in the member's queue (我的案件; the page shows 20 at a time)
    staff: dict[int, str] = field(default_factory=dict)  # community id → staff username
    sample_cases: dict[int, list[int]] = field(default_factory=dict)  # community id → case ids


def prepare(engine: Engine, built_at: str, *, seed: int = 1) -> Subjects:
    """Create the bench admin (if missing) and pick what the benchmarks request."""
    with Session(engine) as session:
        if session.exec(select(User).where(User.username == ADMIN)).first() is None:
            create_user(
                session=session,
                username=ADMIN,
                display_name="基准测试管理员",
                password=PASSWORD,
                roles=["admin"],
                hash_method="pbkdf2:sha256:1000",
            )
        member = session.exec(select(User).where(User.username == MEMBER)).one()
        queue_waiting = my_queue(session, actor_for(session, member)).total
    with engine.connect() as conn:
        q = conn.execute
        staff = {
            int(cid): str(name)
            for cid, name in q(
                text(
                    'SELECT uc.community_id, u.username FROM "user" u '
                    "JOIN user_community uc ON uc.user_id = u.id WHERE u.roles = 'staff' ORDER BY u.id"
                )
            )
        }
        member_community = int(
            q(
                text(
                    'SELECT uc.community_id FROM "user" u JOIN user_community uc ON uc.user_id = u.id '
                    "WHERE u.username = :u"
                ),
                {"u": MEMBER},
            ).scalar_one()
        )
        # Events per case for the newest cases only (an index range, not a scan of every event).
        newest = int(q(text('SELECT MAX(id) FROM "case"')).scalar_one())
        counts = q(
            text(
                "SELECT case_id, COUNT(*) AS n FROM case_event WHERE case_id > :lo "
                "GROUP BY case_id ORDER BY ABS(COUNT(*) - :want), case_id DESC LIMIT 1"
            ),
            {"lo": max(0, newest - 200_000), "want": EVENTS_ON_CASE_PAGE},
        ).one()
        case_id, case_events = int(counts[0]), int(counts[1])
        case_community = int(
            q(text('SELECT community_id FROM "case" WHERE id = :i'), {"i": case_id}).scalar_one()
        )
        categories = [
            str(c)
            for (c,) in q(
                text('SELECT category FROM "case" WHERE id > :lo GROUP BY category ORDER BY COUNT(*) DESC'),
                {"lo": max(0, newest - 50_000)},
            )
        ]
        rng = random.Random(seed)
        sample: dict[int, list[int]] = {}
        for cid in staff:
            ids = [
                int(i)
                for (i,) in q(
                    text('SELECT id FROM "case" WHERE community_id = :c ORDER BY id DESC LIMIT 2000'),
                    {"c": cid},
                )
            ]
            sample[cid] = rng.sample(ids, min(200, len(ids)))
    month = Month.of(datetime.fromisoformat(built_at)).shift(-1)
    return Subjects(
        member=MEMBER,
        member_community=member_community,
        admin=ADMIN,
        case_id=case_id,
        case_events=case_events,
        case_viewer=staff[case_community],
        month=month.key,
        category=categories[0],
        categories=categories,
        queue_waiting=queue_waiting,
        staff=staff,
        sample_cases=sample,
    )


def intake_form(rng: random.Random, community_id: int, categories: list[str]) -> dict[str, str]:
    """A complete intake form as the browser posts it (two parties, fresh phone numbers)."""
    return {
        "community_id": str(community_id),
        "category": rng.choice(categories),
        "source": SOURCES[0],
        "facts": "楼上漏水致楼下天花板受损，双方就维修费用协商未果，申请调解。",
        "claimed_amount": str(rng.randint(100, 20000)),
        "people_involved": "2",
        "risk_level": "none",
        "reported_to": "",
        "place_xiaoqu": "幸福家园",
        "place_building": "3栋",
        "parties-0-role": "applicant",
        "parties-0-name": "王" + rng.choice("伟芳娜敏静丽强磊军洋"),
        "parties-0-phone": f"139{rng.randint(0, 99_999_999):08d}",
        "parties-0-id_number": "",
        "parties-0-address_xiaoqu": "幸福家园",
        "parties-0-address_building": "3栋",
        "parties-0-address_room": "502",
        "parties-1-role": "respondent",
        "parties-1-name": "李" + rng.choice("伟芳娜敏静丽强磊军洋"),
        "parties-1-phone": f"138{rng.randint(0, 99_999_999):08d}",
        "parties-1-id_number": "",
        "parties-1-address_xiaoqu": "幸福家园",
        "parties-1-address_building": "3栋",
        "parties-1-address_room": "602",
    }


ACCEPT_FORM = {"trigger": "accept", "severity": "", "override_reason": "", "note": "基准测试受理"}
