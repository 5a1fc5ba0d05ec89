"""The issuance REST API. ROUTES are registered on the project's router in credence/api_urls.py."""

from __future__ import annotations

from typing import Any

# (prefix, viewset, basename)
ROUTES: list[tuple[str, Any, str]] = []
