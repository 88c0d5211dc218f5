"""Communities (社区): create and rename; short names go into case numbers."""

from sqlmodel import Session, select

from models import AdminEvent, Community
from services.db import writing
from services.errors import Invalid
from workflow.text import say


def create_community(
    *, session: Session, name: str, short_name: str, street: str = "", actor_id: int | None = None
) -> Community:
    """A new community; name and short name must be unique."""
    name, short_name, street = _cleaned(name, short_name, street)
    with writing(session):
        _refuse_clashes(session, name, short_name)
        community = Community(name=name, short_name=short_name, street=street)
        session.add(community)
        session.add(
            AdminEvent(actor_id=actor_id, action="create_community", target=short_name, data={"name": name})
        )
    return community


def update_community(
    *,
    session: Session,
    community_id: int,
    name: str,
    short_name: str,
    street: str = "",
    actor_id: int | None = None,
) -> Community:
    """Rename a community; names stay unique. Case numbers already issued keep the old short name."""
    name, short_name, street = _cleaned(name, short_name, street)
    with writing(session):
        community = session.get(Community, community_id)
        if community is None:
            raise Invalid(say("社区不存在。"))
        _refuse_clashes(session, name, short_name, other_than=community_id)
        changes = {
            key: value
            for key, value in (("name", name), ("short_name", short_name), ("street", street))
            if getattr(community, key) != value
        }
        for key, value in changes.items():
            setattr(community, key, value)
        session.add(community)
        if changes:
            session.add(
                AdminEvent(
                    actor_id=actor_id, action="update_community", target=community.short_name, data=changes
                )
            )
    return community


def _cleaned(name: str, short_name: str, street: str) -> tuple[str, str, str]:
    """The three fields stripped, or Invalid naming the one that is empty or too long."""
    name, short_name, street = name.strip(), short_name.strip(), street.strip()
    if not name or len(name) > 100:
        raise Invalid(say("社区名称须为 1–100 个字。"), field="name")
    if not short_name or len(short_name) > 20:
        raise Invalid(say("社区简称须为 1–20 个字。"), field="short_name")
    if len(street) > 100:
        raise Invalid(say("所属街道不超过 100 个字。"), field="street")
    return name, short_name, street


def _refuse_clashes(session: Session, name: str, short_name: str, *, other_than: int | None = None) -> None:
    """Invalid when another community already has this name or short name."""
    others = select(Community) if other_than is None else select(Community).where(Community.id != other_than)
    if session.exec(others.where(Community.name == name)).first():
        raise Invalid(say("社区名称已存在。"), field="name")
    if session.exec(others.where(Community.short_name == short_name)).first():
        raise Invalid(say("社区简称已存在。"), field="short_name")
