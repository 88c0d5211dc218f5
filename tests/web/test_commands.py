"""The command line: accounts, communities, demo data (backup and restore: tests/web/test_backup.py)."""

from flask import Flask
from sqlmodel import Session, func, select

from models import Community, MonthSnapshot, User


def test_create_community_and_user_with_password_from_stdin(app: Flask, app_session: Session) -> None:
    runner = app.test_cli_runner()
    out = runner.invoke(args=["create-community", "幸福社区", "幸福", "--street", "幸福街道"])
    assert out.exit_code == 0, out.output
    out = runner.invoke(
        args=["create-user", "zhang", "--name", "张敏", "--role", "staff", "--community", "幸福"],
        input="a-long-password\n",
    )
    assert out.exit_code == 0, out.output
    user = app_session.exec(select(User).where(User.username == "zhang")).one()
    assert user.roles == "staff" and user.password_hash.startswith("pbkdf2")
    assert "a-long-password" not in user.password_hash


def test_create_user_refuses_short_password_and_unknown_community(app: Flask, app_session: Session) -> None:
    runner = app.test_cli_runner()
    out = runner.invoke(args=["create-user", "li", "--role", "staff"], input="short\n")
    assert out.exit_code != 0 and "密码至少" in out.output
    out = runner.invoke(
        args=["create-user", "li", "--role", "staff", "--community", "无此"], input="long-enough-1\n"
    )
    assert out.exit_code != 0 and "未知社区" in out.output
    assert app_session.exec(select(User)).all() == []


def test_ensure_admin_prints_the_password_once(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["ensure-admin"])
    assert first.exit_code == 0 and "初始密码" in first.output
    again = runner.invoke(args=["ensure-admin"])
    assert again.exit_code == 0 and again.output == ""


def test_demo_data_then_refuses_a_second_fill(app: Flask, app_session: Session) -> None:
    runner = app.test_cli_runner()
    out = runner.invoke(args=["demo-data", "--cases", "200", "--seed", "2"])
    assert out.exit_code == 0, out.output
    assert "200 件案件" in out.output
    assert "已定稿" in out.output  # the months that are over are kept for the report
    assert app_session.exec(select(func.count()).select_from(MonthSnapshot)).one() > 0
    assert runner.invoke(args=["demo-data", "--cases", "10"]).exit_code != 0
    skipped = runner.invoke(args=["demo-data", "--cases", "10", "--if-empty"])
    assert skipped.exit_code == 0 and "跳过" in skipped.output
    assert len(app_session.exec(select(Community)).all()) == 8
