"""The forms' own widgets write the same HTML as WTForms' would."""

from __future__ import annotations

from wtforms import Form
from wtforms.fields.choices import SelectChoice as C
from wtforms.widgets import Select

from web.case_forms import ChoiceField, FastSelect


class _Picked(Form):
    kind = ChoiceField(
        choices=[
            C("", "请选择"),
            C("agreement", "调解协议书"),
            C("a<b&\"c'", "<script>alert('x')</script> & 证据"),
            C("7", "七"),
        ]
    )
    flag = ChoiceField(choices=[C(True, "是"), C(False, "否")], coerce=lambda v: v in (True, "True"))  # type: ignore[arg-type]
    extra = ChoiceField(choices=[C("x", "带属性", {"disabled": True}), C("y", "")])


def test_fast_select_writes_what_wtforms_select_writes() -> None:
    for data in ({}, {"kind": "a<b&\"c'", "flag": "True", "extra": "y"}, {"kind": "7", "flag": "False"}):
        form = _Picked(data=data)
        for field in (form.kind, form.flag, form.extra):
            assert isinstance(field.widget, FastSelect)
            fast = str(field(**{"aria-invalid": "true"}))
            assert fast == str(Select()(field, **{"aria-invalid": "true"})), field.name
    picked = str(_Picked(data={"kind": "a<b&\"c'"}).kind())
    assert 'selected value="a&lt;b&amp;&#34;c&#39;"' in picked and "<script>" not in picked
