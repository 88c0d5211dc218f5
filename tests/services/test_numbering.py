"""Case numbers: per community and year, gap-free, unique when many staff accept at once."""

import threading
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session

from services.cases import apply
from services.db import session_factory
from services.numbering import format_number
from tests.factories import Factory


def test_number_format() -> None:
    assert format_number(2026, "幸福", 7) == "（2026）幸福人调字第0007号"


def test_numbers_restart_each_year_and_per_community(factory: Factory) -> None:
    other = factory.community("和平社区", "和平")
    dec = datetime(2026, 12, 31, 15, 30, tzinfo=UTC)  # 2026-12-31 23:30 Beijing
    jan = datetime(2026, 12, 31, 16, 30, tzinfo=UTC)  # 2027-01-01 00:30 Beijing
    assert factory.case("accepted", now=dec).number == "（2026）幸福人调字第0001号"
    assert factory.case("accepted", now=jan).number == "（2027）幸福人调字第0001号"
    assert factory.case("accepted", now=jan).number == "（2027）幸福人调字第0002号"
    assert factory.case("accepted", community=other, now=jan).number == "（2027）和平人调字第0001号"


def test_refused_acceptance_leaves_no_gap(factory: Factory) -> None:
    first = factory.case("accepted")
    case = factory.case("registered")
    try:
        factory.fire(case, "accept", severity="major")  # override without a reason: refused
    except Exception as err:
        assert "理由" in str(err)
    second = factory.fire(case, "accept")
    assert (first.number_seq, second.number_seq) == (1, 2)


def test_twenty_staff_accepting_at_once_get_twenty_consecutive_numbers(
    factory: Factory, engine: Engine, session: Session
) -> None:
    staff = factory.staff()
    ids = [factory.case("registered").id for _ in range(20)]
    make_session = session_factory(engine)
    barrier = threading.Barrier(20)
    numbers: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def accept(case_id: int | None) -> None:
        assert case_id is not None
        with make_session() as s:
            try:
                barrier.wait()
                case = apply(
                    session=s, case_id=case_id, trigger="accept", actor=staff, data={}, expected_version=1
                ).case
                with lock:
                    numbers.append(case.number_seq or 0)
            except BaseException as err:
                with lock:
                    errors.append(err)

    threads = [threading.Thread(target=accept, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == list(range(1, 21))
