"""The papers of a case file (卷宗) that are kept as signed scans or photos, and which ones each way of
ending a case needs (the completeness rule of the policy)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from workflow.text import Text, _


@dataclass(frozen=True)
class PaperKind:
    """One kind of attachment. ``id_numbers``: the paper carries parties' ID numbers as a rule, so only
    those who see them whole (services.permissions.sees_full_pii) may open it."""

    key: str
    label: Text
    id_numbers: bool = False


PAPER_KINDS: tuple[PaperKind, ...] = (
    PaperKind("application", _("调解申请书"), id_numbers=True),
    PaperKind("rights_notice", _("权利义务告知书（当事人签字）")),
    PaperKind("identity", _("当事人身份证明"), id_numbers=True),
    PaperKind("session_record", _("调解笔录（签字）")),
    PaperKind("agreement", _("调解协议书（当事人签字）"), id_numbers=True),
    PaperKind("evidence", _("证据材料（照片、收据等）")),
    PaperKind("follow_up", _("回访记录")),
    PaperKind("termination_notice", _("终止调解告知书（当事人签收）")),
    PaperKind("other", _("其他材料")),
)
KINDS: dict[str, PaperKind] = {k.key: k for k in PAPER_KINDS}

# Ways a case ends that the completeness rule knows, with the policy's name for each.
CLOSE_WRITTEN, CLOSE_ORAL, TERMINATE = "close_written", "close_oral", "terminate"
ENDINGS: dict[str, Text] = {
    CLOSE_WRITTEN: _("结案（书面协议）"),
    CLOSE_ORAL: _("结案（口头协议）"),
    TERMINATE: _("终止调解"),
}
# What the policy may do with a missing paper: warn (recorded in the event) or refuse.
WARN, REFUSE = "warn", "refuse"
FILE_CHECKS = (WARN, REFUSE)


def kind_label(key: str) -> str:
    kind = KINDS.get(key)
    return str(kind.label) if kind else key


def ending_of(state: str, agreement_kind: str | None) -> str | None:
    """The completeness rule's name for how a case in ``state`` ended (None: it has not ended so)."""
    if state == "closed":
        return CLOSE_ORAL if agreement_kind == "oral" else CLOSE_WRITTEN
    if state == "terminated":
        return TERMINATE
    return None


def missing_papers(required: Iterable[str], attached: Iterable[str]) -> tuple[str, ...]:
    """The required kinds not among the attached ones, in the order of PAPER_KINDS."""
    need, have = set(required), set(attached)
    return tuple(k.key for k in PAPER_KINDS if k.key in need and k.key not in have)


def check_kinds(keys: Iterable[str]) -> tuple[str, ...]:
    """The keys as a tuple, or ValueError naming one that is not a paper kind (a policy typo)."""
    out = tuple(keys)
    unknown = [k for k in out if k not in KINDS]
    if unknown:
        raise ValueError(f"unknown paper kind(s): {', '.join(unknown)}")
    return out
