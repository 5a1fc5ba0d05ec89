"""The documentation stays in step with the code it describes."""

from __future__ import annotations

from pathlib import Path

from credence.organisations.authorization import REGISTERED
from credence.organisations.models import Role

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_every_permission_and_role_is_documented():
    text = (DOCS / "permissions.md").read_text()
    missing = [p for p in REGISTERED if f"`{p}`" not in text]
    assert not missing, f"docs/permissions.md does not mention {missing}"
    assert all(f"`{role.value}`" in text for role in Role)
