"""The dry run: every row of a ledger checked and planned, nothing written.

Each row gets a status — ``new`` (would become a case, in the state its outcome implies), ``imported``
(its identity is already in: a re-import creates nothing), ``refused`` (with every reason and its row
number in the sheet) or ``skipped`` (a 合计 or signature line) — and the free-text values of the mapped
fields are counted, each with what it maps to, so the mapping page can show every unmapped one.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right, insort
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from sqlmodel import Session, col, select

from models import Case, Community, LedgerMapping, LedgerRow, LedgerUpload, Party, TermKind
from services import clock
from services.cases import party_keys
from services.inputs import IntakeInput, PartyInput, triage_facts
from services.ledger.cells import (
    CellProblem,
    amount_of,
    count_of,
    dates_in,
    day_of,
    names_of,
    numbers_of,
    text_of,
)
from services.ledger.columns import BY_NAME, Column, apply_choices, find_layout
from services.ledger.reading import Cell, LedgerError, Sheet, sheets
from services.ledger.values import MAPPED_FIELDS, NOT_A_USER, Vocabulary
from services.policy import current_policy
from services.validation import id_number_problem, is_mobile
from services.vocabulary import names_by_id
from services.walks import SEVERITY_OF, frozen_heap
from workflow import Policy, Severity, State, Tier, TriageFacts, TriageResult, triage
from workflow.roles import TIER_ORDER
from workflow.text import Text, _

NEW, IMPORTED, REFUSED, SKIPPED = "new", "imported", "refused", "skipped"
STATUS_LABELS = {NEW: _("将导入"), IMPORTED: _("已导入过"), REFUSED: _("不能导入"), SKIPPED: _("跳过")}
_TOTAL_WORDS = (
    "合计",
    "总计",
    "小计",
    "共计",
    "总数",
    "制表",
    "填表",
    "审核",
    "负责人",
    "填报",
    "统计人",
    "单位盖章",
)
MAX_NAME = 50
FREEZE_EVERY = 10_000  # rows checked between two freezes of what the check holds (services.walks.frozen_heap)


class LedgerParty(NamedTuple):
    """A party as a ledger row names it."""

    role: str
    name: str
    phone: str
    id_number: str


# community, category, source, facts, parties, claimed amount, people involved: Planned's first fields
_Complaint = tuple[int, str, str, str, tuple[LedgerParty, ...], Decimal | None, int]


@dataclass(slots=True)
class Planned:
    """What a row says, typed: the complaint it becomes and how its case went.

    The complaint is kept as plain values and becomes an ``IntakeInput`` when asked (``intake``): a
    check of 100,000 rows holding three pydantic models a row held 280 MB more.
    """

    community_id: int
    category: str
    source: str
    facts: str
    parties: tuple[LedgerParty, ...]
    claimed_amount: Decimal | None
    people_involved: int
    accepted_on: date
    closed_on: date | None
    visited_on: date | None
    number: str
    mediator: str
    mediator_id: int | None
    outcome: str
    kind: str
    follow_up: str
    agreed_amount: Decimal | None
    remark: str
    result_text: str
    follow_up_text: str
    state: State
    triage: TriageResult | None = None
    severity: Severity | None = None  # chosen at acceptance over the triage's: the mediator's tier took it

    @property
    def intake(self) -> IntakeInput:
        """The complaint as intake takes it, built unchecked: the row's own checks said each problem in
        the ledger's words (a row with any is not imported); intake's checks would say the first only."""
        return IntakeInput.model_construct(
            community_id=self.community_id,
            category=self.category,
            source=self.source,
            facts=self.facts,
            parties=[PartyInput.model_construct(**p._asdict()) for p in self.parties],
            claimed_amount=self.claimed_amount,
            people_involved=self.people_involved,
        )

    @property
    def tier(self) -> Tier | None:
        """The tier the case is with once imported."""
        if self.severity is not None:
            return self.severity.tier
        return self.triage.tier if self.triage else None


@dataclass(slots=True)
class RowCheck:
    number: int  # the row's number in the sheet
    status: str
    problems: list[Text] = field(default_factory=list)  # shown in the reader's language (web.display.shown)
    notes: list[Text] = field(default_factory=list)
    plan: Planned | None = None
    key: str = ""
    cells: list[Cell] | None = None  # kept for refused rows (the file of refused rows shows them)


@dataclass
class ValueSeen:
    raw: str
    count: int
    target: str | None
    chosen: bool  # a person chose it (else guessed)


@dataclass
class CheckReport:
    """What importing would do, row by row."""

    filename: str
    sheet: str
    other_sheets: list[str]
    header_rows: tuple[int, ...]
    columns: list[Column]
    vocabulary: Vocabulary
    blocking: list[Text] = field(default_factory=list)
    rows: list[RowCheck] = field(default_factory=list)
    values: dict[str, list[ValueSeen]] = field(default_factory=dict)
    titles: list[str | Text] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(r.status for r in self.rows)
        return {status: found.get(status, 0) for status in (NEW, IMPORTED, REFUSED, SKIPPED)}

    @property
    def states(self) -> dict[str, int]:
        """Cases the import would create, per state they would end in."""
        return dict(Counter(r.plan.state.value for r in self.rows if r.status == NEW and r.plan))

    def unmapped(self) -> dict[str, list[ValueSeen]]:
        """Per field, the values that map to nothing (their rows are refused)."""
        out = {}
        for name, seen in self.values.items():
            missing = [v for v in seen if v.target is None]
            if missing:
                out[name] = missing
        return out


def stored_mapping(session: Session, community_id: int) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """The community's remembered column and value choices."""
    row = session.get(LedgerMapping, community_id)
    if row is None:
        return {}, {}
    return dict(row.columns), {k: dict(v) for k, v in row.values.items()}


