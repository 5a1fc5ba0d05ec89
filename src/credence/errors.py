"""The errors services raise; the API and the web pages turn them into 400/403/404/409 answers.

Validation errors are Django's `ValidationError` with a dict keyed by field path
(`learning_outcomes[2].text`), so a form, a JSON body or an import row can all point at the culprit.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

__all__ = ["Http404", "NotVisible", "PermissionDenied", "StaleWrite", "ValidationError"]


class NotVisible(Http404):
    """The object exists but the user may not know that: answer exactly as for a missing object."""


class StaleWrite(Exception):
    """The object changed since the writer read it (its lock version moved)."""

    def __init__(self, current: Any, expected: int, actual: int) -> None:
        super().__init__(
            f"This record was changed by someone else (you edited revision {expected}, "
            f"it is now at revision {actual}). Reload it and apply your changes again."
        )
        self.current = current
        self.expected = expected
        self.actual = actual
