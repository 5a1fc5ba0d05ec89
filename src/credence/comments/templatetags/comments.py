"""`{% load comments %}{% comments_panel subject %}`: the threads on any registered subject, with forms."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("comments/panel.html", takes_context=True)
def comments_panel(context: Any, subject: Any) -> dict[str, Any]:
    from credence.comments.views import panel_context

    request = context.get("request")
    return panel_context(request, subject)
