"""The 调解协议书 printed to PDF by Chromium (A4): one sheet for a normal agreement, clean breaks else."""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from models import Case
from tests.e2e.conftest import Cast
from tests.e2e.ui import UI
from tests.factories import Factory

NORMAL_FACTS = (
    "2026年10月起，被申请人家卫生间多次漏水，致申请人家卫生间天花板发霉、墙面脱落。\n"
    "双方就维修和赔偿多次协商未果。经查看现场，漏水系被申请人家防水层老化所致，被申请人负主要责任。"
)
NORMAL_TERMS = (
    "一、被申请人于2026年12月10日前请有资质的施工单位重做卫生间防水层，费用自理；\n"
    "二、被申请人赔偿申请人天花板及墙面修复费用人民币3,000元；\n"
    "三、施工期间申请人予以配合，双方互不再追究其他责任；\n"
    "四、双方今后和睦相处，发现漏水及时沟通。"
)
PERFORMANCE = "被申请人于2026年12月15日前在社区调解室以现金方式一次性支付。"


def _term(n: int) -> str:
    return f"第{n}条：被申请人于约定期限内修复公共楼道第{n}处破损的墙面和照明设施，并承担材料费和人工费。"


def fold(text: str) -> str:
    """Text as compared here: NFKC (the PDF maps some glyphs to radicals: ⼈ for 人), 民 for ⺠, 风 for ⻛,
    no spaces."""
    folded = unicodedata.normalize("NFKC", text).replace("\u2ea0", "民").replace("\u2edb", "风")
    return re.sub(r"\s+", "", folded)


def _pages(pdf: bytes) -> list[str]:
    pages = [fold(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]
    radicals = {ch for page in pages for ch in page if "\u2e80" <= ch <= "\u2eff"}
    assert not radicals, f"fold() should map these radicals too: {radicals}"
    return pages


def _agreed(seed: Factory, cast: Cast, **agreement: str) -> Case:
    """A minor case mediated by the cast's volunteer (陈建国), with this written agreement."""
    case = seed.case("accepted", community=cast.community)
    case = seed.fire(case, "assign", assignee_id=cast.volunteer.id)
    for trigger in ("notify_rights", "start_mediation"):
        case = seed.fire(case, trigger)
    return seed.fire(case, "record_agreement", **agreement)


def _print(ui: UI, case: Case) -> list[str]:
    ui.goto(f"/cases/{case.id}/agreement")
    expect(ui.page.locator(".paper")).to_contain_text("（签名）")
    return _pages(ui.page.pdf(format="A4"))


def test_normal_agreement_prints_on_one_sheet(ui: UI, cast: Cast, seed: Factory) -> None:
    case = _agreed(seed, cast, facts=NORMAL_FACTS, terms=NORMAL_TERMS, performance=PERFORMANCE, amount="3000")
    ui.login(cast.staff)
    pages = _print(ui, case)
    assert len(pages) == 1, f"a normal agreement should fit one A4 sheet, got {len(pages)} pages"
    sheet = pages[0]
    for text in ("人民调解协议书", "被申请人负主要责任", "四、双方今后和睦相处", "人民调解委员会（盖章）"):
        assert fold(text) in sheet
    # The mediator signs on a blank line; the name and tier are printed beneath it.
    assert fold("人民调解员（签名）：陈建国（调解志愿者）") in sheet
    mediator = ui.page.locator('[data-testid="mediator-signature"]')
    line = mediator.locator(".blank").bounding_box()
    name = mediator.locator(".sign-name").bounding_box()
    assert line and name and name["y"] >= line["y"] + line["height"] - 1, "the name is not beneath the line"
    expect(mediator.locator(".sign-name")).to_have_text("陈建国（调解志愿者）")


@pytest.mark.parametrize("terms", [18, 24, 30])
def test_long_agreement_breaks_between_terms(ui: UI, cast: Cast, seed: Factory, terms: int) -> None:
    """Whatever the length, each term prints whole and the signatures follow the last term on its page."""
    all_terms = [_term(n) for n in range(1, terms + 1)]
    case = _agreed(seed, cast, facts=NORMAL_FACTS, terms="\n".join(all_terms), performance=PERFORMANCE)
    ui.login(cast.staff)
    pages = _print(ui, case)
    assert len(pages) >= 2, f"{terms} terms should not fit one sheet"
    for term in all_terms:
        on = [i for i, page in enumerate(pages) if fold(term) in page]
        assert len(on) == 1, f"{term[:6]} is split across pages (found whole on {on})"
    signed = next(i for i, page in enumerate(pages) if fold("（签名）") in page)
    assert signed == len(pages) - 1
    assert fold(all_terms[-1]) in pages[signed], (
        "the signatures start a page without the last term above them"
    )
    assert fold(PERFORMANCE) in pages[signed]
    for later in pages[1:]:
        assert not later.startswith(tuple(map(fold, ("申请人（签名）", "本协议自", "协议涉及金额")))), later[
            :40
        ]
