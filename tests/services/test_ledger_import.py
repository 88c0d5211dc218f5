"""The ledger import: the dry run reports every row, the import writes history (not fakes) through the one
write path, statistics of past months count it, and importing again creates nothing."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from sqlalchemy import text
from sqlmodel import Session, col, func, select

from models import Agreement, Case, CaseEvent, Community, LedgerRow, MonthSnapshot, Party
from services.cases import facts_of, intake
from services.errors import Forbidden, Invalid
from services.ledger import IMPORTED, NEW, REFUSED, SKIPPED, check, import_upload, refused_xlsx, store_upload
from services.permissions import actor_for
from services.statistics import kept_months, live_counts
from services.statistics.months import Month
from services.statistics.report import monthly_report, trend
from services.statistics.scope import Scope
from tests.factories import Factory, bj, phone
from tests.ledger_files import LedgerRow as L
from tests.ledger_files import ledger_csv, ledger_xlsx, person, serial_dates_xlsx, two_row_header_xlsx
from workflow import ENGINE

MARCH = Month(2025, 3)


def _upload(factory: Factory, content: bytes, name: str = "台账.xlsx") -> Any:
    staff = factory.staff()
    community = factory.default_community()
    return store_upload(
        factory.session,
        who=actor_for(factory.session, staff),
        community_id=community.id or 0,
        filename=name,
        content=content,
        user_id=staff.id,
    )


def _import(factory: Factory, upload: Any) -> Any:
    staff = factory.staff()
    return import_upload(
        factory.session, upload_id=upload.id, actor=staff, who=actor_for(factory.session, staff)
    )


def _march_ledger(mediator: str) -> list[L]:
    """Five cases accepted in March 2025, worked out by hand in test_statistics_of_a_past_month."""
    p = [person(n) for n in range(1, 6)]
    return [
        # 1: agreed 2025-03-10, written, 1,200 元, visited 2025-03-20 performed and satisfied → closed
        L(
            date(2025, 3, 3),
            closed=date(2025, 3, 10),
            follow_up="2025.3.20 电话回访，已履行，满意",
            phone=p[0][0],
            id_number=p[0][1],
            mediator=mediator,
            amount="1,200",
        ),
        # 2: agreed 2025-03-12, oral, no amount, not visited → agreed
        L(
            "2025.3.5",
            applicant="赵六",
            respondent="钱七",
            result="成功",
            kind="口头",
            amount="",
            closed="2025年3月12日",
            follow_up="",
            phone=p[1][0],
            mediator=mediator,
        ),
        # 3: failed 2025-03-25 → terminated (mediation had started: 调解不成功)
        L(
            date(2025, 3, 8),
            applicant="孙八",
            respondent="周九",
            result="调解不成",
            closed=date(2025, 3, 25),
            follow_up="",
            amount="30000",
            phone=p[2][0],
            mediator=mediator,
        ),
        # 4: still open → mediating (the mediator is a user)
        L(
            date(2025, 3, 15),
            applicant="吴十",
            respondent="郑一",
            result="调解中",
            closed=None,
            follow_up="",
            amount="",
            mediator=mediator,
        ),
        # 5: agreed 2025-04-02 (next month), written, 8,000 元, 基本满意 → closed; accepted in March
        L(
            date(2025, 3, 28),
            applicant="冯二",
            respondent="陈三",
            result="已调解",
            closed=date(2025, 4, 2),
            follow_up="已回访 2025-04-10 基本满意",
            amount="8000",
            mediator=mediator,
            number="（2025）幸福人调字第0042号",
        ),
    ]


def _mediator(factory: Factory) -> Any:
    return factory.member("mediator")


def test_dry_run_reports_each_row_and_writes_nothing(factory: Factory, session: Session) -> None:
    rows = [
        L(date(2025, 3, 3), closed=date(2025, 3, 10)),
        L("2025.3.4", applicant="赵六", amount="一千二", category="外星纠纷"),
        L("", applicant="孙八"),
        L("2099-01-01", applicant="吴十"),
        L("2025.3.5", applicant="郑一", id_number="110101198001011234", phone="1380000"),
        L("2025.3.6", applicant="王五", number="A-1"),
        L("2025.3.7", applicant="王六", number="A-1"),
        L("2025.3.8", applicant="李七", closed="2025.3.1"),
        L("2025.3.9", applicant="张八", result="不知道"),
    ]
    upload = _upload(factory, ledger_xlsx(rows))
    before = session.exec(select(func.count()).select_from(Case)).one()
    report = check(session, upload=upload, today=date(2026, 1, 1))
    by_row = {r.number: r for r in report.rows}
    assert report.header_rows == (3,)
    assert by_row[4].status == NEW and by_row[4].plan is not None and by_row[4].plan.state.value == "closed"
    assert by_row[5].status == REFUSED
    assert any("金额不是数字：一千二" in p for p in by_row[5].problems)
    assert any("纠纷类型「外星纠纷」" in p for p in by_row[5].problems)
    assert by_row[6].problems == ["缺少受理日期"]
    assert by_row[7].problems == ["受理日期晚于今天：2099-01-01"]
    assert "身份证号（第 1 个）：身份证号码校验位不正确，请逐位核对。" in by_row[8].problems
    assert "联系电话（第 1 个）不是 11 位手机号码" in by_row[8].problems
    assert by_row[9].status == NEW
    assert by_row[10].problems == ["与第 9 行重复（案件编号相同）"]
    assert by_row[11].problems == ["结案日期 2025-03-01 早于受理日期 2025-03-08"]
    assert str(by_row[12].problems[0]).startswith("调解结果「不知道」无法对应")
    assert [r.status for r in report.rows[-2:]] == [SKIPPED, SKIPPED]  # 合计, 制表人
    assert report.counts == {NEW: 2, IMPORTED: 0, REFUSED: 7, SKIPPED: 2}
    assert [v.raw for v in report.unmapped()["category"]] == ["外星纠纷"]
    assert [v.raw for v in report.unmapped()["result"]] == ["不知道"]
    assert session.exec(select(func.count()).select_from(Case)).one() == before


@pytest.mark.parametrize(
    "build",
    [ledger_xlsx, two_row_header_xlsx, ledger_csv, serial_dates_xlsx],
    ids=["merged-title-and-total", "two-row-header", "gbk-csv", "serial-dates"],
)
def test_every_shape_reads_the_same_cases(factory: Factory, session: Session, build: Any) -> None:
    rows = [
        L(date(2025, 3, 3), closed=date(2025, 3, 10), follow_up="已回访，满意"),
        L(date(2025, 3, 5), applicant="赵六", respondent="钱七", result="调解不成", closed=date(2025, 3, 20)),
        L(date(2025, 3, 6), applicant="孙八", respondent="周九", result="撤回", closed=date(2025, 3, 7)),
    ]
    report = check(
        session, upload=_upload(factory, build(rows), "台账.csv" if build is ledger_csv else "台账.xlsx")
    )
    new = [r for r in report.rows if r.status == NEW]
    assert [(r.plan.accepted_on, r.plan.state.value) for r in new if r.plan] == [
        (date(2025, 3, 3), "closed"),
        (date(2025, 3, 5), "terminated"),
        (date(2025, 3, 6), "withdrawn"),
    ]
    parties = [[(p.role, p.name) for p in r.plan.parties] for r in new if r.plan]
    assert parties[1] == [("applicant", "赵六"), ("respondent", "钱七")]
    assert {r.plan.category for r in new if r.plan} == {"邻里"}
    assert report.counts[REFUSED] == 0


def test_import_writes_history_through_the_write_path(factory: Factory, session: Session) -> None:
    mediator = _mediator(factory)
    upload = _upload(factory, ledger_xlsx(_march_ledger(mediator.display_name)))
    result = _import(factory, upload)
    assert (result.created, result.skipped, result.refused) == (5, 0, 0)
    assert session.exec(select(func.count()).select_from(Case)).one() == 5
    by_state = dict(session.exec(select(Case.state, func.count()).group_by(col(Case.state))).all())
    assert by_state == {"closed": 2, "agreed": 1, "terminated": 1, "mediating": 1}
    first = session.exec(select(Case).order_by(col(Case.id))).first()
    assert first is not None
    events = session.exec(
        select(CaseEvent).where(CaseEvent.case_id == first.id).order_by(col(CaseEvent.id))
    ).all()
    assert [e.trigger for e in events] == [
        "register",
        "accept",
        "assign",
        "notify_rights",
        "start_mediation",
        "record_agreement",
        "follow_up",
    ]
    assert [e.at.date().isoformat() for e in events] == ["2025-03-03"] * 5 + ["2025-03-10", "2025-03-20"]
    assert all(e.data["imported"]["row"] == 4 for e in events)
    assert events[0].data["imported"]["file"] == "台账.xlsx"
    assert events[0].data["imported"]["by"] == factory.staff().id
    assert first.assignee_id == mediator.id and first.tier == "mediator" and first.number
    assert first.number.startswith("（2025）幸福人调导字第")
    kept = session.exec(select(Case).where(Case.number == "（2025）幸福人调字第0042号")).one()
    assert (kept.number_year, kept.number_seq) == (2025, 42)
    party = session.exec(select(Party).where(Party.case_id == first.id, Party.role == "applicant")).one()
    assert party.phone == person(1)[0] and party.id_number == person(1)[1]
    # The invariants every writer keeps: one event per version, the last event's state is the case's.
    with session.get_bind().connect() as conn:
        bad = conn.execute(
            text(
                'SELECT COUNT(*) FROM "case" c WHERE c.version != (SELECT COUNT(*) FROM case_event e '
                "WHERE e.case_id = c.id) OR c.state != (SELECT to_state FROM case_event e "
                "WHERE e.case_id = c.id ORDER BY e.id DESC LIMIT 1)"
            )
        ).scalar_one()
    assert bad == 0
    assert live_counts.stored(session) == live_counts.recounted(session)
    assert session.exec(select(func.count()).select_from(LedgerRow)).one() == 5


def test_statistics_of_a_past_month_equal_hand_counts(factory: Factory, session: Session) -> None:
    mediator = _mediator(factory)
    _import(factory, _upload(factory, ledger_xlsx(_march_ledger(mediator.display_name))))
    community = factory.default_community()
    scope = Scope("community", f"community:{community.id}", community.name, frozenset({community.id or 0}))
    march = monthly_report(session, scope, MARCH).current
    # By hand: 5 accepted in March; agreed in March: rows 1 and 2; failed after mediation: row 3;
    # agreements recorded in March: row 1 written 1,200 元, row 2 oral without amount; the follow-up of
    # row 1 (2025-03-20) found it performed and the parties satisfied.
    assert (march.accepted, march.success, march.failure) == (5, 2, 1)
    assert (march.written, march.oral, march.amount) == (1, 1, Decimal("1200.00"))
    assert (march.follow_ups, march.performed, march.satisfied) == (1, 1, 1)
    april = monthly_report(session, scope, MARCH.shift(1)).current
    assert (april.accepted, april.success, april.written, april.amount) == (0, 1, 1, Decimal("8000.00"))
    assert (april.follow_ups, april.performed, april.satisfied) == (1, 1, 1)
    # 同比: March 2026 compares with the imported March 2025; the 12-month trend shows the history.
    assert monthly_report(session, scope, Month(2026, 3)).last_year.accepted == 5
    points = {p.month: (p.accepted, p.success) for p in trend(session, scope, Month(2025, 12))}
    assert points[MARCH] == (5, 2) and points[MARCH.shift(1)] == (0, 1) and points[MARCH.shift(-1)] == (0, 0)


def test_kept_months_the_import_touches_are_taken_again(factory: Factory, session: Session) -> None:
    community = factory.default_community()
    kept_months.take(session, frozenset({community.id or 0}), MARCH)
    assert (
        kept_months.load(session, frozenset({community.id or 0}), MARCH)[community.id or 0].counts["accepted"]
        == 0
    )  # type: ignore[index]
    result = _import(factory, _upload(factory, ledger_xlsx(_march_ledger(_mediator(factory).display_name))))
    assert "2025-03" in result.months_taken_again
    kept = kept_months.load(session, frozenset({community.id or 0}), MARCH)
    assert kept is not None and kept[community.id or 0].counts["accepted"] == 5
    assert session.exec(select(MonthSnapshot).where(MonthSnapshot.month == "2025-04")).first() is None


def test_importing_the_same_file_again_creates_nothing(factory: Factory, session: Session) -> None:
    content = ledger_xlsx(_march_ledger(_mediator(factory).display_name))
    _import(factory, _upload(factory, content))
    counts = {
        m: session.exec(select(func.count()).select_from(m)).one()
        for m in (Case, CaseEvent, Party, Agreement)
    }
    again = _import(factory, _upload(factory, content))
    assert (again.created, again.skipped) == (0, 5)
    assert {m: session.exec(select(func.count()).select_from(m)).one() for m in counts} == counts
    # The same rows in a different file (re-saved, another name) are the same rows.
    report = check(session, upload=_upload(factory, ledger_csv(_march_ledger("")), "台账.csv"))
    assert report.counts[IMPORTED] == 4  # the CSV has no case number column: row 5 is another identity


def test_a_corrected_reimport_adds_only_the_rows_refused_before(factory: Factory, session: Session) -> None:
    rows = [
        L(date(2025, 3, 3), closed=date(2025, 3, 10)),
        L("2025.3.4", applicant="赵六", respondent="钱七", category="外星纠纷"),
    ]
    first = _import(factory, _upload(factory, ledger_xlsx(rows)))
    assert (first.created, first.refused) == (1, 1)
    refused = openpyxl.load_workbook(io.BytesIO(refused_xlsx(first.report)))
    sheet = refused.active
    header = [c.value for c in sheet[1]]
    assert header[-2:] == ["原表行号", "未导入原因"]
    assert sheet.max_row == 2
    assert sheet.cell(2, header.index("申请人") + 1).value == "赵六"
    assert sheet.cell(2, len(header) - 1).value == 5
    assert "外星纠纷" in sheet.cell(2, len(header)).value
    # Fix the category in the refused-rows file and import it: only that row is added.
    sheet.cell(2, header.index("纠纷类型") + 1).value = "邻里"
    fixed = io.BytesIO()
    refused.save(fixed)
    second = _import(factory, _upload(factory, fixed.getvalue(), "台账_改.xlsx"))
    assert (second.created, second.skipped, second.refused) == (1, 0, 0)
    # And the whole corrected ledger again: nothing new.
    rows[1].category = "邻里"
    third = _import(factory, _upload(factory, ledger_xlsx(rows)))
    assert (third.created, third.skipped) == (0, 2)
    assert session.exec(select(func.count()).select_from(Case)).one() == 2


def test_numbers_never_collide_with_those_issued_on_acceptance(factory: Factory, session: Session) -> None:
    rows = [
        L(date(2025, 3, 3), number="（2026）幸福人调字第0005号"),
        L(date(2025, 3, 4), applicant="赵六"),
        L(date(2025, 3, 5), applicant="钱七", number="（2026）幸福人调字第0001号"),
    ]
    existing = factory.case("accepted", now=bj(2026, 1, 5))
    assert existing.number == "（2026）幸福人调字第0001号"
    report = check(session, upload=_upload(factory, ledger_xlsx(rows)))
    assert report.rows[2].status == REFUSED
    assert report.rows[2].problems == ["案件编号「（2026）幸福人调字第0001号」已被本社区的其他案件使用"]
    _import(factory, _upload(factory, ledger_xlsx(rows)))
    imported = session.exec(select(Case.number).where(col(Case.number).like("%人调导字%"))).all()
    assert imported == ["（2025）幸福人调导字第0001号"]
    # A number of the community's own form moves the series on: the next acceptance in 2026 comes after it.
    later = factory.case("accepted", now=bj(2026, 6, 1))
    assert later.number == "（2026）幸福人调字第0006号"


def test_the_repeat_rule_sees_imported_cases(factory: Factory, session: Session) -> None:
    tel = phone(4242)
    recent = factory.case("registered").registered_at
    day = recent.date()
    _import(factory, _upload(factory, ledger_xlsx([L(day, phone=tel, amount="", closed=day)])))
    data = factory.intake_input(claimed_amount=None)
    data.parties[0].phone = tel
    case = intake(session=session, actor=factory.staff(), data=data)
    assert "日内有案" in case.triage_reasons


def test_a_mediator_of_another_tier_takes_the_case_at_theirs(factory: Factory, session: Session) -> None:
    volunteer = factory.member("volunteer")
    rows = [
        # 30,000 元: triage says 较大 (社区法官); the ledger's mediator is a volunteer, still mediating.
        L(date(2025, 3, 3), mediator=volunteer.display_name, result="调解中", amount="30000", follow_up=""),
        L(date(2025, 3, 4), applicant="赵六", mediator=volunteer.display_name, amount="30000"),
        L(date(2025, 3, 5), applicant="钱七", mediator=volunteer.display_name, amount=""),  # 轻微: fits
    ]
    upload = _upload(factory, ledger_xlsx(rows))
    report = check(session, upload=upload)
    notes = {r.number: r.notes for r in report.rows if r.status == NEW}
    assert any("受理时定为轻微（分级建议较大，社区法官）" in n for n in notes[4])
    assert not any("受理时定为" in n for n in notes[6])
    _import(factory, upload)
    open_case = session.exec(select(Case).where(Case.state == "mediating")).one()
    assert (open_case.assignee_id, open_case.tier, open_case.severity) == (volunteer.id, "volunteer", "minor")
    assert (open_case.severity_computed, open_case.severity_overridden) == ("major", True)
    accept = session.exec(
        select(CaseEvent).where(CaseEvent.case_id == open_case.id, CaseEvent.trigger == "accept")
    ).one()
    assert accept.data["severity"] == "minor"
    # The volunteer may go on with it as with any case of theirs: the engine offers the next steps.
    offered = ENGINE.available(facts_of(session, open_case), actor_for(session, volunteer))
    assert {a.trigger for a in offered if a.allowed} >= {"record_agreement", "terminate"}
    assert live_counts.stored(session) == live_counts.recounted(session)


def test_only_staff_of_the_community_or_admins_import(factory: Factory, session: Session) -> None:
    upload = _upload(factory, ledger_xlsx([L(date(2025, 3, 3))]))
    volunteer = factory.member("volunteer")
    with pytest.raises(Forbidden):
        import_upload(session, upload_id=upload.id, actor=volunteer, who=actor_for(session, volunteer))
    other = factory.staff(factory.community())
    with pytest.raises(Forbidden):
        import_upload(session, upload_id=upload.id, actor=other, who=actor_for(session, other))
    assert session.exec(select(func.count()).select_from(Case)).one() == 0
    admin = factory.user("admin", communities=[])
    assert (
        import_upload(session, upload_id=upload.id, actor=admin, who=actor_for(session, admin)).created == 1
    )
    assert session.exec(select(Community)).first() is not None


BOOM_SQLITE = (
    "CREATE TRIGGER boom BEFORE INSERT ON \"case\" WHEN NEW.facts = 'boom' "
    "BEGIN SELECT RAISE(ABORT, 'boom'); END",
)
BOOM_POSTGRES = (
    "CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN IF NEW.facts = 'boom' THEN RAISE EXCEPTION 'boom'; "
    "END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
    'CREATE TRIGGER boom BEFORE INSERT ON "case" FOR EACH ROW EXECUTE FUNCTION boom()',
)


def test_a_batch_that_fails_writes_nothing_and_the_batches_before_it_stay(
    factory: Factory, session: Session
) -> None:
    rows = [L(date(2025, 3, d), applicant=f"张{d}") for d in range(1, 6)]
    rows[2].facts = "boom"  # the database refuses this case (a trigger): batch 2 of 2-row batches fails
    upload = _upload(factory, ledger_xlsx(rows))
    postgres = session.get_bind().dialect.name == "postgresql"
    with session.get_bind().begin() as conn:
        for statement in BOOM_POSTGRES if postgres else BOOM_SQLITE:
            conn.exec_driver_sql(statement)
    try:
        staff = factory.staff()
        with pytest.raises(Invalid) as err:
            import_upload(session, upload_id=upload.id, actor=staff, who=actor_for(session, staff), batch=2)
        assert "第 2 批（第 6–7 行）写入失败" in err.value.message and "已写入 2 件" in err.value.message
        session.rollback()
        assert session.exec(select(func.count()).select_from(Case)).one() == 2
        assert session.exec(select(func.count()).select_from(LedgerRow)).one() == 2
        assert live_counts.stored(session) == live_counts.recounted(session)
    finally:
        session.rollback()  # the session's reads hold a lock DROP TRIGGER waits for (PostgreSQL)
        with session.get_bind().begin() as conn:
            conn.exec_driver_sql('DROP TRIGGER boom ON "case"' if postgres else "DROP TRIGGER boom")
            if postgres:
                conn.exec_driver_sql("DROP FUNCTION boom()")
    rows[2].facts = "楼上卫生间漏水"
    again = _import(factory, _upload(factory, ledger_xlsx(rows)))
    assert (again.created, again.skipped) == (3, 2)  # goes on where it stopped
