"""导入台账 pages and ``flask import-ledger``: upload, mapping (remembered), dry run, import, refused rows."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, func, select

from models import Case, CaseEvent, LedgerMapping, LedgerUpload
from tests.dbfaults import returns
from tests.factories import Factory
from tests.ledger_files import LedgerRow as L
from tests.ledger_files import ledger_xlsx
from tests.web.case_helpers import login, text, token_from, token_in
from tests.web.test_faults import BUSY, is_unavailable_page, lock_held, site

ROWS = [
    L(date(2025, 3, 3), closed=date(2025, 3, 10), category="楼道纠纷"),
    L(date(2025, 3, 4), applicant="赵六", respondent="钱七", result="调解不成", closed=date(2025, 3, 20)),
    L("2099.1.1", applicant="孙八"),
]


def _upload(client: FlaskClient, content: bytes, community_id: int, name: str = "台账.xlsx") -> Any:
    token = token_from(client, "/ledger/")
    data = {"csrf_token": token, "community_id": str(community_id), "file": (io.BytesIO(content), name)}
    return client.post("/ledger/", data=data, content_type="multipart/form-data")


def _count(session: Session, model: Any) -> int:
    session.rollback()  # end the snapshot an earlier read holds
    return int(session.exec(select(func.count()).select_from(model)).one())


def test_upload_map_check_import_and_download_the_refused_rows(
    client: FlaskClient, factory: Factory, session: Session
) -> None:
    staff = factory.staff()
    community = factory.default_community()
    login(client, staff)
    assert "导入台账" in text(client.get("/cases/"))
    content = ledger_xlsx(ROWS)
    resp = _upload(client, content, community.id or 0)
    assert resp.status_code == 303
    mapping_url = resp.headers["Location"]
    page = text(client.get(mapping_url))
    assert "表头在第 3 行" in page
    assert 'name="val:category:楼道纠纷"' in page and 'class="unmapped"' in page
    # Map 楼道纠纷 to 邻里 (remembered for the community) and go to the dry run.
    form = {"csrf_token": token_in(page), "val:category:楼道纠纷": "邻里"}
    for key, value in re.findall(
        r'<select id="col-\d+" name="col:([^"]+)">.*?<option value="(\w*)"[^>]*selected', page, re.S
    ):
        form[f"col:{key}"] = value
    saved = client.post(mapping_url, data=form)
    assert saved.status_code == 303 and saved.headers["Location"].endswith("/check")
    assert session.get(LedgerMapping, community.id).values["category"] == {"楼道纠纷": "邻里"}  # type: ignore[union-attr]
    check = text(client.get(saved.headers["Location"]))
    assert 'data-count="new">2<' in check and 'data-count="refused">1<' in check
    assert "第 6 行" in check and "受理日期晚于今天：2099-01-01" in check
    assert _count(session, Case) == 0  # the dry run wrote nothing
    refused = client.get(saved.headers["Location"].replace("/check", "/refused.xlsx"))
    assert refused.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(refused.data)).active
    assert sheet.max_row == 2 and "晚于今天" in str(sheet.cell(2, sheet.max_column).value)
    done = client.post(
        saved.headers["Location"].replace("/check", "/import"), data={"csrf_token": token_in(check)}
    )
    assert done.status_code == 303
    result = text(client.get(done.headers["Location"]))
    assert 'data-count="created">2<' in result
    assert _count(session, Case) == 2
    case = session.exec(select(Case).order_by(Case.id)).first()
    assert case is not None
    case_page = text(client.get(f"/cases/{case.id}"))
    assert "台账导入" in case_page and "<span data-i18n-keep>台账.xlsx</span> 第 4 行" in case_page
    # The same file again: the dry run says every row is in already, and importing adds nothing.
    again = _upload(client, content, community.id or 0)
    assert again.headers["Location"] == mapping_url  # the same upload, kept once
    check = text(client.get(saved.headers["Location"]))
    assert 'data-count="imported">2<' in check and 'data-count="new">0<' in check
    assert _count(session, CaseEvent) == 13


def test_a_bad_file_is_refused_on_the_upload_page_with_the_community_kept(
    client: FlaskClient, factory: Factory, session: Session
) -> None:
    admin = factory.user("admin", communities=[])
    other = factory.community("阳光社区", "阳光")
    factory.default_community()
    login(client, admin)
    resp = _upload(client, b"%PDF-1.4 not a ledger", other.id or 0, "台账.pdf")
    assert resp.status_code == 422
    page = text(resp)
    assert "这是PDF 文件，不是表格" in page
    assert f'<option value="{other.id}" selected data-i18n-keep>' in page
    empty = _upload(client, b"", other.id or 0, "空.xlsx")
    assert empty.status_code == 422 and "文件是空的" in text(empty)
    assert _count(session, LedgerUpload) == 0


def test_the_upload_needs_its_csrf_token(client: FlaskClient, factory: Factory, session: Session) -> None:
    login(client, factory.staff())
    data = {
        "community_id": str(factory.default_community().id),
        "file": (io.BytesIO(ledger_xlsx(ROWS)), "a.xlsx"),
    }
    resp = client.post("/ledger/", data=data, content_type="multipart/form-data")
    assert resp.status_code == 400
    assert _count(session, LedgerUpload) == 0


def test_only_staff_of_the_community_and_admins(client: FlaskClient, factory: Factory) -> None:
    staff = factory.staff()
    login(client, staff)
    resp = _upload(client, ledger_xlsx(ROWS), factory.default_community().id or 0)
    url = resp.headers["Location"]
    client.post("/logout", data={"csrf_token": token_from(client, "/cases/")})
    login(client, factory.member("volunteer"))
    assert client.get("/ledger/").status_code == 403
    assert "导入台账" not in text(client.get("/cases/"))
    client.post("/logout", data={"csrf_token": token_from(client, "/cases/")})
    login(client, factory.staff(factory.community()))
    assert client.get(url).status_code == 404  # another community's upload is not theirs to see


def test_import_ledger_command(app: Flask, factory: Factory, session: Session, tmp_path: Path) -> None:
    factory.default_community()
    path = tmp_path / "台账.xlsx"
    path.write_bytes(ledger_xlsx(ROWS))
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["import-ledger", str(path), "--community", "幸福", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "第 4 行 不能导入：纠纷类型「楼道纠纷」不在本系统的纠纷类型中" in dry.output
    assert "将导入 1 件（终止调解 1）" in dry.output
    assert _count(session, Case) == 0
    out = tmp_path / "refused.xlsx"
    done = runner.invoke(args=["import-ledger", str(path), "--community", "幸福", "--refused-out", str(out)])
    assert done.exit_code == 0, done.output
    assert "已导入 1 件案件" in done.output and out.exists()
    assert openpyxl.load_workbook(out).active.max_row == 3
    unknown = runner.invoke(args=["import-ledger", str(path), "--community", "没有"])
    assert unknown.exit_code != 0 and "未知社区" in unknown.output
    bad = tmp_path / "x.csv"
    bad.write_bytes(b"")
    empty = runner.invoke(args=["import-ledger", str(bad), "--community", "幸福"])
    assert empty.exit_code != 0 and "文件是空的" in empty.output


def test_a_long_dry_run_comes_in_pages(client: FlaskClient, factory: Factory) -> None:
    login(client, factory.staff())
    rows = [L(date(2025, 3, 3), applicant=f"张{i}", category="外星纠纷") for i in range(150)]
    resp = _upload(client, ledger_xlsx(rows, total=False), factory.default_community().id or 0)
    check = resp.headers["Location"].replace("/mapping", "/check")
    first = text(client.get(check))
    assert 'data-count="refused">150<' in first and "第 1 / 2 页" in first
    assert first.count('data-status="refused"') == 100
    second = text(client.get(check + "?show=refused&page=2"))
    assert second.count('data-status="refused"') == 50 and 'data-row="153"' in second
    mapping = text(client.get(resp.headers["Location"]))
    assert mapping.count('class="unmapped"') == 1  # one spelling, 150 rows


LEDGER_TABLES = "ledger_upload, ledger_mapping, ledger_import"  # what the ledger's steps write


def test_a_database_fault_gives_each_form_back_as_it_was(db_url: str) -> None:
    """Upload, mapping and import while another writer holds the database: 503 with the page again (the
    community chosen, the values mapped, the confirm button), nothing half-written; then all goes through."""
    with site(db_url) as (app, factory):
        community = factory.default_community()
        other = factory.community("阳光社区", "阳光")
        clerk = app.test_client()
        login(clerk, factory.user("admin", communities=[]))
        mapping_url = _upload(clerk, ledger_xlsx(ROWS), community.id or 0).headers["Location"]
        page = text(clerk.get(mapping_url))
        form = {"csrf_token": token_in(page), "val:category:楼道纠纷": "邻里"}
        second = ledger_xlsx([L(date(2025, 4, 1), applicant="周一")])
        with lock_held(db_url, LEDGER_TABLES):
            kept = returns(lambda: _upload(clerk, second, other.id or 0, "阳光台账.xlsx"))
            is_unavailable_page(kept, BUSY, "5")
            assert f'<option value="{other.id}" selected data-i18n-keep>' in text(kept)
            kept = returns(lambda: clerk.post(mapping_url, data=form))
            is_unavailable_page(kept, BUSY, "5")
            assert re.search(
                r'name="val:category:楼道纠纷">.*?<option value="邻里" selected', text(kept), re.S
            )
        assert clerk.post(mapping_url, data=form).status_code == 303
        check_url = mapping_url.replace("/mapping", "/check")
        token = token_in(text(clerk.get(check_url)))
        with lock_held(db_url, LEDGER_TABLES):
            kept = returns(
                lambda: clerk.post(check_url.replace("/check", "/import"), data={"csrf_token": token})
            )
            is_unavailable_page(kept, BUSY, "5")
            assert 'data-testid="confirm-import"' in text(kept)
        factory.session.rollback()
        assert _count(factory.session, Case) == 0
        done = clerk.post(check_url.replace("/check", "/import"), data={"csrf_token": token})
        assert done.status_code == 303
        assert _count(factory.session, Case) == 2
