"""web.base_form: WTForms' attribute writer replaced by a faster one that writes the same HTML."""

from __future__ import annotations

import wtforms.widgets
import wtforms.widgets.core
from markupsafe import Markup
from wtforms import BooleanField, Form, StringField, SubmitField

from web.base_form import _LIBRARY_HTML_PARAMS, html_params
from workflow.text import Text

CASES = [
    {},
    {"name": "note", "id": "attach-note", "type": "text", "value": ""},
    {"class_": "primary", "for_": "x", "data_i18n_keep": True, "aria_describedby": "x-error"},
    {"required": True, "disabled": False, "checked": True, "maxlength": 500, "value": None},
    {"value": "a\"b<c>&d'e", "title": Markup('已<b>转义</b> "引号"'), "alt": "中文 · 说明"},
    {"placeholder": Text("请选择"), "data_x_y_z": 0, "aria-invalid": "true", "data-text": '{"a": 1}'},
    {"zeta": 1, "Alpha": 2, "alpha": 3, "_": 4, "data__": 5},
    {"weird key<>": "v", "value": 3.5},
]


def test_html_params_writes_what_wtforms_writes() -> None:
    for kwargs in CASES:
        assert html_params(**kwargs) == _LIBRARY_HTML_PARAMS(**kwargs), kwargs
        assert isinstance(html_params(**kwargs), Markup)


def test_every_widget_and_label_writes_through_it() -> None:
    assert wtforms.widgets.core.html_params is html_params
    assert wtforms.widgets.html_params is html_params
    assert wtforms.widgets.core.Input.html_params is html_params
    assert wtforms.widgets.core.Button.html_params is html_params

    class _Form(Form):
        note = StringField("说明", render_kw={"data_i18n_keep": True})
        sure = BooleanField("确认")
        go = SubmitField("提交")

    form = _Form(data={"note": 'x"<y>', "sure": True})
    assert str(form.note(class_="wide")) == (
        '<input class="wide" data-i18n-keep id="note" name="note" type="text" value="x&#34;&lt;y&gt;">'
    )
    assert str(form.sure()) == '<input checked id="sure" name="sure" type="checkbox" value="y">'
    assert str(form.go()) == '<input id="go" name="go" type="submit" value="提交">'
    assert str(form.note.label()) == '<label for="note">说明</label>'
