"""Attachments in real Chromium on a 390px phone, through the real file chooser: staff pick several
files, the assignee takes a photo (the camera input), a bad file is refused with its reason, a volunteer
cannot open a paper carrying ID numbers, staff withdraw one; downloads are recorded."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from models import Case
from tests import samples
from tests.e2e.conftest import Cast
from tests.e2e.test_phone_layout import OVERFLOW_JS, PHONE, UNLABELLED_JS
from tests.e2e.ui import UI
from tests.factories import Factory


def _mediating(seed: Factory, cast: Cast) -> Case:
    case = seed.case("accepted", community=cast.community)
    case = seed.fire(case, "assign", assignee_id=cast.volunteer.id)
    for trigger in ("notify_rights", "start_mediation"):
        case = seed.fire(case, trigger)
    return case


def _choose(ui: UI, label: str, files: list[Path]) -> None:
    """Open the file chooser as a person does (tap the button) and pick the files."""
    with ui.page.expect_file_chooser() as chooser:
        ui.page.locator(".file-pickers label", has_text=label).click()
    chooser.value.set_files([str(f) for f in files])


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _upload_form(ui: UI, case: Case, kind: str) -> Any:
    """The case page's upload form with a kind chosen."""
    ui.goto(f"/cases/{case.id}")
    form = ui.page.locator("form[data-upload]")
    form.locator("#attach-kind").select_option(kind)
    return form


def _no_overflow(ui: UI) -> None:
    found = ui.page.evaluate(OVERFLOW_JS, 390)
    assert found["scrollWidth"] <= found["width"], f"wider than the phone: {found['offenders']}"
    assert ui.page.evaluate(UNLABELLED_JS) == [], "a visible field without a label"


def test_staff_pick_several_files_and_the_assignee_takes_a_photo(
    open_ui: Callable[..., UI], cast: Cast, seed: Factory, tmp_path: Path
) -> None:
    case = _mediating(seed, cast)
    ui = open_ui(**PHONE)
    ui.login(cast.staff)
    form = _upload_form(ui, case, "evidence")
    _choose(
        ui,
        "选择文件",
        [_write(tmp_path, "现场照片.jpg", samples.photo()), _write(tmp_path, "收据.pdf", samples.pdf(2))],
    )
    expect(form.locator("[data-chosen]")).to_contain_text("已选择 2 个文件")
    _no_overflow(ui)
    ui.shot("chosen")
    form.get_by_role("button", name="上传").click()
    expect(ui.page.locator(".flash.success")).to_contain_text("已添加 2 个文件")
    section = ui.page.locator('[data-testid="attachments"]')
    expect(section.locator("li.attachment")).to_have_count(2)
    thumb = section.locator("img.thumb")
    expect(thumb).to_have_count(1)
    assert ui.page.evaluate("(img) => img.complete && img.naturalWidth > 0", thumb.element_handle())
    _no_overflow(ui)
    ui.shot("uploaded")
    ui.logout()

    ui.login(cast.volunteer)
    form = _upload_form(ui, case, "session_record")
    expect(form.locator("#attach-camera")).to_have_attribute("capture", "environment")
    expect(form.locator("#attach-camera")).to_have_attribute("accept", "image/*")
    _choose(ui, "拍照", [_write(tmp_path, "IMG_0042.HEIC", samples.heic())])
    form.get_by_role("button", name="上传").click()
    expect(ui.page.locator(".flash.success")).to_contain_text("已添加 1 个文件")
    photo = ui.page.locator("li.attachment", has_text="IMG_0042.HEIC")
    with ui.page.expect_download() as download:
        photo.get_by_test_id("download").click()
    assert download.value.suggested_filename == "IMG_0042.jpg"
    assert Path(download.value.path()).read_bytes()[:2] == b"\xff\xd8"
    ui.goto(f"/cases/{case.id}")
    expect(
        ui.page.locator("li.attachment", has_text="IMG_0042.HEIC").get_by_test_id("downloads")
    ).to_contain_text("下载记录（1）")


