"""Language: Chinese by default, English through Flask-Babel; dates the way Chinese offices write them."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from urllib.parse import unquote

from sqlmodel import select

from models import Case, User
from tests.web.case_helpers import distinct_parties, login, post_action, text, token_from
from web.display import cn_date, cn_datetime


def test_cn_date_of_a_date_and_of_a_moment_in_beijing_time():
    assert cn_date(date(2026, 11, 23)) == "2026年11月23日"
    assert cn_date(datetime(2026, 11, 23, 17, 0, tzinfo=UTC)) == "2026年11月24日"  # 01:00 in Beijing
    assert cn_date(None) == "—"


def test_cn_datetime_is_beijing_time_and_reads_naive_values_as_utc():
    assert cn_datetime(datetime(2026, 1, 5, 2, 7, tzinfo=UTC)) == "2026年1月5日 10:07"
    assert cn_datetime(datetime(2026, 12, 31, 16, 30)) == "2027年1月1日 00:30"
    assert cn_datetime(None) == "—"


def test_filters_are_registered_on_the_app(app):
    env = app.jinja_env
    assert env.from_string("{{ d|cn_date }}").render(d=date(2026, 3, 8)) == "2026年3月8日"
    moment = datetime(2026, 3, 8, 0, 0, tzinfo=UTC)
    assert env.from_string("{{ d|cn_datetime }}").render(d=moment) == "2026年3月8日 08:00"


def test_chinese_is_the_default(client):
    page = text(client.get("/login"))
    assert '<html lang="zh-CN">' in page
    assert ">登录</button>" in page


def test_anonymous_visitor_switches_to_english_and_back(client):
    resp = client.get("/locale/en?next=/login")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/login")
    page = text(client.get("/login"))
    assert '<html lang="en">' in page
    assert ">Log in</button>" in page and "Username" in page and "Password" in page
    client.get("/locale/zh")
    assert ">登录</button>" in text(client.get("/login"))


def test_anonymous_visitor_is_asked_to_log_in_in_their_language(client):
    assert "请先登录。" in text(client.get("/cases/", follow_redirects=True))
    client.get("/locale/en")
    assert "Please log in first." in text(client.get("/cases/", follow_redirects=True))


def test_unknown_language_is_404_and_other_sites_are_not_followed(client):
    assert client.get("/locale/fr").status_code == 404
    resp = client.get("/locale/en?next=https://evil.example/")
    assert resp.headers["Location"] == "/"


def test_english_error_messages_for_login(client):
    client.get("/locale/en")
    token = token_from(client, "/login")
    resp = client.post("/login", data={"username": "", "password": "", "csrf_token": token})
    assert resp.status_code == 422
    assert "Please enter your username." in text(resp)


def test_logged_in_switch_is_a_post_that_saves_the_setting(client, factory, app_session):
    user = factory.user("admin")
    login(client, user)
    assert client.post("/locale/en").status_code == 400  # no CSRF token
    token = token_from(client, "/settings")
    resp = client.post("/locale/en", data={"csrf_token": token, "next": "/admin/"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/admin/")
    app_session.rollback()
    assert app_session.exec(select(User.locale).where(User.id == user.id)).one() == "en"
    page = text(client.get("/admin/"))
    assert "Users" in page and "Triage policy" in page and "Log out" in page
    assert "Workflow" in page and "Settings" in page
    page = text(client.get("/workflow"))
    assert "Case workflow" in page and "Who may do it" in page


def test_the_user_setting_wins_over_the_session(client, factory, app_session):
    user = factory.staff()
    client.get("/locale/en")
    login(client, user)
    assert "退出" in text(client.get("/settings"))  # the user's own setting (zh) applies after login


# --- English pages (the browser walk of every page is tests/e2e/test_english.py) ------------------
DAY_IN_ENGLISH = re.compile(r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b")


def _in_english(client, user) -> None:
    login(client, user)
    resp = client.post("/locale/en", data={"csrf_token": token_from(client, "/settings")})
    assert resp.status_code == 302


def test_a_case_page_in_english_reads_the_stored_reasons_in_english(client, factory, app_session):
    case = factory.case("registered", claimed_amount=Decimal("5000"), category="婚姻家庭")
    assert case.triage_reasons == "争议金额 ≥ 1,000 元；纠纷类型：婚姻家庭"  # stored as ever, in Chinese
    _in_english(client, factory.staff())
    page = text(client.get(f"/cases/{case.id}"))
    assert "claimed amount ≥ 1,000 yuan; dispute category: <span data-i18n-keep>婚姻家庭</span>" in page
    assert 'data-testid="case-number">Awaiting acceptance<' in page
    assert 'data-testid="state">Registered<' in page and 'data-testid="severity">General<' in page
    assert "Community mediator" in page and "Do not accept" in page and "Accept" in page
    assert DAY_IN_ENGLISH.search(page) and "年" not in page.split("<main>")[1].split("</header>")[0]
    # a reason written by an older version of the code, unknown today, is shown as stored
    app_session.get(Case, case.id).triage_reasons = "一般邻里小纠纷；旧版理由"
    app_session.commit()
    page = text(client.get(f"/cases/{case.id}"))
    assert "ordinary minor neighbourhood dispute; 旧版理由" in page


def test_refusals_of_workflow_and_services_are_in_english(client, factory):
    case = factory.case("registered")
    _in_english(client, factory.staff())
    resp = post_action(client, case.id, "accept", {"severity": "major"})
    assert resp.status_code == 422
    assert "“Accept” is not possible: Changing the severity requires a reason." in text(resp)
    token = token_from(client, "/cases/new")
    resp = client.post("/cases/new", data={"csrf_token": token, "submit": "1"})
    assert resp.status_code == 422
    page = text(resp)
    assert "Please choose a dispute category." in page and "Please describe the dispute briefly." in page
    assert "At least one applicant and one respondent are required." in page


def test_the_legal_papers_stay_chinese_in_english(client, factory):
    case = factory.case("agreed", parties=distinct_parties())
    _in_english(client, factory.staff())
    for paper in ("agreement", "file"):
        page = text(client.get(f"/cases/{case.id}/{paper}"))
        assert '<html lang="en">' in page and ">Print</button>" in page and "Back to the case" in page
        body = page.split('<div class="paper" lang="zh-CN" data-i18n-keep>')[1]
        assert "人民调解委员会" in body and re.search(r"\d{4}年\d{1,2}月\d{1,2}日", body)
        assert "申请人" in body and not DAY_IN_ENGLISH.search(body) and "Applicant" not in body
    assert "调解成功，协议履行中" in text(client.get(f"/cases/{case.id}/file"))


def test_statistics_page_in_english_and_its_exports_in_chinese(client, factory):
    factory.case("accepted")
    _in_english(client, factory.staff())
    page = text(client.get("/stats/", query_string={"month": "2026-11"}))
    assert "Key figures" in page and "Nov 2026" in page and "Accepted (cases)" in page
    assert '"names": {"accepted": "Accepted", "success": "Mediated successfully"}' in page
    resp = client.get("/stats/export.csv", query_string={"month": "2026-11"})
    report = resp.get_data(as_text=True)
    assert "月报汇总" in report and "受理数" in report and "Accepted" not in report
    assert "2026-11_全部可见社区_人民调解月报.csv" in unquote(resp.headers["Content-Disposition"])
    cases = client.get("/stats/cases.csv", query_string={"month": "2026-11"}).get_data(as_text=True)
    assert "已受理" in cases and "Accepted" not in cases


def test_a_fields_required_when_note_follows_the_page_language_whoever_built_the_form_first(client, factory):
    case = factory.case("mediating")
    mediator = factory.session.get(User, case.assignee_id)
    login(client, mediator)
    chinese = text(client.get(f"/cases/{case.id}"))
    assert "（书面协议必填）" in chinese  # the agreement form, built in a Chinese page
    client.post("/locale/en", data={"csrf_token": token_from(client, "/settings")})
    english = text(client.get(f"/cases/{case.id}"))
    notes = re.findall(r'<span class="req when">([^<]*)</span>', english)
    assert "(required for Written agreement)" in notes, notes
    assert not any(re.search(r"[\u4e00-\u9fff]", n) for n in notes), notes


def test_the_request_translator_follows_the_language_in_force_within_one_request(app):
    """web.i18n keeps one catalog per language and reads the request's language from Flask-Babel's own
    state, so force_locale (the exports, the printable papers) changes what it says, and undoes it."""
    from flask import session
    from flask_babel import force_locale

    from web.catalog import request_gettext
    from web.i18n import template_gettext

    with app.test_request_context("/"):
        session["locale"] = "en"
        assert request_gettext("受理数") == "Accepted"
        with force_locale("zh"):
            assert request_gettext("受理数") == "受理数"
            assert str(template_gettext("受理数")) == "受理数"
        assert request_gettext("受理数") == "Accepted"
    with app.test_request_context("/"):
        assert request_gettext("受理数") == "受理数"  # a new request in Chinese: nothing carried over
    assert request_gettext("受理数") == "受理数"  # outside a request: the Chinese itself


def test_a_templates_text_is_markup_and_the_values_put_in_are_escaped(app):
    with app.test_request_context("/"):
        rendered = app.jinja_env.from_string("{{ _('共 %(n)s 件', n=n) }}|{{ _('100%%') }}").render(n="<b>")
    assert rendered == "共 &lt;b&gt; 件|100%"


def test_a_templates_plural_and_context_words_are_markup_with_their_values_escaped(app):
    """ngettext() and pgettext() are ours as _() is (no copy of the context per call inside a loop): the
    number fills %(num)s unless given (a list page gives it marked up), the values are escaped."""
    source = (
        "{% for n in [1, 2] %}{{ ngettext('%(num)s 页', '%(num)s 页', n) }};{% endfor %}"
        "{{ ngettext('共 %(num)s 件', '共 %(num)s 件', 3, num=shown) }}|{{ pgettext('one', '社区') }}"
    )
    from flask import session
    from markupsafe import Markup

    with app.test_request_context("/"):
        zh = app.jinja_env.from_string(source).render(shown=Markup("<b>3</b>"))
    with app.test_request_context("/"):
        session["locale"] = "en"
        en = app.jinja_env.from_string(source).render(shown="<b>3</b>")
    assert zh == "1 页;2 页;共 <b>3</b> 件|社区"
    assert en.startswith("1 page;2 pages;") and "&lt;b&gt;3&lt;/b&gt;" in en and en.endswith("|Community"), en
