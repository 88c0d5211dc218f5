"""The base of every form of the site: Flask-WTF's form with WTForms' own messages read once per locale."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm

from web.i18n import wtforms_catalog


class SiteForm(FlaskForm):
    """``FlaskForm`` (CSRF, request data) whose built-in messages come from a catalog kept per locale."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form: Any) -> Any:
            return wtforms_catalog()
