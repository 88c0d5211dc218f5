"""The base of every form of the site: Flask-WTF's form with WTForms' own messages read once per locale,
and WTForms' attribute writer replaced by one that writes the same HTML faster."""

from __future__ import annotations

from typing import Any

import wtforms.widgets
import wtforms.widgets.core
from flask_wtf import FlaskForm
from markupsafe import Markup, escape

from web.catalog import wtforms_catalog

_LIBRARY_HTML_PARAMS = wtforms.widgets.core.html_params


def html_params(**kwargs: Any) -> Markup:
    """WTForms' ``html_params``, the same output: attributes sorted by name, ``class_`` → ``class``,
    ``data_x_y`` → ``data-x-y``, True as a bare attribute, False left out, names and values escaped.

    WTForms writes each attribute through ``Markup.format`` (Python's ``string.Formatter``, some 8 µs an
    attribute); a case page writes about 150 (its step forms and the upload form)."""
    params = []
    for key, value in sorted(kwargs.items()):
        key = wtforms.widgets.core.clean_key(key)
        if value is True:
            params.append(str(escape(key)))
        elif value is not False:
            params.append(f'{escape(key)}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(params))


# The widgets write their attributes through the module's name, inputs and buttons through their class's,
# a field's label through the package's.
wtforms.widgets.core.html_params = html_params
wtforms.widgets.core.Input.html_params = staticmethod(html_params)
wtforms.widgets.core.Button.html_params = staticmethod(html_params)
wtforms.widgets.html_params = html_params


class SiteForm(FlaskForm):
    """``FlaskForm`` (CSRF, request data) whose built-in messages come from a catalog kept per locale."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form: Any) -> Any:
            return wtforms_catalog()
