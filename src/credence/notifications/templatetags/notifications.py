from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def unread_notifications(user: Any) -> int:
    """How many unread notifications the signed-in person has (0 for the public)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    from credence.notifications.selectors import unread_count

    return unread_count(user)
