"""Helpers for the API tests: a client signed in as anyone, and a snapshot of what is stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from credence.audit.models import AuditEvent
from credence.microcredentials.models import (
    Assessment,
    LearningOutcome,
    MicroCredential,
    MicroCredentialVersion,
    Module,
    Partnership,
    Pathway,
)
from credence.organisations.models import Identifier, Location, Membership, Organisation, User

STORED = (
    Organisation,
    Location,
    Identifier,
    User,
    Membership,
    MicroCredential,
    Partnership,
    MicroCredentialVersion,
    LearningOutcome,
    Assessment,
    Module,
    Pathway,
    AuditEvent,
)


def client_for(user: User | None) -> APIClient:
    """An API client acting as `user` (anonymous for None)."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def as_user() -> Callable[[User | None], APIClient]:
    return client_for


def stored() -> dict[str, int]:
    """How many rows of each kind are stored: compare before and after a refused request."""
    return {model.__name__: model.objects.count() for model in STORED}


def errors_of(response: Any) -> dict[str, list[str]]:
    body = response.json()
    assert set(body) >= {"detail", "errors"}, body
    errors: dict[str, list[str]] = body["errors"]
    return errors
