"""Free-text ledger values mapped to the product's vocabulary: outcome (调解成功/成功/已调解 …), category
spellings, agreement form, follow-up, source, and the mediator as a user of the community.

A community's choices are remembered (``LedgerMapping.values``); what it has not chosen is guessed from
the words; what can be neither is unmapped, and the rows holding it are refused with that reason.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from sqlmodel import Session

from services.queries import eligible_assignees
from services.vocabulary import active_categories, active_sources
from workflow import Tier
from workflow.text import Text, _
from workflow.triggers import AGREEMENT_KINDS

Label = str | Text  # people's words as written, or a label of ours

# Field → (value, label) choices. Outcomes name the state a case ends in; follow-ups say whether the
# agreement was performed and how satisfied the parties were.
OUTCOMES: tuple[tuple[str, Label], ...] = (
    ("success", _("调解成功")),
    ("failure", _("调解不成功（终止调解）")),
    ("withdrawn", _("撤回")),
    ("open", _("未结（仍在办理）")),
)
FOLLOW_UPS: tuple[tuple[str, Label], ...] = (
    ("satisfied", _("已回访：已履行，满意")),
    ("basically", _("已回访：已履行，基本满意")),
    ("dissatisfied", _("已回访：已履行，不满意")),
    ("performed", _("已回访：已履行（未记满意度）")),
    ("not_performed", _("已回访：未履行")),
    ("none", _("未回访")),
)
MAPPED_FIELDS = ("category", "result", "agreement_kind", "follow_up", "source", "mediator")
# The fields whose choices are people's words (categories, sources, names of users), shown as written.
PEOPLES_CHOICES = ("category", "source", "mediator")
NOT_A_USER = ""  # a mediator who is not a user here: the name is kept in the record
NOT_A_USER_LABEL = _("不是系统用户（只记姓名）")


@dataclass
class Vocabulary:
    """What each mapped field may become in this community, as (value, label) choices."""

    choices: dict[str, tuple[tuple[str, Label], ...]]
    tiers: dict[int, frozenset[Tier]]  # the tiers each user of the community may take cases of

    @classmethod
    def of(cls, session: Session, community_id: int) -> Vocabulary:
        members: dict[int, str] = {}
        tiers: dict[int, set[Tier]] = {}
        for tier in Tier:
            for u in eligible_assignees(session, community_id=community_id, tier=tier):
                if u.id is not None:
                    members[u.id] = u.display_name
                    tiers.setdefault(u.id, set()).add(tier)
        people = tuple((str(i), name) for i, name in sorted(members.items(), key=lambda kv: kv[1]))
        return cls(
            {
                "category": tuple((c, c) for c in active_categories(session)),
                "result": OUTCOMES,
                "agreement_kind": tuple(AGREEMENT_KINDS),
                "follow_up": FOLLOW_UPS,
                "source": tuple((s, s) for s in active_sources(session)),
                "mediator": ((NOT_A_USER, NOT_A_USER_LABEL), *people),
            },
            {i: frozenset(t) for i, t in tiers.items()},
        )

    def valid(self, field: str, value: str) -> bool:
        return any(value == v for v, _label in self.choices[field])

    def resolve(self, field: str, raw: str, chosen: Mapping[str, str]) -> tuple[str | None, bool]:
        """(the product value, whether a person chose it): the remembered choice, else the guess."""
        if raw in chosen and self.valid(field, chosen[raw]):
            return chosen[raw], True
        return self.guess(field, raw), False

    def guess(self, field: str, raw: str) -> str | None:
        """The product value the words most likely mean, or None."""
        text = re.sub(r"\s+", "", raw)
        if field == "category":
            return _category(text, [v for v, _label in self.choices["category"]])
        if field == "source":
            return _source(text, [v for v, _label in self.choices["source"]])
        if field == "mediator":
            names = {str(label): value for value, label in self.choices["mediator"] if value}
            return names.get(text, NOT_A_USER)
        return _GUESSERS[field](text)


def _outcome(text: str) -> str | None:
    if text in ("", "无", "-", "/"):
        return "open"
    if re.search(r"不成|失败|未成|未达成|终止|未化解|未调解成|无法调解|调解无效", text):
        return "failure"
    if "撤" in text:
        return "withdrawn"
    if re.search(r"成功|达成|已调解|调结|已调处|已化解|化解|已解决|调处成功|^是$|^已结$|^结案$", text):
        return "success"
    if re.search(r"调解中|正在|未结|在办|待|办理中|跟进|^否$", text):
        return "open"
    return None


def _kind(text: str) -> str | None:
    if "口头" in text:
        return "oral"
    if "书面" in text or text in ("", "协议", "调解协议书", "协议书"):
        return "written"
    return None


def _follow_up(text: str) -> str | None:
    if text in ("", "无", "-", "/") or re.search(r"未回访|暂未|待回访|没有回访", text):
        return "none"
    if re.search(r"未履行|不履行|未按|拒不|未兑现|反悔", text):
        return "not_performed"
    for word, value in (("不满意", "dissatisfied"), ("基本满意", "basically"), ("满意", "satisfied")):
        if word in text:
            return value
    if re.search(r"已回访|已履行|履行完毕|履行|已兑现|回访", text):
        return "performed"
    return None


# Words of ledgers for the three sources of the default list (workflow/default_policy.toml), each
# guessed only while the administrator keeps that source active.
_SOURCE_WORDS = (
    ("当事人申请", r"^$|申请|来访|当事人|求助"),
    ("主动调解", r"排查|主动|走访|网格"),
    ("委托移送", r"移送|委托|转办|交办|转交|12345|法院|派出所|公安|信访|综治"),
)


def _source(text: str, known: list[str]) -> str | None:
    """An active source of that name, else the default source the words point to if it is active."""
    if text in known:
        return text
    guess = next((name for name, words in _SOURCE_WORDS if re.search(words, text)), None)
    return guess if guess in known else None


_GUESSERS = {"result": _outcome, "agreement_kind": _kind, "follow_up": _follow_up}

# Spellings of the categories of domain.md met in ledgers (the category's own name is always known).
_CATEGORY_WORDS = {
    "家庭": "婚姻家庭",
    "婚姻": "婚姻家庭",
    "赡养": "婚姻家庭",
    "继承": "婚姻家庭",
    "抚养": "婚姻家庭",
    "相邻": "邻里",
    "噪音": "邻里",
    "漏水": "邻里",
    "宅基地": "房屋宅基地",
    "房屋": "房屋宅基地",
    "租赁": "房屋宅基地",
    "借款": "合同",
    "债务": "合同",
    "买卖": "合同",
    "经营": "生产经营",
    "人身损害": "损害赔偿",
    "赔偿": "损害赔偿",
    "土地": "山林土地",
    "山林": "山林土地",
    "拆迁": "征地拆迁",
    "征地": "征地拆迁",
    "污染": "环境污染",
    "劳资": "劳动争议",
    "劳务": "劳动争议",
    "欠薪": "劳动争议",
    "工资": "劳动争议",
    "劳动": "劳动争议",
    "医患": "医疗",
    "医疗": "医疗",
    "交通": "道路交通事故",
    "车祸": "道路交通事故",
    "物业": "物业",
    "消费": "消费",
}


def _category(text: str, names: list[str]) -> str | None:
    if text in names:
        return text
    bare = re.sub(r"(纠纷|矛盾|类|问题|案件|争议|关系)+$", "", text)
    if bare in names:
        return bare
    inside = [n for n in names if len(n) >= 2 and n in text]
    if len(inside) == 1:
        return inside[0]
    hits = {c for word, c in _CATEGORY_WORDS.items() if word in text and c in names}
    return hits.pop() if len(hits) == 1 else None
