"""工作台 (the home page after login), the inbox of daily reminders and its unread count in the navigation."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from services.desk import desk_for
from services.reminders import inbox as inbox_messages
from services.reminders import mark_read, read_digest, unread_count
from web.auth import current_actor
from web.database import db

bp = Blueprint("desk", __name__)


@login_required
def home() -> str:
    """The person's desk: what is overdue or due soon in their cases, their community, their scope."""
    desk = desk_for(db(), current_actor())
    return render_template("desk/home.html", title=_("工作台"), desk=desk)


@bp.get("/inbox")
@login_required
def inbox() -> str:
    """The daily digests, newest first, in the page's language (they are stored as data, not text)."""
    messages = [(m, read_digest(m.data)) for m in inbox_messages(db(), current_user.id)]
    return render_template("desk/inbox.html", title=_("消息"), messages=messages)


@bp.post("/inbox/<int:message_id>/read")
@login_required
def read(message_id: int) -> Response:
    """Mark one message read (CSRF-checked like every POST of the site)."""
    if not mark_read(session=db(), user_id=current_user.id, message_id=message_id):
        flash(_("该消息已读或不存在。"), "info")
    return redirect(url_for(".inbox") + f"#m{message_id}", 303)


@bp.post("/inbox/read")
@login_required
def read_all() -> Response:
    changed = mark_read(session=db(), user_id=current_user.id)
    flash(ngettext("已将 %(num)s 条消息标为已读。", "已将 %(num)s 条消息标为已读。", changed), "success")
    return redirect(url_for(".inbox"), 303)


@bp.app_context_processor
def unread() -> dict[str, Any]:
    """``unread_messages`` in every page: the logged-in user's unread digests (one indexed count)."""
    if not current_user or not getattr(current_user, "is_authenticated", False):
        return {"unread_messages": 0}
    return {"unread_messages": unread_count(db(), current_user.id)}
