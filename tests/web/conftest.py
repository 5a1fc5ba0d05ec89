"""Fixtures for the page tests: a signed-in client per person, and micro-credentials in each state."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from credence.microcredentials.models import MicroCredentialVersion

from ..conftest import World
from ..factories import make_version


@pytest.fixture
def client_for() -> Callable[[Any], Client]:
    """`client_for(user)`: a test client signed in as `user` (None: anonymous)."""

    def make(user: Any) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def draft(world: World) -> MicroCredentialVersion:
    """A complete draft of `home`, started by its proposer."""
    version = make_version(world.home, code="DRAFT-1", title="Draft data analysis")
    MicroCredentialVersion.objects.filter(pk=version.pk).update(created_by=world.user("proposer"))
    version.refresh_from_db()
    return version


@pytest.fixture
def published(world: World) -> MicroCredentialVersion:
    return make_version(world.home, status="published", code="PUB-1", title="Published statistics")


def editor_data(version: MicroCredentialVersion, **changes: Any) -> dict[str, Any]:
    """The editor's main form as a browser would post it, with `changes` applied."""
    from credence.microcredentials.forms import VersionForm

    data: dict[str, Any] = {}
    for name, value in {**VersionForm.initial_for(version), **changes}.items():
        if value is None or value is False:
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, list):
            data[name] = [str(v) for v in value]
        else:
            data[name] = str(value)
    return data
