"""Which scope an API token needs for each API operation. Deny by default: an operation not named here
cannot be reached with an API token at all (people's own tokens and sessions are not affected).

Lookup order: (basename, action) in ACTIONS, then basename in VIEWS, then the view's module in MODULES.
Each entry is (scope for reads, scope for writes); None means "not with an API token".
Authors of new API endpoints that integrations should reach: add them here (and to the docs).
"""

from __future__ import annotations

from typing import Any

from .models import Scope

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
NO_SCOPE = ""  # reachable with any token (the schema and its docs)

Rule = tuple[str | None, str | None]

VIEWS: dict[str, Rule] = {
    "micro-credential": (Scope.CATALOGUE_READ, Scope.MICROCREDENTIALS_WRITE),
    "version": (Scope.CATALOGUE_READ, Scope.MICROCREDENTIALS_WRITE),
    "offering": (Scope.CREDENTIALS_ISSUE, Scope.CREDENTIALS_ISSUE),
    "credential": (Scope.CREDENTIALS_ISSUE, Scope.CREDENTIALS_ISSUE),
    "import-job": (Scope.IMPORT, Scope.IMPORT),
    "import-mapping": (Scope.IMPORT, Scope.IMPORT),
}
# Governance decisions stay with people, whatever the token's scopes.
ACTIONS: dict[tuple[str, str], Rule] = {
    ("version", "approve"): (None, None),
    ("version", "publish"): (None, None),
    ("version", "retire"): (None, None),
    ("credential", "revoke"): (None, None),
    ("credential", "suspend"): (None, None),
    ("credential", "reinstate"): (None, None),
}
MODULES: dict[str, Rule] = {
    "credence.catalogue.": (Scope.CATALOGUE_READ, None),  # the public catalogue: reads only
    "credence.interop.": (Scope.CATALOGUE_READ, Scope.IMPORT),  # exports read, imports write
    "drf_spectacular.": (NO_SCOPE, None),
}


def required_scope(view: Any, method: str) -> str | None:
    """The scope a token needs to call `method` on `view`; NO_SCOPE for any token; None: never."""
    basename = getattr(view, "basename", None)
    action = getattr(view, "action", None)
    rule: Rule | None = None
    if basename is not None and action is not None:
        rule = ACTIONS.get((basename, action))
    if rule is None and basename is not None:
        rule = VIEWS.get(basename)
    if rule is None:
        module = type(view).__module__ + "."
        rule = next((r for prefix, r in MODULES.items() if module.startswith(prefix)), None)
    if rule is None:
        return None
    return rule[0] if method.upper() in READ_METHODS else rule[1]
