"""Every blueprint of the site, registered in one place."""

from flask import Flask


def register(app: Flask) -> None:
    from web import auth, cases

    app.register_blueprint(auth.bp)
    app.register_blueprint(cases.bp)
    from web import stats

    app.register_blueprint(stats.bp)
    from web import admin, workflow_page

    app.register_blueprint(admin.bp)
    app.register_blueprint(workflow_page.bp)
    from web import ledger

    app.register_blueprint(ledger.bp)

    from web import desk

    app.register_blueprint(desk.bp)
    app.add_url_rule("/", endpoint="index", view_func=desk.home)  # 工作台: the home page after login

    # Browsers ask for /favicon.ico where a page has no <link rel="icon"> (a download, an error page):
    # a second URL of the public static endpoint.
    app.add_url_rule("/favicon.ico", endpoint="static", defaults={"filename": "favicon.ico"})
