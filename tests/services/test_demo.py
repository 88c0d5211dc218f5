"""Demo data: legal, consistent records in every state, on SQLite and PostgreSQL."""

from sqlalchemy import Engine, text
from sqlmodel import Session, col, func, select

from models import Case, CaseEvent, Community, User
from services.demo import generate
from services.statistics import live_counts
from workflow import State


def test_demo_data_is_consistent(engine: Engine, session: Session) -> None:
    summary = generate(engine, cases=1500, seed=3, password_hash="x")
    assert summary.cases == session.exec(select(func.count()).select_from(Case)).one() == 1500
    assert session.exec(select(func.count()).select_from(Community)).one() == 8
    assert session.exec(select(func.count()).select_from(User)).one() == summary.users
    states = dict(session.exec(select(Case.state, func.count()).group_by(col(Case.state))).all())
    for state in ("closed", "terminated", "withdrawn", "not_accepted", "agreed", "mediating"):
        assert states.get(state, 0) > 0, state
    assert states["closed"] > 1500 * 0.6
    with engine.connect() as conn:
        bad_versions = conn.execute(
            text(
                'SELECT COUNT(*) FROM "case" c WHERE c.version != '
                "(SELECT COUNT(*) FROM case_event e WHERE e.case_id = c.id)"
            )
        ).scalar_one()
        last_state_mismatch = conn.execute(
            text(
                'SELECT COUNT(*) FROM "case" c JOIN case_event e ON e.id = '
                "(SELECT MAX(id) FROM case_event WHERE case_id = c.id) WHERE e.to_state != c.state"
            )
        ).scalar_one()
        duplicate_numbers = conn.execute(
            text('SELECT COUNT(*) - COUNT(DISTINCT number) FROM "case" WHERE number IS NOT NULL')
        ).scalar_one()
        agreement_dates_differ = conn.execute(  # the desk reads the newest agreement's dates on the case
            text(
                'SELECT COUNT(*) FROM "case" c LEFT JOIN agreement a ON a.id = '
                "(SELECT MAX(id) FROM agreement WHERE case_id = c.id) WHERE "
                "c.agreement_effective_on IS DISTINCT FROM a.effective_on "
                "OR c.follow_up_due IS DISTINCT FROM a.follow_up_due"
            )
        ).scalar_one()
    assert (bad_versions, last_state_mismatch, duplicate_numbers, agreement_dates_differ) == (0, 0, 0, 0)
    with_follow_up = select(func.count()).select_from(Case).where(col(Case.follow_up_due).is_not(None))
    assert session.exec(with_follow_up).one() > 0
    assert live_counts.stored(session) == live_counts.recounted(session)
    assert sum(live_counts.stored(session).values()) == 1500
    chains = session.exec(select(CaseEvent).order_by(col(CaseEvent.case_id), col(CaseEvent.id))).all()
    previous: dict[int, str] = {}
    for event in chains:
        if event.case_id in previous:
            assert event.from_state == previous[event.case_id]
            assert not State(previous[event.case_id]).terminal
        previous[event.case_id] = event.to_state


def test_new_rows_after_demo_data_get_fresh_ids(engine: Engine, factory) -> None:  # type: ignore[no-untyped-def]
    generate(engine, cases=50, seed=1, password_hash="x")
    community = factory.session.exec(select(Community)).first()
    case = factory.case("accepted", community=community)
    assert case.id == 51