def test_a_bad_file_is_refused_and_what_was_chosen_stays(
    open_ui: Callable[..., UI], cast: Cast, seed: Factory, tmp_path: Path
) -> None:
    case = _mediating(seed, cast)
    ui = open_ui(**PHONE)
    ui.problems.allow(r"status of 422")
    ui.login(cast.staff)
    form = _upload_form(ui, case, "agreement")
    form.locator("#attach-note").fill("双方签字页")
    _choose(ui, "选择文件", [_write(tmp_path, "协议.pdf", b"MZ" + bytes(500))])
    form.get_by_role("button", name="上传").click()
    failures = ui.page.get_by_test_id("upload-failures")
    expect(failures).to_contain_text("协议.pdf")
    expect(failures).to_contain_text("无法识别的文件类型")
    expect(ui.page.locator("form[data-upload] #attach-kind")).to_have_value("agreement")
    expect(ui.page.locator("form[data-upload] #attach-note")).to_have_value("双方签字页")
    expect(ui.page.locator("li.attachment")).to_have_count(0)
    _no_overflow(ui)
    ui.shot("refused")


def test_id_papers_are_locked_for_a_volunteer_and_staff_withdraw(
    open_ui: Callable[..., UI], cast: Cast, seed: Factory, tmp_path: Path
) -> None:
    case = _mediating(seed, cast)
    ui = open_ui(**PHONE)
    ui.login(cast.staff)
    form = _upload_form(ui, case, "agreement")
    _choose(ui, "选择文件", [_write(tmp_path, "签字协议.pdf", samples.pdf())])
    form.get_by_role("button", name="上传").click()
    expect(ui.page.locator("li.attachment")).to_have_count(1)
    ui.logout()

    ui.login(cast.other_volunteer)  # same community, not assigned: sees the case, ID numbers masked
    ui.goto(f"/cases/{case.id}")
    item = ui.page.locator("li.attachment")
    expect(item.get_by_test_id("pii-locked")).to_be_visible()
    expect(item.get_by_test_id("download")).to_have_count(0)
    expect(ui.page.locator("form[data-upload]")).to_have_count(0)
    ui.logout()

    ui.login(cast.staff)
    ui.goto(f"/cases/{case.id}")
    item = ui.page.locator("li.attachment")
    item.locator("details.withdraw summary").click()
    item.locator("textarea[name=reason]").fill("扫描不清，重新上传")
    item.get_by_role("button", name="撤回此材料").click()
    expect(ui.page.locator(".flash.success")).to_contain_text("材料已撤回")
    expect(ui.page.get_by_test_id("withdrawn")).to_contain_text(re.compile("扫描不清，重新上传"))
    _no_overflow(ui)


# Reports every change of the upload form's progress text (and whether the bar shows) on the console,
# where the test collects it: the page itself is replaced by the answer once the upload is done.
WATCH_PROGRESS_JS = """
() => {
  const text = document.querySelector('form[data-upload] [data-progress-text]');
  const bar = document.querySelector('form[data-upload] [data-progress]');
  const report = () => console.log(`progress: ${bar.hidden ? 'hidden' : bar.value} ${text.textContent}`);
  new MutationObserver(report).observe(text, {childList: true, characterData: true, subtree: true});
}
"""


def test_a_large_photo_shows_its_progress_while_it_uploads(
    open_ui: Callable[..., UI], cast: Cast, seed: Factory, tmp_path: Path
) -> None:
    case = _mediating(seed, cast)
    ui = open_ui(**PHONE)
    seen: list[str] = []
    ui.page.on("console", lambda msg: seen.append(msg.text) if msg.text.startswith("progress:") else None)
    ui.login(cast.volunteer)
    form = _upload_form(ui, case, "evidence")
    photo = samples.big_photo()
    assert len(photo) > 4 * 1024 * 1024
    _choose(ui, "拍照", [_write(tmp_path, "IMG_5000.JPG", photo)])
    expect(form.locator("[data-chosen]")).to_contain_text("已选择 1 个文件（")
    ui.page.evaluate(WATCH_PROGRESS_JS)
    form.get_by_role("button", name="上传").click()
    expect(ui.page.locator(".flash.success")).to_contain_text("已添加 1 个文件")
    assert seen, "the progress text never changed"
    assert all("hidden" not in s for s in seen), f"the bar stayed hidden: {seen}"
    assert "上传完成，正在检查和保存" in seen[-1], seen
    assert ui.page.url.endswith("#attachments")
    expect(ui.page.locator("li.attachment", has_text="IMG_5000.JPG").locator("img.thumb")).to_have_count(1)
