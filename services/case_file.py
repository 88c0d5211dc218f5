"""The case file (卷宗): its contents list, the result and the mediator its cover states.

What a file must hold follows domain.md "Case file": the required items first, then those kept as needed.
The file is a Chinese legal paper, so its words here are Chinese and not translated (web.documents
renders it, and the labels it borrows, in Chinese whatever the language of the site).
"""

from __future__ import annotations

from dataclasses import dataclass

from services.queries import CaseRecord
from workflow import State, Tier

NOBODY = "—"


@dataclass(frozen=True)
class FileItem:
    """One line of the contents list (卷内目录)."""

    title: str
    required: bool
    present: bool
    detail: str = ""


def contents(r: CaseRecord) -> list[FileItem]:
    """The file's items per domain.md "Case file": required ones first, then those kept as needed."""
    ids_complete = bool(r.parties) and all(p.id_number for p in r.parties)
    agreement = r.agreement
    kind = "口头协议记录" if agreement and agreement.kind == "oral" else "调解协议书"
    performed = any(f.performed for f in r.follow_ups)
    return [
        FileItem("人民调解申请书或纠纷受理登记表", True, r.has_event("register")),
        FileItem("当事人权利义务告知书", True, r.case.rights_notified or r.has_event("notify_rights")),
        FileItem(
            "当事人身份证明",
            True,
            ids_complete,
            "" if ids_complete else "有当事人未登记身份证号码",
        ),
        FileItem("调解笔录", True, bool(r.sessions), f"{len(r.sessions)} 份" if r.sessions else ""),
        FileItem(f"{kind}", True, agreement is not None),
        FileItem("证据材料", False, False, "按需附卷"),
        FileItem("履行凭证", False, performed),
        FileItem("回访记录", False, bool(r.follow_ups), f"{len(r.follow_ups)} 份" if r.follow_ups else ""),
        FileItem("司法确认材料", False, bool(r.confirmations)),
    ]


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
