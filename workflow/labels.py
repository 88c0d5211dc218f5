"""The words shown for stored values, in one module, each marked for translation (``_``).

Keyed by the stored value (a state id, a role, a tier…), so this module needs nothing but the text
helper and every other module can read it: the enums' ``label`` properties, the pages, the exports and
the API. The choices a trigger asks for are declared with the trigger (workflow.triggers).
"""

from __future__ import annotations

from workflow.text import Text, _, _p

STATE_LABELS: dict[str, Text] = {
    "registered": _("已登记"),
    "not_accepted": _p("state", "不予受理"),
    "accepted": _("已受理"),
    "assigned": _("已指派"),
    "mediating": _("调解中"),
    "agreed": _("已达成协议"),
    "defaulted": _("未履行"),
    "closed": _("已结案"),
    "terminated": _p("state", "终止调解"),
    "withdrawn": _("已撤回"),
}

ROLE_LABELS: dict[str, Text] = {
    "staff": _("社区工作人员"),
    "volunteer": _("调解志愿者"),
    "mediator": _("社区调解员"),
    "judge": _("社区法官"),
    "leader": _("街道/社区领导"),
    "admin": _("系统管理员"),
}

TIER_LABELS: dict[str, Text] = {
    "volunteer": _("调解志愿者"),
    "mediator": _("社区调解员"),
    "judge": _("社区法官"),
}

SEVERITY_LABELS: dict[str, Text] = {"minor": _("轻微"), "general": _("一般"), "major": _("较大")}

RISK_LABELS: dict[str, Text] = {"none": _("无"), "yellow": _("黄色"), "orange": _("橙色"), "red": _("红色")}

# The administered lists (models.vocabulary).
VOCABULARY_LABELS: dict[str, Text] = {"category": _("纠纷类型"), "source": _("案件来源")}

# Events that are not triggers.
EVENT_LABELS: dict[str, Text] = {"register": _("登记")}

# What an API client may do (models.api).
API_SCOPE_LABELS: dict[str, Text] = {"read": _("只读"), "write": _("读写")}

# Orders of the case list.
SORT_LABELS: dict[str, Text] = {
    "newest": _("最新登记"),
    "oldest": _("最早登记"),
    "deadline": _("期限最近"),
    "accepted": _("最近受理"),
}

# The administration log (admin_event.action).
ADMIN_ACTION_LABELS: dict[str, Text] = {
    "create_user": _("新建用户"),
    "update_user": _("修改用户"),
    "set_password": _("设置密码"),
    "create_community": _("新建社区"),
    "update_community": _("修改社区"),
    "create_category": _("新增纠纷类型"),
    "update_category": _("修改纠纷类型"),
    "seed_categories": _("导入默认纠纷类型"),  # before migration 0013 (the log keeps old entries)
    "create_source": _("新增案件来源"),
    "update_source": _("修改案件来源"),
    "update_policy": _("修改分级规则"),
    "set_holiday": _("设置节假日安排"),
    "delete_holiday": _("删除节假日安排"),
    "create_api_client": _("新建接口客户端"),
    "revoke_api_client": _("吊销接口令牌"),
}
