"""The comments part of the permission matrix: every comments API operation x every principal, on a
version of their own organisation and of another. Seeing comments needs seeing the subject's unpublished
work (members); writing needs `comments.add_comment`; resolving someone else's thread needs
`comments.resolve_any`; editing is for the author only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction

from credence.comments import services
from credence.comments.models import Comment
from credence.microcredentials.models import MicroCredentialVersion
from credence.organisations.authorization import REGISTERED
from credence.organisations.models import Role, User

from ..factories import make_organisation, make_platform_admin, make_user, make_version
from .conftest import client_for
from .matrix import OWNERS, PRINCIPALS, Endpoint, expected_status

pytestmark = pytest.mark.django_db

SUBJECT = "microcredentials.microcredentialversion"


@dataclass
class Holdings:
    version: MicroCredentialVersion
    thread: Comment  # open, by the organisation's own author
    resolved: Comment


@dataclass
class Scene:
    holdings: dict[str, Holdings]
    users: dict[str, User] = field(default_factory=dict)


def _holdings(tag: str) -> Holdings:
    organisation = make_organisation(f"{tag} Comment University")
    author = make_user(organisation, ["reviewer"], username=f"cm_author_{tag}")
    version = make_version(organisation, code=f"{tag}-CM")
    thread = services.add_comment(actor=author, subject=version, body="Check the credits.")
    resolved = services.add_comment(actor=author, subject=version, body="Title fixed?")
    services.resolve(actor=author, comment=resolved)
    return Holdings(version=version, thread=thread, resolved=resolved)


@pytest.fixture(scope="module")
def scene(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Scene]:
    with django_db_blocker.unblock(), transaction.atomic():
        built = Scene(holdings={"own": _holdings("OWN"), "other": _holdings("OTH")})
        own = built.holdings["own"].version.micro_credential.organisation
        for role in Role:
            built.users[role.value] = make_user(own, [role.value], username=f"cmmatrix_{role.value}")
        built.users["nobody"] = make_user(None, username="cmmatrix_nobody")
        built.users["platform_admin"] = make_platform_admin("cmmatrix_admin")
        yield built
        transaction.set_rollback(True)


@dataclass(frozen=True)
class CommentEndpoint(Endpoint):
    author_only: bool = False  # only the comment's author may do it: everyone else who sees it gets 403


SEES = "microcredentials.view_unpublished"

ENDPOINTS = [
    CommentEndpoint(
        "GET /api/comments/",
        lambda h: f"/api/comments/?subject_type={SUBJECT}&subject_id={h.version.pk}",
        sees=SEES, signed_in=True,
    ),
    CommentEndpoint(
        "GET /api/comments/{id}/", lambda h: f"/api/comments/{h.thread.pk}/", sees=SEES, signed_in=True
    ),
    CommentEndpoint(
        "POST /api/comments/",
        lambda h: "/api/comments/",
        lambda h: {"subject_type": SUBJECT, "subject_id": h.version.pk, "anchor": "title", "body": "Shorter?"},
        sees=SEES, needs="comments.add_comment", success=201,
    ),
    CommentEndpoint(
        "POST /api/comments/{id}/reply/",
        lambda h: f"/api/comments/{h.thread.pk}/reply/",
        lambda h: {"body": "Done."},
        sees=SEES, needs="comments.add_comment", success=201,
    ),
    CommentEndpoint(
        "PATCH /api/comments/{id}/",
        lambda h: f"/api/comments/{h.thread.pk}/",
        lambda h: {"body": "Edited."},
        sees=SEES, author_only=True,
    ),
    CommentEndpoint(
        "POST /api/comments/{id}/resolve/",
        lambda h: f"/api/comments/{h.thread.pk}/resolve/",
        lambda h: {},
        sees=SEES, needs="comments.resolve_any",
    ),
    CommentEndpoint(
        "POST /api/comments/{id}/reopen/",
        lambda h: f"/api/comments/{h.resolved.pk}/reopen/",
        lambda h: {},
        sees=SEES, needs="comments.resolve_any",
    ),
]


@pytest.mark.parametrize("owner", OWNERS)
@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.id)
def test_comments_permission_matrix(scene: Scene, endpoint: CommentEndpoint, principal: str, owner: str):
    holdings = scene.holdings[owner]
    user = None if principal == "anonymous" else User.objects.get(pk=scene.users[principal].pk)
    client = client_for(user)
    body = endpoint.body(holdings) if endpoint.body else None
    send = getattr(client, endpoint.method.lower())
    response = send(endpoint.url(holdings), body, format="json") if body is not None else send(endpoint.url(holdings))

    want = expected_status(endpoint, principal, owner)
    if endpoint.author_only and want == endpoint.success:
        want = 403
    assert response.status_code == want, (
        f"{principal} -> {endpoint.id} on the {owner} organisation's comment: "
        f"{response.status_code}, expected {want}: {getattr(response, 'data', None)}"
    )


def test_the_author_may_edit_their_comment(scene: Scene):
    thread = scene.holdings["own"].thread
    response = client_for(thread.author).patch(f"/api/comments/{thread.pk}/", {"body": "Edited."}, format="json")

    assert response.status_code == 200
    assert response.json()["body"] == "Edited."


def test_listing_without_a_subject_is_refused_with_a_reason(scene: Scene):
    response = client_for(scene.users["reviewer"]).get("/api/comments/")

    assert response.status_code == 400
    assert "Give subject_type and subject_id" in str(response.json())


def test_the_table_uses_every_comments_permission():
    used = {endpoint.needs for endpoint in ENDPOINTS} | {endpoint.sees for endpoint in ENDPOINTS}
    assert {p for p in REGISTERED if p.startswith("comments.")} - used == set()
