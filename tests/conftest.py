"""Shared fixtures: like Healthchecks' base test case, every test can ask 'can the outsider see this?'

`world` holds two universities. `home` has one user per role; `other` has its own proposer and
QA officer (the outsiders). Plus a platform admin and a signed-in user with no membership.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from credence.organisations.models import Organisation, Role, User

# The real Redis broker with a Celery worker thread, one Redis database per xdist worker.
from .celery_broker import real_broker  # noqa: F401
from .factories import make_organisation, make_platform_admin, make_user


def pytest_configure(config: Any) -> None:
    from django.conf import settings

    # Hashing passwords properly is slow by design; tests need speed, not secrecy.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    """Throttles and caches start empty in every test, so no test depends on the one before."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@dataclass
class World:
    home: Organisation
    other: Organisation
    users: dict[str, User] = field(default_factory=dict)  # role -> user in `home`
    outsider: User | None = None  # proposer in `other`
    outsider_qa: User | None = None
    admin: User | None = None
    nobody: User | None = None  # signed in, no membership

    def user(self, role: str) -> User:
        return self.users[role]


@pytest.fixture
def world(db: Any) -> World:
    home = make_organisation("University of Home", acronym="UoH")
    other = make_organisation("Other University", acronym="OU")
    w = World(home=home, other=other)
    for role in Role:
        w.users[role.value] = make_user(home, [role.value], username=f"home_{role.value}")
    w.outsider = make_user(other, ["proposer"], username="other_proposer")
    w.outsider_qa = make_user(other, ["qa_officer", "org_admin"], username="other_qa")
    w.admin = make_platform_admin()
    w.nobody = make_user(None, username="nobody")
    return w
