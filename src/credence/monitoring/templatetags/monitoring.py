from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

register = template.Library()


@register.filter
def dictget(mapping: Mapping[str, Any] | None, key: str) -> Any:
    return mapping.get(key) if mapping else None
