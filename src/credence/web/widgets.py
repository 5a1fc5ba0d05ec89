"""Widgets for long lists of choices (languages, ISCED fields, currencies).

Django renders every <option> through a template; for lists of a few hundred codes that is most of
a page's time. These render the same markup directly, with every label and value escaped.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


class _QuickOptions:
    allow_multiple_selected = False

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)  # type: ignore[attr-defined]
        final["name"] = name
        if self.allow_multiple_selected:
            final["multiple"] = True
        chosen = {str(v) for v in self.format_value(value)}  # type: ignore[attr-defined]
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            (
                (str(key), SafeString(" selected") if str(key) in chosen else "", label)
                for key, label in self.choices  # type: ignore[attr-defined]
            ),
        )
        return format_html("<select{}>\n{}\n</select>", flatatt(final), options)


class QuickSelect(_QuickOptions, forms.Select):
    pass


class QuickSelectMultiple(_QuickOptions, forms.SelectMultiple):
    allow_multiple_selected = True
