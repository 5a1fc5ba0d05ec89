"""Template tags of workflows: the count of open tasks shown beside the inbox link in the top bar."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def open_task_count(user: Any) -> int:
    from credence.workflows.selectors import open_tasks_for

    return open_tasks_for(user).count() if user is not None and user.is_authenticated else 0
