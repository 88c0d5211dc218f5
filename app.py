"""The application factory: create_app() and the steps it takes."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_openapi3 import OpenAPI

import config


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then instance config, then the test mapping.

    A Flask app that also describes its JSON API (flask_openapi3.OpenAPI; see the api package).
    """
    from api import openapi_options

    app = OpenAPI(
        __name__, instance_path=str(config.INSTANCE), instance_relative_config=True, **openapi_options()
    )
    app.config.from_mapping(config.defaults())
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    register_database(app)
    register_extensions(app)
    register_blueprints(app)
    register_api(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_database(app: Flask) -> None:
    from web import database

    database.init_app(app)


def register_extensions(app: Flask) -> None:
    from web import extensions

    extensions.init_app(app)


def register_blueprints(app: Flask) -> None:
    from web import blueprints

    blueprints.register(app)


def register_api(app: Flask) -> None:
    import api

    api.register(app)


def register_errorhandlers(app: Flask) -> None:
    from web import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    from web.commands import register

    register(app)