def first_ledger_sheet(content: bytes, filename: str, remembered: Mapping[str, str]) -> tuple[Sheet, Any]:
    """The first worksheet with a recognisable header, and its layout."""
    failure: LedgerError | None = None
    found = sheets(content, filename)
    try:
        for sheet in found:
            try:
                return sheet, find_layout(sheet, remembered)
            except LedgerError as why:
                failure = failure or why
    finally:
        found.close()  # lets the workbook go
    raise failure or LedgerError(_("文件里没有工作表。"))


def check(
    session: Session,
    *,
    upload: LedgerUpload,
    today: date | None = None,
    columns: Mapping[str, str] | None = None,
    values: Mapping[str, Mapping[str, str]] | None = None,
) -> CheckReport:
    """Check every row of an upload with the community's mapping (or the choices given); writes nothing.

    Raises LedgerError when the file cannot be read as a ledger at all.
    """
    today = today or clock.local_date()
    community = session.get(Community, upload.community_id)
    assert community is not None and community.id is not None
    remembered_columns, remembered_values = stored_mapping(session, community.id)
    if columns is not None:
        remembered_columns = {**remembered_columns, **columns}
    chosen_values = {f: dict(remembered_values.get(f, {})) for f in MAPPED_FIELDS}
    for name, chosen in (values or {}).items():
        chosen_values.setdefault(name, {}).update(chosen)
    sheet, layout = first_ledger_sheet(upload.content, upload.filename, remembered_columns)
    blocking = apply_choices(layout, columns or {})
    vocabulary = Vocabulary.of(session, community.id)
    report = CheckReport(
        upload.filename,
        sheet.name,
        sheet.other_sheets,
        layout.header_rows,
        layout.columns,
        vocabulary,
        blocking,
        titles=[c.title for c in layout.columns],
    )
    for label in layout.missing():
        report.blocking.append(
            _("还没有对应到必需的列「%(field)s」：请在对应页中为它选择一列。").of(field=label)
        )
    if report.blocking:
        return report
    checker = _RowChecker(layout.field_columns(), vocabulary, chosen_values, today, sheet.formula_cells)
    checker.community_id = community.id
    rows = sheet.rows
    with frozen_heap() as freeze:
        for i in range(layout.first_data, len(rows)):
            number, cells = rows[i]
            rows[i] = (number, [])  # the cells live on only in a refused row (a 100,000-row sheet is big)
            report.rows.append(checker.row(number, cells))
            if i % FREEZE_EVERY == 0:
                freeze()
        report.values = checker.seen()
        _duplicates(report.rows)
        _against_database(session, community.id, report.rows)
        _triage(session, report.rows, current_policy(session), vocabulary)
    return report


