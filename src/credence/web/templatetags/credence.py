"""Template helpers shared by every page: accessible form fields, values in words, redlines."""

from __future__ import annotations

import json
from typing import Any

from django import forms, template
from django.forms import BoundField
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from credence.microcredentials import diff
from credence.microcredentials.elements import display_part_value, display_value

register = template.Library()


@register.inclusion_tag("includes/field.html")
def field(bound: BoundField, hide_label: bool = False) -> dict[str, Any]:
    """A form field with its label, hint and errors tied to the input (aria-describedby, aria-invalid)."""
    widget = bound.field.widget
    wide = (
        isinstance(widget, forms.Textarea | forms.SelectMultiple)
        or (getattr(bound.field, "max_length", 0) or 0) > 100
    )
    return {
        "field": bound,
        "is_checkbox": isinstance(widget, forms.CheckboxInput),
        "is_group": bound.use_fieldset,
        "hide_label": hide_label,
        "wide": wide,
    }


@register.simple_tag
def redline(old: Any, new: Any) -> SafeString:
    """Word-level <del>/<ins> of two texts; `diff.redline` escapes every piece of text."""
    if old in (None, ""):
        return format_html("<ins>{}</ins>", new) if new not in (None, "") else mark_safe("")
    if new in (None, ""):
        return format_html("<del>{}</del>", old)
    return mark_safe(diff.redline(old, new))  # noqa: S308 - redline escapes its input


@register.filter
def element_value(value: Any, name: str) -> str:
    """`{{ value|element_value:"eqf_level" }}`: a descriptive element's value in words."""
    return display_value(name, value)


@register.filter
def number(value: Any) -> str:
    """A decimal without trailing zeros: 60.00 -> 60, 2.50 -> 2.5."""
    return "" if value is None else display_part_value("hours", value)


@register.filter
def outcome_numbers(numbers: Any) -> str:
    return ", ".join(f"LO{n}" for n in numbers or []) or "none"


@register.filter
def plain(value: Any) -> str:
    """A value from the audit log or a diff as readable text."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict | list):
        return json.dumps(value, indent=1, ensure_ascii=False)
    return str(value)


@register.filter
def is_structured(value: Any) -> bool:
    return isinstance(value, dict) or (
        isinstance(value, list) and any(isinstance(v, dict | list) for v in value)
    )


@register.filter
def is_text_pair(pair: Any) -> bool:
    """True for [old, new] where both are text (or missing) and at least one is text: show as a redline."""
    if not isinstance(pair, list | tuple) or len(pair) != 2:
        return False
    return all(v is None or isinstance(v, str) for v in pair) and any(isinstance(v, str) for v in pair)


@register.filter
def is_text_pair_value(value: Any) -> bool:
    return value is None or isinstance(value, str)


@register.filter
def status_class(status: str) -> str:
    return f"status status--{str(status).replace('_', '-')}"


@register.filter
def list_changes(pair: Any) -> list[dict[str, Any]]:
    """[old list, new list] of parts (dicts) as item-by-item changes: what was added, removed or changed."""
    old, new = (list(pair[0] or []), list(pair[1] or [])) if isinstance(pair, list | tuple) else ([], [])
    rows: list[dict[str, Any]] = []
    for index in range(max(len(old), len(new))):
        before = old[index] if index < len(old) else None
        after = new[index] if index < len(new) else None
        if before == after:
            continue
        if not isinstance(before, dict) or not isinstance(after, dict):
            item = after if before is None else before
            fields = item.items() if isinstance(item, dict) else [("value", item)]
            rows.append(
                {
                    "number": index + 1,
                    "change": "added" if before is None else "removed",
                    "fields": [(k, plain(v)) for k, v in fields if v not in (None, "", [])],
                }
            )
            continue
        changed = [
            (key, before.get(key), after.get(key))
            for key in dict.fromkeys([*before, *after])
            if before.get(key) != after.get(key)
        ]
        rows.append({"number": index + 1, "change": "changed", "fields": changed})
    return rows
