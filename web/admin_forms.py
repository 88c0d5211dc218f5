"""Forms of the administration pages; every message is the user's to read (Chinese, or English via Babel)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from wtforms import (
    BooleanField,
    DecimalField,
    Field,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from services.api_clients import ROLES as CLIENT_ROLES
from web.base_form import SiteForm
from web.case_forms import CnDecimalField
from web.catalog import lazy_gettext as _l
from workflow.labels import API_SCOPE_LABELS, ROLE_LABELS
from workflow.papers import PAPER_KINDS
from workflow.workdays import LAST_DAY_LABELS

USERNAME_PATTERN = r"^[A-Za-z0-9_.\-]+$"


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes; a value that is not offered is refused with a plain message."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("invalid_value_message", _l("所选项目无效。"))
        kwargs.setdefault("invalid_choice_message", _l("所选项目无效，请重新选择。"))
        super().__init__(*args, **kwargs)


def options(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    return [SelectChoice(str(value), label) for value, label in pairs]


def role_choices() -> list[SelectChoice]:
    return options(ROLE_LABELS.items())


class UserEditForm(SiteForm):
    display_name = StringField(
        _l("姓名"),
        validators=[
            DataRequired(_l("请填写姓名。")),
            Length(max=50, message=_l("姓名不超过 50 个字。")),
        ],
    )
    roles = MultiCheckboxField(
        _l("角色"), choices=role_choices(), validators=[DataRequired(_l("至少选择一个角色。"))]
    )
    communities = MultiCheckboxField(_l("所属社区"), coerce=int, choices=[])


class UserCreateForm(UserEditForm):
    """The edit form plus what is set only once: the username and the first password."""

    username = StringField(
        _l("用户名"),
        validators=[
            DataRequired(_l("请填写用户名。")),
            Length(max=50, message=_l("用户名不超过 50 个字符。")),
            Regexp(USERNAME_PATTERN, message=_l("用户名只能包含字母、数字、点、下划线和连字符。")),
        ],
    )
    password = PasswordField(
        _l("初始密码（留空则自动生成）"),
        validators=[Optional(), Length(min=8, max=200, message=_l("密码须为 8–200 个字符。"))],
    )


class ActionForm(SiteForm):
    """A button that changes something: only the CSRF token."""


class CommunityForm(SiteForm):
    name = StringField(
        _l("社区名称"),
        validators=[
            DataRequired(_l("请填写社区名称。")),
            Length(max=100, message=_l("社区名称不超过 100 个字。")),
        ],
    )
    short_name = StringField(
        _l("简称（用于案号）"),
        validators=[
            DataRequired(_l("请填写简称。")),
            Length(max=20, message=_l("简称不超过 20 个字。")),
        ],
    )
    street = StringField(
        _l("所属街道"), validators=[Length(max=100, message=_l("所属街道不超过 100 个字。"))]
    )


class CategoryForm(SiteForm):
    """A name of the vocabulary (a category or a source); services.vocabulary checks it."""

    name = StringField(_l("名称"), validators=[DataRequired(_l("请填写名称。"))])


class CategoryEditForm(CategoryForm):
    position = IntegerField(
        _l("排序"),
        validators=[
            InputRequired(_l("请填写排序。")),
            NumberRange(min=0, max=9999, message=_l("排序须为 0–9999 的整数。")),
        ],
    )


class ApiClientForm(SiteForm):
    """A new API client; services.api_clients checks the name and the choices."""

    name = StringField(_l("客户端名称"), validators=[DataRequired(_l("请填写客户端名称。"))])
    communities = MultiCheckboxField(
        _l("可访问的社区"), coerce=int, choices=[], validators=[DataRequired(_l("至少选择一个社区。"))]
    )
    scope = RadioField(
        _l("权限"), choices=[SelectChoice(k, v) for k, v in API_SCOPE_LABELS.items()], default="read"
    )
    role = RadioField(
        _l("以何种角色办理"),
        choices=[SelectChoice(r, ROLE_LABELS[r]) for r in CLIENT_ROLES],
        default=CLIENT_ROLES[0],
    )


def _days(label: Any) -> IntegerField:
    return IntegerField(
        label,
        validators=[
            InputRequired(_l("请填写天数。")),
            NumberRange(min=1, max=3650, message=_l("天数须为 1–3650。")),
        ],
    )


class AmountField(CnDecimalField):
    invalid = _l("请填写有效的数字金额。")


def _amount(label: Any) -> DecimalField:
    return AmountField(
        label,
        places=2,
        validators=[
            InputRequired(_l("请填写金额。")),
            NumberRange(
                min=Decimal("0.01"), max=Decimal(10**9), message=_l("金额须大于 0 且不超过 10 亿元。")
            ),
        ],
    )


PAPER_CHOICES = options((k.key, k.label) for k in PAPER_KINDS)


def _last_day(label: Any) -> RadioField:
    """How a clock's last day is fixed (workflow.workdays.LastDay)."""
    return RadioField(
        label,
        choices=options((rule.value, text) for rule, text in LAST_DAY_LABELS.items()),
        validators=[InputRequired(_l("请选择期限的计算方式。"))],
    )


