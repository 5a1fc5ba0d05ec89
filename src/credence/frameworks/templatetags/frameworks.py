from __future__ import annotations

from typing import Any

from django import template

from credence.frameworks.web import readiness

register = template.Library()


@register.simple_tag(takes_context=True)
def readiness_for(context: template.Context, version: Any) -> dict[str, Any] | None:
    """The readiness panel's data, computed for whoever is viewing (None hides the panel)."""
    request = context.get("request")
    if request is None or version is None:
        return None
    return readiness(request.user, version)


@register.filter
def check_class(status: str) -> str:
    return {"pass": "status status--published", "fail": "status status--retired"}.get(
        status, "status status--superseded"
    )


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else None
