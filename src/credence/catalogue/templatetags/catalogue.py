from __future__ import annotations

from typing import Any

from django import template

from ..facets import BY_PARAM

register = template.Library()


@register.filter
def facet_label(value: Any, param: str) -> str:
    """The label a facet gives a stored value (`{{ hit.qa_status|facet_label:"qa" }}`)."""
    if value is None or value == "":
        return ""
    facet = BY_PARAM[param]
    if facet.kind == "bool":
        value = "yes" if value else "no"
    return facet.label(str(value))


@register.filter
def qa_class(value: str) -> str:
    return "qa-badge--" + str(value).replace(" ", "-")


@register.filter
def amount(value: Any) -> str:
    if value is None:
        return ""
    text = f"{value:,.2f}"
    return text[:-3] if text.endswith(".00") else text