def _count(label: Any, low: int, high: int, message: Any) -> IntegerField:
    return IntegerField(
        label,
        validators=[InputRequired(_l("请填写天数。")), NumberRange(min=low, max=high, message=message)],
    )


class PolicyForm(SiteForm):
    major_amount = _amount(_l("较大纠纷：争议金额达到（元）"))
    general_amount = _amount(_l("一般纠纷：争议金额达到（元）"))
    major_people = IntegerField(
        _l("较大纠纷：涉及人数达到（人）"),
        validators=[
            InputRequired(_l("请填写人数。")),
            NumberRange(min=2, max=10000, message=_l("人数须为 2–10000。")),
        ],
    )
    general_parties = IntegerField(
        _l("一般纠纷：当事人达到（方）"),
        validators=[
            InputRequired(_l("请填写人数。")),
            NumberRange(min=2, max=1000, message=_l("须为 2–1000。")),
        ],
    )
    repeat_days = _days(_l("一般纠纷：同一当事人或地址在多少日内有案"))
    major_categories = MultiCheckboxField(_l("按较大纠纷处理的纠纷类型"), coerce=int, choices=[])
    general_categories = MultiCheckboxField(_l("按一般纠纷处理的纠纷类型"), coerce=int, choices=[])
    mediation_days = _days(_l("调解期限（日）"))
    extension_days = _days(_l("每次延长（日）"))
    confirmation_days = _days(_l("申请司法确认期限（日）"))
    follow_up_after_performance_days = _days(_l("履行期满后回访（日）"))
    follow_up_after_oral_days = _days(_l("口头协议后回访（日）"))
    # The case file's completeness rule (workflow.papers): which signed papers each ending needs.
    file_check = SelectField(
        _l("结案、终止时缺少所需签字材料"),
        choices=options([("warn", _l("提醒（允许结案，记入办理经过）")), ("refuse", _l("不允许结案或终止"))]),
    )
    file_close_written = MultiCheckboxField(_l("书面协议结案须附"), choices=PAPER_CHOICES)
    file_close_oral = MultiCheckboxField(_l("口头协议结案须附"), choices=PAPER_CHOICES)
    file_terminate = MultiCheckboxField(_l("终止调解须附"), choices=PAPER_CHOICES)
    file_attach_after_end = BooleanField(_l("案件结束后仍可添加材料"))
    mediation_last_day = _last_day(_l("调解期限的最后一日"))
    confirmation_last_day = _last_day(_l("申请司法确认期限的最后一日"))
    follow_up_last_day = _last_day(_l("回访期限的最后一日"))
    due_soon_days = _count(_l("工作台与每日提醒：即将到期指几日内到期（日）"), 0, 30, _l("须为 0–30 日。"))
    escalate_overdue_days = _count(
        _l("超期多少日报领导（日，0 为不报）"), 0, 365, _l("须为 0–365 日，0 为不报。")
    )
    reason = TextAreaField(
        _l("修改理由"),
        validators=[
            DataRequired(_l("修改分级规则须填写理由。")),
            Length(max=1000, message=_l("理由不超过 1000 个字。")),
        ],
    )

    def validate_general_amount(self, field: Field) -> None:
        if (
            field.data is not None
            and self.major_amount.data is not None
            and field.data >= self.major_amount.data
        ):
            raise ValidationError(_l("一般纠纷的金额标准须低于较大纠纷的金额标准。"))

    def policy_values(self) -> dict[str, Any]:
        """The values for services.policy.update_policy (all of them, as it stores what it is given)."""
        return {
            name: (format(field.data.normalize(), "f") if isinstance(field.data, Decimal) else field.data)
            for name, field in self._fields.items()
            if name in POLICY_FIELDS
        }


POLICY_FIELDS = (
    "major_amount",
    "general_amount",
    "major_people",
    "general_parties",
    "repeat_days",
    "major_categories",
    "general_categories",
    "mediation_days",
    "extension_days",
    "confirmation_days",
    "follow_up_after_performance_days",
    "follow_up_after_oral_days",
    "file_check",
    "file_close_written",
    "file_close_oral",
    "file_terminate",
    "file_attach_after_end",
    "mediation_last_day",
    "confirmation_last_day",
    "follow_up_last_day",
    "due_soon_days",
    "escalate_overdue_days",
)