class _RowChecker:
    """Checks rows one by one; remembers how each free-text value mapped (and how often it was met)."""

    def __init__(
        self,
        columns: dict[str, int],
        vocabulary: Vocabulary,
        chosen: dict[str, dict[str, str]],
        today: date,
        formulas: dict[int, list[str]],
    ) -> None:
        self.columns = columns
        self.vocabulary = vocabulary
        self.chosen = chosen
        self.today = today
        self.formulas = formulas
        self.resolved: dict[str, dict[str, tuple[str | None, bool]]] = {f: {} for f in MAPPED_FIELDS}
        self.counts: dict[str, Counter[str]] = {f: Counter() for f in MAPPED_FIELDS}
        self.community_id = 0

    def cell(self, cells: list[Cell], name: str) -> Cell:
        index = self.columns.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    def value(self, cells: list[Cell], name: str) -> tuple[str, str | None]:
        """The raw text of a mapped field and what it maps to."""
        raw = " ".join(text_of(self.cell(cells, name)).split()) if name in self.columns else ""  # one line
        known = self.resolved[name].get(raw)
        if known is None:
            known = self.resolved[name][raw] = self.vocabulary.resolve(name, raw, self.chosen.get(name, {}))
        if name in self.columns:
            self.counts[name][raw] += 1
        return raw, known[0]

    def seen(self) -> dict[str, list[ValueSeen]]:
        return {
            name: [ValueSeen(raw, n, *self.resolved[name][raw]) for raw, n in counts.most_common()]
            for name, counts in self.counts.items()
            if name in self.columns
        }

    def day(self, cells: list[Cell], name: str, problems: list[Text]) -> date | None:
        try:
            day = day_of(self.cell(cells, name))
        except CellProblem as why:
            problems.append(_("%(field)s：%(why)s").of(field=BY_NAME[name].label, why=why.text))
            return None
        if day is not None and day > self.today:
            problems.append(_("%(field)s晚于今天：%(day)s").of(field=BY_NAME[name].label, day=day))
            return None
        return day

    def row(self, number: int, cells: list[Cell]) -> RowCheck:
        first = next((text_of(c) for c in cells if text_of(c)), "")
        if first.replace(" ", "").startswith(_TOTAL_WORDS):
            return RowCheck(
                number, SKIPPED, notes=[_("合计或表尾行（%(first)s），跳过").of(first=first[:20])]
            )
        problems: list[Text] = []
        notes: list[Text] = []
        if number in self.formulas:
            problems.append(
                _("%(cells)s 是公式，没有计算结果：请在 Excel 中打开并保存，或复制后「粘贴为数值」").of(
                    cells=" ".join(self.formulas[number][:5])
                )
            )
        plan = self.plan(cells, problems, notes)
        if problems or plan is None:
            return RowCheck(number, REFUSED, problems, notes, cells=cells)
        return RowCheck(number, NEW, problems, notes, plan, _identity(plan))

    def plan(self, cells: list[Cell], problems: list[Text], notes: list[Text]) -> Planned | None:
        accepted_on, closed_on = self.dates(cells, problems)
        result_text, outcome = self.value(cells, "result")
        if outcome is None:
            problems.append(
                _("调解结果「%(text)s」无法对应（调解成功、调解不成、撤回或未结），请在对应页中选择").of(
                    text=result_text
                )
            )
        complaint = self.complaint(cells, problems)
        agreed_amount = self.amount(cells, "agreed_amount", problems)
        mediator, mediator_id = self.mediator(cells, problems)
        number = text_of(self.cell(cells, "number"))
        if len(number) > 60:
            problems.append(_("案件编号超过 60 个字"))
        follow_up_text, follow_up = self.value(cells, "follow_up")
        if follow_up is None:
            problems.append(_("回访情况「%(text)s」无法对应，请在对应页中选择").of(text=follow_up_text))
        kind_text, kind = self.value(cells, "agreement_kind")
        if outcome == "success" and kind is None:
            problems.append(
                _("协议形式「%(text)s」无法对应（书面或口头），请在对应页中选择").of(text=kind_text)
            )
        if problems or accepted_on is None or outcome is None or complaint is None:
            return None
        follow_up = follow_up or "none"
        visited_on = self.visit_day(outcome, follow_up, follow_up_text, closed_on or accepted_on, problems)
        state = _state(outcome, follow_up, mediator_id)
        if state is State.DEFAULTED and mediator_id is None:
            problems.append(
                _("回访未履行的案件须对应系统中的调解员（在对应页的「调解员」中选择），导入后由其继续办理")
            )
        if problems:
            return None
        if outcome != "open" and closed_on is None:
            notes.append(_("结案日期为空，按受理日期记"))
        if state is State.ACCEPTED and mediator:
            notes.append(_("调解员「%(name)s」不是本社区的系统用户：导入后待指派").of(name=mediator))
        remark = text_of(self.cell(cells, "remark"))
        return Planned(
            *complaint,
            accepted_on=accepted_on,
            closed_on=closed_on,
            visited_on=visited_on,
            number=number,
            mediator=mediator,
            mediator_id=mediator_id,
            outcome=outcome,
            kind=kind or "written",
            follow_up=follow_up,
            agreed_amount=agreed_amount,
            remark=remark,
            result_text=result_text,
            follow_up_text=follow_up_text,
            state=state,
        )

    def dates(self, cells: list[Cell], problems: list[Text]) -> tuple[date | None, date | None]:
        before = len(problems)
        accepted_on = self.day(cells, "accepted_on", problems)
        if accepted_on is None and len(problems) == before:  # blank (a bad date has said why)
            problems.append(_("缺少受理日期"))
        closed_on = self.day(cells, "closed_on", problems)
        if accepted_on and closed_on and closed_on < accepted_on:
            problems.append(
                _("结案日期 %(closed)s 早于受理日期 %(accepted)s").of(closed=closed_on, accepted=accepted_on)
            )
        return accepted_on, closed_on

    def complaint(self, cells: list[Cell], problems: list[Text]) -> _Complaint | None:
        """The complaint as intake would take it: category, source, facts, parties, amount, people."""
        category_text, category = self.value(cells, "category")
        if category is None:
            problems.append(
                _("纠纷类型「%(text)s」不在本系统的纠纷类型中，请在对应页中选择对应的类型").of(
                    text=category_text
                )
                if category_text
                else _("纠纷类型为空，请在对应页中选择对应的类型")
            )
        _source_text, source = self.value(cells, "source")
        if source is None:
            problems.append(_("案件来源无法对应，请在对应页中选择"))
        facts = text_of(self.cell(cells, "facts"))
        if not facts:
            problems.append(_("缺少纠纷简要情况"))
        parties = self.parties(cells, problems)
        amount = self.amount(cells, "amount", problems)
        try:
            people = count_of(self.cell(cells, "people"))
        except CellProblem as why:
            problems.append(_("%(field)s：%(why)s").of(field=BY_NAME["people"].label, why=why.text))
            people = None
        if category is None or source is None:
            return None
        return self.community_id, category, source, facts, parties, amount, people or 0

    def mediator(self, cells: list[Cell], problems: list[Text]) -> tuple[str, int | None]:
        """The mediator's name as written, and the user it maps to (None: not a user here)."""
        name = text_of(self.cell(cells, "mediator"))
        if len(name) > MAX_NAME:
            problems.append(_("调解员姓名超过 %(most)s 个字").of(most=MAX_NAME))
        _name, value = self.value(cells, "mediator")
        return name, int(value) if value not in (None, NOT_A_USER) else None

    def parties(self, cells: list[Cell], problems: list[Text]) -> tuple[LedgerParty, ...]:
        applicants = names_of(self.cell(cells, "applicant"))
        respondents = names_of(self.cell(cells, "respondent"))
        if "respondent" not in self.columns and len(applicants) > 1:  # one 当事人 column: 张三、李四
            applicants, respondents = applicants[:1], applicants[1:]
        if not applicants:
            problems.append(_("缺少申请人（当事人）"))
        if not respondents:
            problems.append(
                _("缺少被申请人")
                if "respondent" in self.columns
                else _("当事人只有一人：须有申请人和被申请人")
            )
        names = applicants + respondents
        if any(len(n) > MAX_NAME for n in names):
            problems.append(_("当事人姓名超过 %(most)s 个字").of(most=MAX_NAME))
        phones = numbers_of(self.cell(cells, "phone"))
        ids = [n.upper() for n in numbers_of(self.cell(cells, "id_number"))]
        for name, found in (("phone", phones), ("id_number", ids)):
            if len(found) > len(names):
                problems.append(
                    _("%(field)s有 %(found)s 个，多于当事人人数（%(parties)s）").of(
                        field=BY_NAME[name].label, found=len(found), parties=len(names)
                    )
                )
        for i, phone in enumerate(phones, start=1):
            if not is_mobile(phone):
                problems.append(_("联系电话（第 %(n)s 个）不是 11 位手机号码").of(n=i))
        for i, number in enumerate(ids, start=1):
            problem = id_number_problem(number, self.today)
            if problem:  # said already, in the reader's language
                problems.append(_("身份证号（第 %(n)s 个）：%(why)s").of(n=i, why=Text(problem)))
        roles = ["applicant"] * len(applicants) + ["respondent"] * len(respondents)
        return tuple(
            LedgerParty(role, name, phones[i] if i < len(phones) else "", ids[i] if i < len(ids) else "")
            for i, (role, name) in enumerate(zip(roles, names, strict=True))
        )

    def amount(self, cells: list[Cell], name: str, problems: list[Text]) -> Decimal | None:
        try:
            return amount_of(self.cell(cells, name))
        except CellProblem as why:
            problems.append(_("%(field)s：%(why)s").of(field=BY_NAME[name].label, why=why.text))
            return None

    def visit_day(
        self, outcome: str, follow_up: str, text: str, agreed_on: date, problems: list[Text]
    ) -> date | None:
        """The day of the follow-up: a date written in the 回访 text, else the day the case was closed."""
        if outcome != "success" or follow_up == "none":
            return None
        written = [d for d in dates_in(text) if d <= self.today]
        day = written[-1] if written else agreed_on
        if day < agreed_on:
            problems.append(
                _("回访日期 %(visited)s 早于结案日期 %(closed)s").of(visited=day, closed=agreed_on)
            )
        return day


