"""A generation number for the catalogue: every change bumps it, so cached API answers go stale at once
in this process and within `API_CACHE_SECONDS` in the others."""

from __future__ import annotations

from django.core.cache import cache

KEY = "catalogue:generation"
API_CACHE_SECONDS = 60


def generation() -> int:
    value = cache.get(KEY)
    if value is None:
        cache.add(KEY, 1, None)
        value = cache.get(KEY, 1)
    return int(value)


def bump() -> None:
    try:
        cache.incr(KEY)
    except ValueError:
        cache.set(KEY, 2, None)
