"""The command line (``flask --app app ...``): thin wrappers around services."""

from flask import Flask


def register(app: Flask) -> None:
    from web.commands import admin, backup, demo

    app.cli.add_command(admin.create_user)
    app.cli.add_command(admin.create_community)
    app.cli.add_command(admin.ensure_admin)
    app.cli.add_command(backup.backup_command)
    app.cli.add_command(backup.restore_command)
    app.cli.add_command(demo.demo_data)
    from web.commands import stats

    app.cli.add_command(stats.stats)
    from web.commands import ledger

    app.cli.add_command(ledger.import_ledger)
    from web.commands import remind

    app.cli.add_command(remind.remind_command)
