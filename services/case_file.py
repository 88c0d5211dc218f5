"""The case file (卷宗): its contents list, the result and the mediator its cover states.

What a file must hold follows domain.md "Case file": the required items first, then those kept as needed.
The file is a Chinese legal paper, so its words here are Chinese and not translated (web.documents
renders it, and the labels it borrows, in Chinese whatever the language of the site).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from services.queries import CaseRecord
from workflow import State, Tier
from workflow.text import Text, _

NOBODY = "—"


@dataclass(frozen=True)
class FileItem:
    """One line of the contents list (卷内目录): whether the case's data holds the paper, and its signed
    scan (``scan_kind``: the attachment kind; ``scans``: how many are attached)."""

    title: str
    required: bool
    present: bool
    detail: str = ""
    scan_kind: str | None = None
    scans: int = 0
    scan_required: bool = False  # the policy requires it for the way the case ended, and it is missing
    paper: str | None = None  # the printable paper (PAPERS) to print it from

    @property
    def scan(self) -> str:
        """attached | missing (a signed paper the file should hold) | none (nothing to sign here)."""
        if self.scan_kind is None:
            return "none"
        if self.scans:
            return "attached"
        return "missing" if self.present or self.scan_required else "none"


def contents(
    r: CaseRecord, scans: Mapping[str, int] | None = None, required: tuple[str, ...] = ()
) -> list[FileItem]:
    """The file's items per domain.md "Case file": required ones first, then those kept as needed.
    ``scans``: attached papers per kind (services.queries.papers_attached); ``required``: kinds the
    policy requires that the ended case lacks (services.attachments.file_missing)."""
    scans = scans or {}
    ids_complete = bool(r.parties) and all(p.id_number for p in r.parties)
    agreement = r.agreement
    oral = agreement is not None and agreement.kind == "oral"
    kind = "口头协议记录" if oral else "调解协议书"
    performed = any(f.performed for f in r.follow_ups)

    def item(title: str, needed: bool, present: bool, detail: str = "", scan: str | None = None,
             paper: str | None = None) -> FileItem:  # fmt: skip
        return FileItem(
            title, needed, present, detail, scan, scans.get(scan or "", 0), scan in required, paper
        )

    items = [
        item(
            "人民调解申请书或纠纷受理登记表",
            True,
            r.has_event("register"),
            scan="application",
            paper="register",
        ),
        item(
            "当事人权利义务告知书",
            True,
            r.case.rights_notified or r.has_event("notify_rights"),
            scan="rights_notice",
            paper="rights",
        ),
        item(
            "当事人身份证明",
            True,
            ids_complete,
            "" if ids_complete else "有当事人未登记身份证号码",
            "identity",
        ),
        item(
            "调解笔录",
            True,
            bool(r.sessions),
            f"{len(r.sessions)} 份" if r.sessions else "",
            "session_record",
            "session" if r.sessions else None,
        ),
        item(kind, True, agreement is not None, scan=None if oral else "agreement", paper="agreement"),
    ]
    if r.case.state == State.TERMINATED.value:
        items.append(item("终止调解告知书", True, True, scan="termination_notice", paper="termination"))
    items += [
        item("证据材料", False, bool(scans.get("evidence")), "按需附卷", "evidence"),
        item("履行凭证", False, performed),
        item(
            "回访记录",
            False,
            bool(r.follow_ups),
            f"{len(r.follow_ups)} 份" if r.follow_ups else "",
            "follow_up",
            "follow_up" if r.follow_ups else None,
        ),
        item("司法确认材料", False, bool(r.confirmations), paper="confirmation" if _confirmable(r) else None),
    ]
    return items


def _confirmable(r: CaseRecord) -> bool:
    return r.agreement is not None and r.agreement.kind == "written"


@dataclass(frozen=True)
class Paper:
    """A printable paper of the file (templates/documents/<key>.html) and whether this case has it."""

    key: str
    title: Text  # in the page's language in its title, in Chinese on the papers
    has: Callable[[CaseRecord], bool]


PAPERS: tuple[Paper, ...] = (
    Paper("register", _("受理登记表"), lambda r: True),
    Paper("rights", _("当事人权利义务告知书"), lambda r: True),
    Paper("session", _("调解笔录"), lambda r: bool(r.sessions)),
    Paper("agreement", _("调解协议书"), lambda r: r.agreement is not None),
    Paper("follow_up", _("回访记录"), lambda r: bool(r.follow_ups)),
    Paper("confirmation", _("司法确认申请书"), _confirmable),
    Paper("termination", _("终止调解告知书"), lambda r: r.case.state == State.TERMINATED.value),
)
PAPER_KEYS = {p.key: p for p in PAPERS}


def papers_of(r: CaseRecord) -> list[Paper]:
    """The printable papers this case has (the session record once per session)."""
    return [p for p in PAPERS if p.has(r)]


def event_data(r: CaseRecord, trigger: str) -> dict[str, Any]:
    """The data of the case's last event of ``trigger`` (what a paper prints: a notice's date, a reason)."""
    for event in reversed(r.events):
        if event.trigger == trigger and isinstance(event.data, dict):
            return event.data
    return {}


def result_of(r: CaseRecord) -> str:
    """The case's result as the cover states it."""
    state = State(r.case.state)
    if state is State.CLOSED:
        return "调解成功，协议已履行"
    if state is State.AGREED:
        return "调解成功，协议履行中"
    return str(state.label)


def mediator_of(r: CaseRecord) -> str:
    """The case's mediator: its assignee, else (a closed case) the last one it was assigned to."""
    return r.users.get(r.case.assignee_id or 0) or _last_mediator(r)


@dataclass(frozen=True)
class Signatory:
    """Who signs the agreement for the committee: the name printed beneath the line, and their tier."""

    name: str
    title: str


def mediator_signatory(r: CaseRecord) -> Signatory:
    """The mediator as the agreement prints them: 刘秀英（社区调解员）; blank when nobody was assigned."""
    name = mediator_of(r)
    return Signatory("" if name == NOBODY else name, str(Tier(r.case.tier).label) if r.case.tier else "")


def _last_mediator(r: CaseRecord) -> str:
    """Who mediated a closed case: the assignee recorded by the last assign/reassign event."""
    for event in reversed(r.events):
        if event.trigger in ("assign", "reassign") and isinstance(event.data, dict):
            name = r.users.get(event.data.get("assignee_id") or 0)
            if name:
                return name
    return NOBODY
