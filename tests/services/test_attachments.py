"""Attachments: what is kept of each kind of file, what is refused (and that nothing is then kept), hash
deduplication, withdrawal, recorded downloads, who may do what, the file-incomplete mark."""

from __future__ import annotations

import errno
import io
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from models import Attachment, AttachmentDownload, Case, Setting
from services import attachments
from services.attachments_content import Limits
from services.attachments_files import FileStore, sha256_of
from services.errors import Forbidden, Invalid, NotFound
from services.permissions import actor_for
from services.policy import POLICY_KEY
from tests import samples
from tests.factories import Factory
from workflow import Actor, Role

LIMITS = Limits(max_bytes=2 * 1024 * 1024, max_pixels=50_000_000, min_free_bytes=0)


@pytest.fixture
def store(tmp_path: Path) -> FileStore:
    return FileStore(tmp_path / "files")


def _actor(factory: Factory, user) -> Actor:  # type: ignore[no-untyped-def]
    return actor_for(factory.session, user)


def _upload(factory: Factory, store: FileStore, case: Case, data: bytes, name: str = "scan.jpg", **kw):  # type: ignore[no-untyped-def]
    who = kw.pop("actor", None) or factory.staff()
    return attachments.upload(
        session=factory.session,
        store=store,
        actor=_actor(factory, who),
        case_id=case.id,
        kind=kw.pop("kind", "evidence"),
        name=name,
        data=data,
        limits=kw.pop("limits", LIMITS),
        **kw,
    )


def _img(path: Path) -> Image.Image:
    with Image.open(path) as img:
        img.load()
        return img


def _rows(session: Session) -> int:
    session.rollback()
    return session.exec(select(func.count()).select_from(Attachment)).one()


def _stored(store: FileStore) -> list[Path]:
    return [p for p in store.root.rglob("*") if p.is_file()] if store.root.exists() else []


def test_a_photo_is_kept_without_its_exif_with_a_thumbnail(factory: Factory, store: FileStore) -> None:
    case = factory.case("mediating")
    raw = samples.photo()
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825), "the sample carries a location"
    row = _upload(factory, store, case, raw, "IMG_0001.JPG")
    kept = store.path(row.sha256).read_bytes()
    assert sha256_of(kept) == row.sha256 and row.size == len(kept)
    img = Image.open(io.BytesIO(kept))
    assert img.format == "JPEG" and dict(img.getexif()) == {} and "exif" not in img.info
    thumb = _img(store.path(row.thumbnail or ""))
    assert max(thumb.size) <= 240
    assert (row.content_type, row.original_name, row.kind) == ("image/jpeg", "IMG_0001.JPG", "evidence")


def test_a_photo_taken_sideways_is_turned_as_the_camera_meant(factory: Factory, store: FileStore) -> None:
    row = _upload(factory, store, factory.case("mediating"), samples.photo(800, 600, orientation=6))
    assert _img(store.path(row.sha256)).size == (600, 800)


def test_heic_becomes_jpeg_and_png_stays_png(factory: Factory, store: FileStore) -> None:
    case = factory.case("mediating")
    heic = _upload(factory, store, case, samples.heic(), "IMG_0002.HEIC")
    assert heic.content_type == "image/jpeg"
    assert _img(store.path(heic.sha256)).format == "JPEG"
    assert attachments.download_name(heic) == "IMG_0002.jpg"
    png = _upload(factory, store, case, samples.png(), "签字页.png")
    assert png.content_type == "image/png" and _img(store.path(png.sha256)).format == "PNG"


def test_a_pdf_is_kept_as_it_is_with_its_page_count(factory: Factory, store: FileStore) -> None:
    data = samples.pdf(pages=3)
    row = _upload(factory, store, factory.case("mediating"), data, "协议.pdf", kind="agreement")
    assert store.path(row.sha256).read_bytes() == data
    assert row.pages == 3 and row.content_type == "application/pdf"
    assert row.id_numbers, "a signed agreement carries the parties' ID numbers"
    assert len(PdfReader(io.BytesIO(store.path(row.sha256).read_bytes())).pages) == 3