def _state(outcome: str, follow_up: str, mediator_id: int | None) -> State:
    """The state an outcome implies: agreed and visited → closed; failed → terminated; open → as it stands."""
    if outcome == "success":
        if follow_up == "none":
            return State.AGREED
        return State.DEFAULTED if follow_up == "not_performed" else State.CLOSED
    if outcome == "failure":
        return State.TERMINATED
    if outcome == "withdrawn":
        return State.WITHDRAWN
    return State.MEDIATING if mediator_id is not None else State.ACCEPTED


def _identity(plan: Planned) -> str:
    """A row's identity: its case number, else its date, parties and facts."""
    if plan.number:
        return "no:" + plan.number
    parties = plan.parties
    text = "|".join(
        (
            plan.accepted_on.isoformat(),
            ",".join(p.name for p in parties if p.role == "applicant"),
            ",".join(p.name for p in parties if p.role == "respondent"),
            plan.facts,
        )
    )
    return "h:" + hashlib.sha256(text.encode()).hexdigest()[:40]


def _refuse(row: RowCheck, why: Text) -> None:
    row.status = REFUSED
    row.problems.append(why)


def _duplicates(rows: list[RowCheck]) -> None:
    """The second and later rows of one identity are refused, naming the first."""
    first: dict[str, int] = {}
    for row in rows:
        if row.status != NEW:
            continue
        if row.key in first:
            same = (
                _("与第 %(row)s 行重复（案件编号相同）")
                if row.key.startswith("no:")
                else _("与第 %(row)s 行重复（受理日期、当事人和纠纷情况相同）")
            )
            _refuse(row, same.of(row=first[row.key]))
        else:
            first[row.key] = row.number


