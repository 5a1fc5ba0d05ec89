"""The integrations API: each (prefix, viewset, basename) in ROUTES is registered by credence.api_urls."""

from __future__ import annotations

from typing import Any

ROUTES: list[tuple[str, Any, str]] = []