BAD = [
    ("empty", lambda: b"", "x.jpg", "0 字节"),
    ("over the limit", lambda: b"%PDF-" + bytes(LIMITS.max_bytes), "big.pdf", "超过上限"),
    ("renamed executable", lambda: samples.EXECUTABLE, "photo.jpg", "无法识别的文件类型"),
    ("html", lambda: samples.HTML, "page.pdf", "无法识别的文件类型"),
    ("truncated jpeg", samples.truncated_jpeg, "cut.jpg", "不完整或已损坏"),
    ("pdf with javascript", lambda: samples.pdf(javascript=True), "js.pdf", "JavaScript"),
    ("pdf opening a script", samples.pdf_with_open_action_script, "open.pdf", "JavaScript"),
    ("broken pdf", lambda: samples.pdf()[:200], "cut.pdf", "不完整或已损坏"),
    ("path in the name", samples.photo, "../../etc/passwd.jpg", "路径"),
    ("backslash path", samples.photo, "..\\x.jpg", "路径"),
    ("300-character name", samples.photo, "长" * 296 + ".jpg", "文件名过长"),
    ("control character", samples.photo, "a\x00b.jpg", "控制字符"),
]


@pytest.mark.parametrize(("what", "make", "name", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_files_are_refused_and_nothing_is_kept(
    factory: Factory,
    store: FileStore,
    what: str,
    make,
    name: str,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    case = factory.case("mediating")
    with pytest.raises(Invalid) as err:
        _upload(factory, store, case, make(), name)
    assert message in err.value.message, err.value.message
    assert _rows(factory.session) == 0
    assert _stored(store) == []


def test_too_many_pixels_is_refused(factory: Factory, store: FileStore) -> None:
    with pytest.raises(Invalid, match="过大"):
        _upload(factory, store, factory.case("mediating"), samples.photo(), limits=Limits(max_pixels=1000))
    assert _stored(store) == []


def test_the_same_file_twice_is_stored_once(factory: Factory, store: FileStore) -> None:
    one, two = factory.case("mediating"), factory.case("mediating")
    data = samples.pdf(2)
    a = _upload(factory, store, one, data, "a.pdf")
    b = _upload(factory, store, two, data, "b.pdf")
    assert a.sha256 == b.sha256 and a.id != b.id
    assert [p.name for p in _stored(store)] == [a.sha256]
    assert _rows(factory.session) == 2
    # A photo is re-encoded the same way each time: twice attached, its JPEG and thumbnail kept once.
    photo = samples.photo()
    c = _upload(factory, store, one, photo, "IMG_1.JPG")
    d = _upload(factory, store, two, photo, "IMG_1 (1).JPG")
    assert (c.sha256, c.thumbnail) == (d.sha256, d.thumbnail) and c.id != d.id
    assert sorted(p.name for p in _stored(store)) == sorted([a.sha256, c.sha256, c.thumbnail or ""])


def test_a_full_disk_refuses_clearly_and_keeps_nothing(factory: Factory, store: FileStore) -> None:
    with pytest.raises(Invalid, match="存储空间不足"):
        _upload(
            factory, store, factory.case("mediating"), samples.photo(), limits=Limits(min_free_bytes=2**62)
        )
    assert _rows(factory.session) == 0 and _stored(store) == []


def test_a_write_that_fails_midway_leaves_no_part_behind(
    factory: Factory, store: FileStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills while the file is written (ENOSPC from fsync): no temporary file, no row."""

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("services.attachments_files.os.fsync", full)
    with pytest.raises(Invalid, match="存储空间不足"):
        _upload(factory, store, factory.case("mediating"), samples.photo())
    assert _rows(factory.session) == 0 and _stored(store) == []


def test_a_row_that_cannot_be_written_takes_its_new_file_away(factory: Factory, store: FileStore) -> None:
    """The database refuses the row (here: the uploader's account is gone, a foreign-key violation):
    the files written for it are removed, and no row is left."""
    case = factory.case("mediating")
    ghost = Actor(10**6, frozenset({Role.STAFF}), frozenset({case.community_id}))
    with pytest.raises(IntegrityError):
        attachments.upload(
            session=factory.session,
            store=store,
            actor=ghost,
            case_id=case.id or 0,
            kind="evidence",
            name="x.jpg",
            data=samples.photo(),
            limits=LIMITS,
        )
    assert _rows(factory.session) == 0 and _stored(store) == []


def test_who_may_attach(factory: Factory, store: FileStore) -> None:
    case = factory.case("mediating")
    assignee = factory.session.get(type(factory.staff()), case.assignee_id)
    assert _upload(factory, store, case, samples.pdf(), actor=assignee).id
    other = factory.community()
    for outsider in (
        factory.user("volunteer"),  # same community, not assigned
        factory.user("leader"),
        factory.user("admin", communities=[]),
    ):
        with pytest.raises(Forbidden):
            _upload(factory, store, case, samples.pdf(), actor=outsider)
    with pytest.raises(NotFound):
        _upload(factory, store, case, samples.pdf(), actor=factory.staff(other))


def test_a_closed_case_takes_papers_unless_the_policy_says_no(factory: Factory, store: FileStore) -> None:
    case = factory.case("closed")
    assert _upload(factory, store, case, samples.pdf(), kind="agreement").id
    factory.session.add(Setting(key=POLICY_KEY, value={"file_attach_after_end": False}))
    factory.session.commit()
    with pytest.raises(Invalid, match="案件已结束"):
        _upload(factory, store, case, samples.pdf(2))
    assert _rows(factory.session) == 1


def test_withdraw_keeps_the_row_and_the_file(factory: Factory, store: FileStore) -> None:
    case = factory.case("mediating")
    row = _upload(factory, store, case, samples.pdf())
    staff = _actor(factory, factory.staff())
    with pytest.raises(Invalid, match="理由"):
        attachments.withdraw(
            session=factory.session, actor=staff, case_id=case.id, attachment_id=row.id, reason=" "
        )
    done = attachments.withdraw(
        session=factory.session, actor=staff, case_id=case.id, attachment_id=row.id, reason="上传错了案件"
    )
    assert done.withdrawn and done.withdrawn_reason == "上传错了案件" and done.withdrawn_by_id == staff.id
    assert store.has(row.sha256) and _rows(factory.session) == 1
    with pytest.raises(Invalid, match="已撤回"):
        attachments.withdraw(
            session=factory.session, actor=staff, case_id=case.id, attachment_id=row.id, reason="再次"
        )


def test_only_staff_or_the_uploader_withdraws(factory: Factory, store: FileStore) -> None:
    case = factory.case("mediating")
    row = _upload(factory, store, case, samples.pdf())  # by staff
    assignee = _actor(factory, factory.session.get(type(factory.staff()), case.assignee_id))
    with pytest.raises(Forbidden):
        attachments.withdraw(
            session=factory.session, actor=assignee, case_id=case.id, attachment_id=row.id, reason="x"
        )


def test_downloads_are_recorded_and_id_papers_need_full_pii(factory: Factory, store: FileStore) -> None:
    case = factory.case("mediating")
    paper = _upload(factory, store, case, samples.pdf(), kind="agreement")  # carries ID numbers
    photo = _upload(factory, store, case, samples.photo(), kind="evidence")
    volunteer = _actor(factory, factory.user("volunteer"))  # sees the case, ID numbers masked
    staff = _actor(factory, factory.staff())
    with pytest.raises(Forbidden):
        attachments.open_file(
            session=factory.session, store=store, actor=volunteer, case_id=case.id, attachment_id=paper.id
        )
    _, path = attachments.open_file(
        session=factory.session, store=store, actor=volunteer, case_id=case.id, attachment_id=photo.id
    )
    assert path.read_bytes() == store.path(photo.sha256).read_bytes()
    attachments.open_file(
        session=factory.session, store=store, actor=staff, case_id=case.id, attachment_id=paper.id
    )
    attachments.open_file(
        session=factory.session,
        store=store,
        actor=staff,
        case_id=case.id,
        attachment_id=photo.id,
        thumbnail=True,
    )
    factory.session.rollback()
    seen = factory.session.exec(select(AttachmentDownload.attachment_id, AttachmentDownload.user_id)).all()
    assert sorted(seen) == sorted([(photo.id, volunteer.id), (paper.id, staff.id)]), (
        "thumbnails are not downloads"
    )


def test_the_file_incomplete_mark_follows_the_papers(factory: Factory, store: FileStore) -> None:
    case = factory.case("closed")  # a written agreement, closed without its signed scan (default: warn)
    factory.session.refresh(case)
    assert case.file_incomplete
    row = _upload(factory, store, case, samples.pdf(), kind="agreement")
    factory.session.refresh(case)
    assert not case.file_incomplete
    attachments.withdraw(
        session=factory.session,
        actor=_actor(factory, factory.staff()),
        case_id=case.id,
        attachment_id=row.id,
        reason="扫描不清",
    )
    factory.session.refresh(case)
    assert case.file_incomplete