def _chunks(values: list[Any], size: int = 500) -> Iterable[list[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _against_database(session: Session, community_id: int, rows: list[RowCheck]) -> None:
    """Rows already imported become ``imported``; a number another case of the community holds is refused."""
    new = [r for r in rows if r.status == NEW]
    imported = known_keys(session, community_id, [r.key for r in new])
    numbers = used_numbers(session, community_id, [r.plan.number for r in new if r.plan and r.plan.number])
    for row in new:
        if row.key in imported:
            row.status = IMPORTED
            row.notes.append(_("此行已导入过，不再重复导入"))
        elif row.plan and row.plan.number in numbers:
            _refuse(row, _("案件编号「%(number)s」已被本社区的其他案件使用").of(number=row.plan.number))


def known_keys(session: Session, community_id: int, keys: list[str]) -> set[str]:
    """The identities among ``keys`` already imported in the community."""
    found: set[str] = set()
    for chunk in _chunks(sorted(set(keys))):
        query = select(LedgerRow.key).where(
            LedgerRow.community_id == community_id, col(LedgerRow.key).in_(chunk)
        )
        found.update(session.exec(query))
    return found


def used_numbers(session: Session, community_id: int, numbers: list[str]) -> set[str]:
    """The case numbers among ``numbers`` some case of the community already has."""
    found: set[str] = set()
    for chunk in _chunks(sorted(set(numbers))):
        query = select(Case.number).where(Case.community_id == community_id, col(Case.number).in_(chunk))
        found.update(n for n in session.exec(query) if n)
    return found


# --- triage, with the repeat-dispute rule seeing earlier rows and the cases already in -------------------
def _triage(session: Session, rows: list[RowCheck], policy: Policy, vocabulary: Vocabulary) -> None:
    """Each new row's severity and tier by the policy in force, as intake would grade it on its day; a
    mediator of the ledger who may not take cases of that tier took it at theirs (chosen at acceptance)."""
    new = sorted((r for r in rows if r.status == NEW and r.plan), key=_by_day)
    seen = _earlier_cases(session, [r.plan for r in new if r.plan])
    category_ids = {name: id_ for id_, name in names_by_id(session, TermKind.CATEGORY).items()}
    results: dict[TriageFacts, TriageResult] = {}
    for row in new:
        plan = row.plan
        assert plan is not None
        phones, ids = party_keys(plan.parties)
        keys = [("p", p) for p in phones] + [("i", i) for i in ids]
        newest = None
        for key in keys:
            days = seen.get(key)
            if days:
                at = bisect_right(days, plan.accepted_on)
                if at and (newest is None or days[at - 1] > newest):
                    newest = days[at - 1]
        since = (plan.accepted_on - newest).days if newest is not None else None
        facts = triage_facts(
            plan.category,
            category_ids.get(plan.category),
            plan.claimed_amount,
            plan.people_involved,
            len(plan.parties),
            since,
        )
        if facts not in results:  # rows alike are graded once, and share one result (not one per row)
            results[facts] = triage(facts, policy)
        plan.triage = results[facts]
        _fit_mediator(row, plan, vocabulary)
        for key in keys:
            insort(seen.setdefault(key, []), plan.accepted_on)


def _fit_mediator(row: RowCheck, plan: Planned, vocabulary: Vocabulary) -> None:
    """The severity chosen at acceptance when the case went to a mediator of another tier than triage's."""
    held = vocabulary.tiers.get(plan.mediator_id) if plan.mediator_id is not None else None
    assert plan.triage is not None
    graded = plan.triage.tier
    if not held or graded in held or plan.state in (State.ACCEPTED, State.WITHDRAWN):
        return
    at = TIER_ORDER.index(graded)
    took = min(held, key=lambda t: (abs(TIER_ORDER.index(t) - at), -TIER_ORDER.index(t)))
    plan.severity = SEVERITY_OF[took]
    row.notes.append(
        _("调解员「%(name)s」是%(tier)s：受理时定为%(severity)s（分级建议%(graded)s，%(graded_tier)s）").of(
            name=plan.mediator,
            tier=took.label,
            severity=plan.severity.label,
            graded=plan.triage.severity.label,
            graded_tier=graded.label,
        )
    )


def _by_day(row: RowCheck) -> tuple[date, int]:
    assert row.plan is not None
    return row.plan.accepted_on, row.number


def _earlier_cases(session: Session, plans: list[Planned]) -> dict[tuple[str, str], list[date]]:
    """Registration days of the cases already in that share a phone or ID number with these rows."""
    phones, ids = party_keys(party for plan in plans for party in plan.parties)
    out: dict[tuple[str, str], list[date]] = {}
    for kind, column, values in (("p", col(Party.phone), phones), ("i", col(Party.id_number), ids)):
        for chunk in _chunks(values):
            query = (
                select(column, col(Case.registered_at))
                .join(Case, col(Case.id) == col(Party.case_id))
                .where(column.in_(chunk))
            )
            for value, moment in session.exec(query):
                out.setdefault((kind, str(value).upper()), []).append(clock.local_date(moment))
    for days in out.values():
        days.sort()
    return out
