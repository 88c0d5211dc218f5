"""The case page's attachments over HTTP with real forms and CSRF: upload (several at once), download
headers, withdraw, what each role may do, and bad files refused with a clear message and nothing kept."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, func, select

from models import Attachment, AttachmentDownload, Case, Setting, User
from services.policy import POLICY_KEY
from tests import samples
from tests.factories import Factory
from tests.web.case_helpers import login, text, token_from


def _case(app_session: Session, state: str = "mediating") -> tuple[Factory, Case]:
    factory = Factory(app_session)
    return factory, factory.case(state)


def _assignee(factory: Factory, case: Case) -> User:
    user = factory.session.get(User, case.assignee_id)
    assert user is not None
    return user


def _post_files(
    client: FlaskClient, case: Case, files: list[tuple[bytes, str]], kind: str = "evidence", **extra: Any
) -> Any:
    token = token_from(client, f"/cases/{case.id}")
    data: dict[str, Any] = {"csrf_token": token, "kind": kind, **extra}
    data["files"] = [(io.BytesIO(content), name) for content, name in files]
    return client.post(f"/cases/{case.id}/attachments", data=data, content_type="multipart/form-data")


def _count(session: Session, model: Any = Attachment) -> int:
    session.rollback()
    return session.exec(select(func.count()).select_from(model)).one()


def _files_dir(client: FlaskClient) -> Path:
    return Path(client.application.config["FILES_DIR"])


def _kept(client: FlaskClient) -> list[Path]:
    root = _files_dir(client)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_staff_uploads_several_files_at_once(client: FlaskClient, app_session: Session) -> None:
    factory, case = _case(app_session)
    login(client, factory.staff())
    resp = _post_files(
        client, case, [(samples.photo(), "现场1.jpg"), (samples.pdf(2), "收据.pdf")], note="漏水现场"
    )
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/cases/{case.id}#attachments")
    page = text(client.get(f"/cases/{case.id}"))
    assert "已添加 2 个文件" in page
    assert "现场1.jpg" in page and "收据.pdf" in page and "2 页" in page and "漏水现场" in page
    assert _count(app_session) == 2


def test_the_assignee_uploads_and_a_download_is_served_as_a_file(
    client: FlaskClient, app_session: Session
) -> None:
    factory, case = _case(app_session)
    login(client, _assignee(factory, case))
    assert _post_files(client, case, [(samples.pdf(), "笔录.pdf")], kind="session_record").status_code == 303
    row = app_session.exec(select(Attachment)).one()
    resp = client.get(f"/cases/{case.id}/attachments/{row.id}", buffered=True)
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF-")
    assert resp.headers["Content-Type"] == "application/pdf"
    assert resp.headers["Content-Disposition"].startswith("attachment;")
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in resp.headers["Content-Security-Policy"]
    assert _count(app_session, AttachmentDownload) == 1
    page = text(client.get(f"/cases/{case.id}"))
    assert "下载记录（1）" in page


def test_a_thumbnail_is_an_image_and_not_a_download(client: FlaskClient, app_session: Session) -> None:
    factory, case = _case(app_session)
    login(client, factory.staff())
    _post_files(client, case, [(samples.heic(), "IMG_0003.HEIC")])
    row = app_session.exec(select(Attachment)).one()
    thumb = client.get(f"/cases/{case.id}/attachments/{row.id}/thumbnail", buffered=True)
    assert thumb.status_code == 200 and thumb.headers["Content-Type"] == "image/jpeg"
    assert thumb.data[:2] == b"\xff\xd8" and thumb.headers["X-Content-Type-Options"] == "nosniff"
    full = client.get(f"/cases/{case.id}/attachments/{row.id}", buffered=True)
    assert "IMG_0003.jpg" in full.headers["Content-Disposition"]
    assert _count(app_session, AttachmentDownload) == 1


@pytest.mark.parametrize("role", ["volunteer", "leader"])
def test_those_who_only_see_the_case_cannot_upload_or_open_id_papers(
    client: FlaskClient, app_session: Session, role: str
) -> None:
    factory, case = _case(app_session)
    staff = factory.staff()
    login(client, staff)
    _post_files(client, case, [(samples.pdf(), "协议.pdf")], kind="agreement")
    _post_files(client, case, [(samples.photo(), "现场.jpg")], kind="evidence")
    client = client.application.test_client()
    login(client, factory.user(role))
    page = text(client.get(f"/cases/{case.id}"))
    assert "data-upload" not in page, "no upload form for those who do not work the case"
    assert "含当事人身份证号码，您无权查看" in page
    paper, photo = sorted(app_session.exec(select(Attachment)).all(), key=lambda a: a.id or 0)
    assert client.get(f"/cases/{case.id}/attachments/{paper.id}", buffered=True).status_code == 403
    assert client.get(f"/cases/{case.id}/attachments/{paper.id}/thumbnail", buffered=True).status_code == 403
    assert client.get(f"/cases/{case.id}/attachments/{photo.id}", buffered=True).status_code == 200
    resp = _post_files(client, case, [(samples.pdf(3), "x.pdf")])
    assert resp.status_code == 403
    assert _count(app_session) == 2


# Who may do what with a case's papers, role by role, on a case in mediation where staff attached a
# signed agreement (it carries ID numbers) and a photo: does the page offer the upload form, is an upload
# kept, may the photo and the agreement be opened, may staff's upload be withdrawn.
ROLES = {
    #                 form   upload photo agreement withdraw
    "staff": (True, 303, 200, 200, 303),
    "assignee": (True, 303, 200, 200, 403),
    "volunteer": (False, 403, 200, 403, 403),  # of the community, not assigned
    "mediator": (False, 403, 200, 403, 403),
    "judge": (False, 403, 200, 403, 403),
    "leader": (False, 403, 200, 403, 403),
    "admin": (False, 403, 200, 403, 403),  # sees every case, parties' numbers masked
    "other staff": (None, 404, 404, 404, 404),  # another community's: the case does not exist for them
}


def _as(factory: Factory, case: Case, who: str) -> User:
    if who == "staff":
        return factory.staff()
    if who == "assignee":
        return _assignee(factory, case)
    if who == "admin":
        return factory.user("admin", communities=[])
    if who == "other staff":
        return factory.staff(factory.community("和平社区", "和平"))
    return factory.user(who)


@pytest.mark.parametrize("who", ROLES)
def test_each_role_uploads_opens_and_withdraws_as_the_rules_say(
    client: FlaskClient, app_session: Session, who: str
) -> None:
    form, upload, photo_status, paper_status, withdraw_status = ROLES[who]
    factory, case = _case(app_session)
    login(client, factory.staff())
    _post_files(client, case, [(samples.pdf(), "签字协议.pdf")], kind="agreement")
    _post_files(client, case, [(samples.photo(), "现场.jpg")], kind="evidence")
    paper, photo = sorted(app_session.exec(select(Attachment)).all(), key=lambda a: a.id or 0)
    assert paper.id_numbers and not photo.id_numbers
    client = client.application.test_client()
    user = _as(factory, case, who)
    login(client, user)

    page = client.get(f"/cases/{case.id}")
    if form is None:
        assert page.status_code == 404
    else:
        assert page.status_code == 200 and ("data-upload" in text(page)) is form
    token = token_from(client, "/cases/")
    data = {"csrf_token": token, "kind": "evidence", "files": [(io.BytesIO(samples.pdf(3)), "新.pdf")]}
    resp = client.post(f"/cases/{case.id}/attachments", data=data, content_type="multipart/form-data")
    assert resp.status_code == upload
    assert _count(app_session) == (3 if upload == 303 else 2)
    assert client.get(f"/cases/{case.id}/attachments/{photo.id}", buffered=True).status_code == photo_status
    assert client.get(f"/cases/{case.id}/attachments/{paper.id}", buffered=True).status_code == paper_status
    app_session.rollback()
    opened = app_session.exec(select(AttachmentDownload).where(AttachmentDownload.user_id == user.id)).all()
    assert len(opened) == [photo_status, paper_status].count(200), "each download recorded, no other"
    resp = client.post(
        f"/cases/{case.id}/attachments/{photo.id}/withdraw", data={"csrf_token": token, "reason": "重复"}
    )
    assert resp.status_code == withdraw_status
    app_session.rollback()
    assert (app_session.get(Attachment, photo.id).withdrawn_at is not None) is (withdraw_status == 303)


def test_a_closed_case_takes_no_upload_when_the_policy_says_so(
    client: FlaskClient, app_session: Session
) -> None:
    factory, case = _case(app_session, "closed")
    app_session.merge(Setting(key=POLICY_KEY, value={"file_attach_after_end": False}))
    app_session.commit()
    login(client, factory.staff())
    page = text(client.get(f"/cases/{case.id}"))
    assert "data-upload" not in page and 'data-testid="attach-closed"' in page
    resp = _post_files(client, case, [(samples.pdf(), "协议书.pdf")], kind="agreement", note="补传")
    assert resp.status_code == 422 and "案件已结束，按现行规则不能再添加材料" in text(resp)
    assert _count(app_session) == 0 and _kept(client) == []


def test_a_full_disk_is_a_clear_refusal_and_nothing_is_kept(
    client: FlaskClient, app_session: Session
) -> None:
    factory, case = _case(app_session)
    client.application.config["ATTACHMENT_MIN_FREE_BYTES"] = 2**62  # more than any disk has free
    login(client, factory.staff())
    resp = _post_files(client, case, [(samples.photo(), "现场.jpg")], note="说明保留")
    assert resp.status_code == 422
    page = text(resp)
    assert "服务器存储空间不足" in page and 'value="说明保留"' in page
    assert _count(app_session) == 0 and _kept(client) == []


def test_another_communitys_staff_get_404(client: FlaskClient, app_session: Session) -> None:
    factory, case = _case(app_session)
    login(client, factory.staff())
    _post_files(client, case, [(samples.pdf(), "a.pdf")])
    row = app_session.exec(select(Attachment)).one()
    client = client.application.test_client()
    login(client, factory.staff(factory.community()))
    assert client.get(f"/cases/{case.id}/attachments/{row.id}", buffered=True).status_code == 404
    assert client.get(f"/cases/{case.id}/attachments/{row.id}/thumbnail", buffered=True).status_code == 404


def test_an_attachment_of_another_case_is_not_served_under_this_one(
    client: FlaskClient, app_session: Session
) -> None:
    factory, case = _case(app_session)
    other = factory.case("mediating")
    login(client, factory.staff())
    _post_files(client, other, [(samples.pdf(), "a.pdf")])
    row = app_session.exec(select(Attachment)).one()
    assert client.get(f"/cases/{case.id}/attachments/{row.id}", buffered=True).status_code == 404


BAD = [
    (samples.EXECUTABLE, "setup.jpg", "无法识别的文件类型"),
    (samples.HTML, "page.html", "无法识别的文件类型"),
    (b"", "empty.jpg", "0 字节"),
    (samples.pdf(javascript=True), "js.pdf", "JavaScript"),
    (samples.photo(), "../../../etc/x.jpg", "路径"),
    (samples.photo(), "名" * 296 + ".jpg", "文件名过长"),
]


@pytest.mark.parametrize(
    ("content", "name", "message"), BAD, ids=["exe", "html", "empty", "js", "path", "long"]
)
def test_a_bad_file_gets_its_reason_and_nothing_is_kept(
    client: FlaskClient, app_session: Session, content: bytes, name: str, message: str
) -> None:
    factory, case = _case(app_session)
    login(client, factory.staff())
    resp = _post_files(client, case, [(content, name)], note="说明保留")
    assert resp.status_code == 422
    page = text(resp)
    assert message in page and "1 个文件未保存" in page
    assert 'value="说明保留"' in page, "what was typed stays"
    assert _count(app_session) == 0 and _kept(client) == []


def test_good_files_are_kept_beside_a_refused_one(client: FlaskClient, app_session: Session) -> None:
    factory, case = _case(app_session)
    login(client, factory.staff())
    resp = _post_files(client, case, [(samples.photo(), "ok.jpg"), (samples.truncated_jpeg(), "cut.jpg")])
    assert resp.status_code == 422
    page = text(resp)
    assert "已保存 1 个文件" in page and "cut.jpg" in page and "不完整或已损坏" in page
    assert _count(app_session) == 1


def test_over_the_size_limit_is_refused(client: FlaskClient, app_session: Session) -> None:
    factory, case = _case(app_session)
    client.application.config["ATTACHMENT_MAX_BYTES"] = 50_000
    login(client, factory.staff())
    resp = _post_files(client, case, [(samples.pdf() + bytes(60_000), "big.pdf")])
    assert resp.status_code == 422 and "超过上限" in text(resp)
    assert _count(app_session) == 0


def test_a_request_larger_than_all_files_together_is_a_clear_413(
    client: FlaskClient, app_session: Session
) -> None:
    factory, case = _case(app_session)
    client.application.config.update(ATTACHMENT_MAX_BYTES=10_000, ATTACHMENT_MAX_FILES=1)
    login(client, factory.staff())
    resp = _post_files(client, case, [(bytes(200_000), "huge.pdf")])  # over 10 KB + 64 KB for the form
    assert resp.status_code == 413 and "上传的内容过大" in text(resp)
    assert _count(app_session) == 0


def test_the_upload_takes_more_than_the_sites_request_limit(
    client: FlaskClient, app_session: Session
) -> None:
    """Only the upload has the larger limit, and it holds before anything reads the form."""
    factory, case = _case(app_session)
    client.application.config["MAX_CONTENT_LENGTH"] = 100_000
    login(client, factory.staff())
    big = samples.pdf() + bytes(300_000)
    assert _post_files(client, case, [(big, "扫描件.pdf")]).status_code == 303
    assert _count(app_session) == 1
    token = token_from(client, f"/cases/{case.id}")
    elsewhere = client.post("/cases/new", data={"csrf_token": token, "facts": "x" * 200_000})
    assert elsewhere.status_code == 413


def test_no_file_or_no_kind_is_422(client: FlaskClient, app_session: Session) -> None:
    factory, case = _case(app_session)
    login(client, factory.staff())
    assert "请选择要上传的文件" in text(_post_files(client, case, []))
    resp = _post_files(client, case, [(samples.pdf(), "a.pdf")], kind="")
    assert resp.status_code == 422 and "请选择材料类别" in text(resp)
    resp = _post_files(client, case, [(samples.pdf(), "a.pdf")], kind="forged")
    assert resp.status_code == 422
    assert _count(app_session) == 0


def test_an_upload_without_the_csrf_token_is_refused(client: FlaskClient, app_session: Session) -> None:
    factory, case = _case(app_session)
    login(client, factory.staff())
    resp = client.post(
        f"/cases/{case.id}/attachments",
        data={"kind": "evidence", "files": [(io.BytesIO(samples.pdf()), "a.pdf")]},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 400 and _count(app_session) == 0


def test_withdraw_by_staff_keeps_it_listed_with_the_reason(client: FlaskClient, app_session: Session) -> None:
    factory, case = _case(app_session)
    login(client, factory.staff())
    _post_files(client, case, [(samples.pdf(), "错传.pdf")])
    row = app_session.exec(select(Attachment)).one()
    token = token_from(client, f"/cases/{case.id}")
    url = f"/cases/{case.id}/attachments/{row.id}/withdraw"
    blank = client.post(url, data={"csrf_token": token, "reason": ""})
    assert blank.status_code == 422 and "请填写撤回理由" in text(blank)
    resp = client.post(url, data={"csrf_token": token, "reason": "传错了案件"})
    assert resp.status_code == 303
    page = text(client.get(f"/cases/{case.id}"))
    assert "已撤回" in page and "传错了案件" in page and "错传.pdf" in page
    assert _count(app_session) == 1


def test_the_assignee_withdraws_their_own_upload_but_not_staffs(
    client: FlaskClient, app_session: Session
) -> None:
    factory, case = _case(app_session)
    login(client, factory.staff())
    _post_files(client, case, [(samples.pdf(), "staff.pdf")])
    client = client.application.test_client()
    login(client, _assignee(factory, case))
    _post_files(client, case, [(samples.pdf(2), "mine.pdf")])
    staffs, mine = sorted(app_session.exec(select(Attachment)).all(), key=lambda a: a.id or 0)
    token = token_from(client, f"/cases/{case.id}")
    denied = client.post(
        f"/cases/{case.id}/attachments/{staffs.id}/withdraw", data={"csrf_token": token, "reason": "x"}
    )
    assert denied.status_code == 403
    ok = client.post(
        f"/cases/{case.id}/attachments/{mine.id}/withdraw", data={"csrf_token": token, "reason": "重复"}
    )
    assert ok.status_code == 303


def test_a_closed_case_with_its_paper_missing_says_so(client: FlaskClient, app_session: Session) -> None:
    factory, case = _case(app_session, "closed")
    login(client, factory.staff())
    page = text(client.get(f"/cases/{case.id}"))
    assert 'data-testid="file-missing"' in page and "调解协议书（当事人签字）" in page
    _post_files(client, case, [(samples.pdf(), "协议书.pdf")], kind="agreement")
    page = text(client.get(f"/cases/{case.id}"))
    assert 'data-testid="file-complete"' in page


def test_the_case_page_lists_thirty_attachments(client: FlaskClient, app_session: Session) -> None:
    factory, case = _case(app_session)
    login(client, factory.staff())
    for n in range(3):
        _post_files(client, case, [(samples.pdf(n + 1), f"p{n}-{i}.pdf") for i in range(10)])
    page = text(client.get(f"/cases/{case.id}"))
    assert page.count('data-attachment="') == 30
    assert [p.name for p in _kept(client)].__len__() == 3, "ten names, one content: stored once"


def test_a_busy_database_gives_the_forms_back_as_typed_and_keeps_no_file(db_url: str, tmp_path: Path) -> None:
    """Another writer holds the lock past the wait: the upload and the withdrawal answer 503 with the
    case page and what was typed (kind, note; the reason), nothing is kept; afterwards both work."""
    from tests.web.test_faults import BUSY, is_unavailable_page, lock_held, site

    files = tmp_path / "busy-files"
    with site(db_url, FILES_DIR=str(files)) as (app, factory):
        case = factory.case("mediating")
        client = app.test_client()
        login(client, factory.staff())
        assert _post_files(client, case, [(samples.pdf(), "旧.pdf")]).status_code == 303
        factory.session.rollback()
        old = factory.session.exec(select(Attachment)).one()
        token = token_from(client, f"/cases/{case.id}")
        upload = {"csrf_token": token, "kind": "agreement", "note": "锁期间的说明"}
        withdraw = {"csrf_token": token, "reason": "锁期间的理由"}
        before = sorted(p for p in files.rglob("*") if p.is_file())

        def post_upload() -> Any:
            data = {**upload, "files": [(io.BytesIO(samples.photo()), "锁期间.jpg")]}
            return client.post(f"/cases/{case.id}/attachments", data=data, content_type="multipart/form-data")

        with lock_held(db_url):
            refused = post_upload()
            is_unavailable_page(refused, BUSY, "5")
            page = text(refused)
            assert 'value="锁期间的说明"' in page and '<option selected value="agreement">' in page
            refused = client.post(f"/cases/{case.id}/attachments/{old.id}/withdraw", data=withdraw)
            is_unavailable_page(refused, BUSY, "5")
            assert "锁期间的理由</textarea>" in text(refused)
        factory.session.rollback()
        assert factory.session.exec(select(Attachment)).all() == [old] and old.withdrawn_at is None
        assert sorted(p for p in files.rglob("*") if p.is_file() and p.parent.name != "tmp") == before

        assert post_upload().status_code == 303
        assert (
            client.post(f"/cases/{case.id}/attachments/{old.id}/withdraw", data=withdraw).status_code == 303
        )


def test_the_attachment_links_are_the_routes_own(app) -> None:  # type: ignore[no-untyped-def]
    """The case page builds each route's URL once and puts each attachment's id in (web.attachments);
    the links are url_for's, also for a case whose own id holds the digits put in as a placeholder."""
    from flask import url_for

    from services.db import INT_MAX
    from web.attachments import _urls_of

    endpoints = ("cases.download_attachment", "cases.attachment_thumbnail", "cases.withdraw_attachment")
    with app.test_request_context("/"):
        for case_id in (1, 8321, INT_MAX, int(f"1{INT_MAX}"[:10]) % INT_MAX):
            for endpoint in endpoints:
                link = _urls_of(endpoint, case_id)
                for attachment_id in (1, 42, 2024, INT_MAX):
                    expected = url_for(endpoint, case_id=case_id, attachment_id=attachment_id)
                    assert link(attachment_id) == expected, (endpoint, case_id, attachment_id)
