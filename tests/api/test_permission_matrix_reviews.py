"""The permission matrix for the frameworks and reviews APIs: packs, check runs, reviews, judgements.

Expectations come from the registered permission tables, as in test_permission_matrix.py. Judging and
submitting a review are for the assigned reviewer alone (here the `reviewer` of the owning
organisation): everyone else who can see the review gets 403, everyone else 404.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction

from credence.frameworks import services as fw_services
from credence.microcredentials.models import MicroCredentialVersion
from credence.organisations.models import Organisation, Role, User
from credence.reviews import services as review_services
from credence.reviews.models import CheckRun, Review

from ..factories import make_organisation, make_platform_admin, make_user, make_version
from .conftest import client_for
from .matrix import OWNERS, PRINCIPALS, Endpoint, call, expected_status

pytestmark = pytest.mark.django_db

PACK = """\
id: uploaded-{tag}
title: Uploaded
version: "1"
source: {{citation: Our handbook.}}
areas:
  - id: a
    title: A
    criteria:
      - {{id: a.1, title: One, requirement: Something., level: advisory}}
"""


@dataclass
class Holdings:
    organisation: Organisation
    draft: MicroCredentialVersion
    review: Review
    check_run: CheckRun


@dataclass
class Scene:
    holdings: dict[str, Holdings]
    users: dict[str, User] = field(default_factory=dict)


def _holdings(organisation: Organisation, reviewer: User, tag: str) -> Holdings:
    fw_services.enable_pack(actor=None, organisation=organisation, pack_id="esg-2015-part1")
    draft = make_version(organisation, code=f"{tag}-DRAFT")
    review = review_services.open_review(actor=None, version=draft, reviewer=reviewer)
    review_services.record_judgement(
        actor=None, review=review, pack_id="esg-2015-part1", criterion_id="esg.1.7", verdict="met"
    )
    return Holdings(organisation, draft, review, CheckRun.objects.get(version=draft))


@pytest.fixture(scope="module")
def scene(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Scene]:
    with django_db_blocker.unblock(), transaction.atomic():
        own, other = make_organisation("Own University"), make_organisation("Other University")
        users = {role.value: make_user(own, [role.value], username=f"rmatrix_{role.value}") for role in Role}
        users["nobody"] = make_user(None, username="rmatrix_nobody")
        users["platform_admin"] = make_platform_admin("rmatrix_admin")
        other_reviewer = make_user(other, ["reviewer"], username="rmatrix_other_reviewer")
        built = Scene(
            holdings={
                "own": _holdings(own, users["reviewer"], "OWN"),
                "other": _holdings(other, other_reviewer, "OTH"),
            },
            users=users,
        )
        yield built
        transaction.set_rollback(True)


UNPUBLISHED = "microcredentials.view_unpublished"
VIEW_REVIEWS = "reviews.view_reviews"

ENDPOINTS = [
    Endpoint("GET /api/packs/", lambda h: "/api/packs/"),
    Endpoint("GET /api/packs/{id}/", lambda h: "/api/packs/eu-council-2022/"),
    Endpoint(
        "POST /api/packs/",
        lambda h: "/api/packs/",
        lambda h: {"organisation": h.organisation.pk, "yaml": PACK.format(tag=h.organisation.pk)},
        needs="frameworks.manage_packs",
        success=201,
    ),
    Endpoint(
        "POST /api/packs/{id}/enable/",
        lambda h: "/api/packs/nzqa-2022/enable/",
        lambda h: {"organisation": h.organisation.pk},
        needs="frameworks.manage_packs",
    ),
    Endpoint(
        "POST /api/packs/{id}/disable/",
        lambda h: "/api/packs/esg-2015-part1/disable/",
        lambda h: {"organisation": h.organisation.pk},
        needs="frameworks.manage_packs",
    ),
    Endpoint("GET /api/check-runs/", lambda h: f"/api/check-runs/?version={h.draft.pk}"),
    Endpoint("GET /api/check-runs/{id}/", lambda h: f"/api/check-runs/{h.check_run.pk}/", sees=UNPUBLISHED),
    Endpoint(
        "POST /api/check-runs/",
        lambda h: "/api/check-runs/",
        lambda h: {"version": h.draft.pk, "packs": ["eu-council-2022"]},
        sees=UNPUBLISHED,
        needs="frameworks.run_checks",
        success=201,
    ),
    Endpoint("GET /api/reviews/", lambda h: "/api/reviews/", signed_in=True),
    Endpoint(
        "GET /api/reviews/{id}/", lambda h: f"/api/reviews/{h.review.pk}/", signed_in=True, sees=VIEW_REVIEWS
    ),
    Endpoint(
        "POST /api/reviews/",
        lambda h: "/api/reviews/",
        lambda h: {
            "version": h.draft.pk,
            "reviewer": h.review.reviewer_id,
            "packs": ["esg-2015-part1"],
            "reviewer_kind": "peer",
        },
        sees=UNPUBLISHED,
        needs="reviews.open_review",
        success=201,
    ),
    Endpoint(
        "GET /api/reviews/{id}/judgements/",
        lambda h: f"/api/reviews/{h.review.pk}/judgements/",
        signed_in=True,
        sees=VIEW_REVIEWS,
    ),
    Endpoint(
        "POST /api/reviews/{id}/judgements/",
        lambda h: f"/api/reviews/{h.review.pk}/judgements/",
        lambda h: {
            "pack_id": "esg-2015-part1",
            "criterion_id": "esg.1.8",
            "verdict": "met",
            "evidence_links": ["https://example.org/page"],
        },
        sees=VIEW_REVIEWS,
        label="POST /api/reviews/{id}/judgements/ (assigned reviewer only)",
    ),
    Endpoint(
        "POST /api/reviews/{id}/submit/",
        lambda h: f"/api/reviews/{h.review.pk}/submit/",
        lambda h: {"recommendation": "approve", "summary": "Fine."},
        sees=VIEW_REVIEWS,
        label="POST /api/reviews/{id}/submit/ (assigned reviewer only)",
    ),
]
ASSIGNED_ONLY = {e.id for e in ENDPOINTS if "assigned reviewer only" in e.id}


def expected(endpoint: Endpoint, principal: str, owner: str) -> int:
    want = expected_status(endpoint, principal, owner)
    if (
        endpoint.id in ASSIGNED_ONLY
        and want == endpoint.success
        and not (principal == "reviewer" and owner == "own")
    ):
        return 403
    return want


@pytest.mark.parametrize("owner", OWNERS)
@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.id)
def test_permission_matrix(scene: Scene, endpoint: Endpoint, principal: str, owner: str):
    holdings = scene.holdings[owner]
    user = None if principal == "anonymous" else User.objects.get(pk=scene.users[principal].pk)
    client = client_for(user)
    body = endpoint.body(holdings) if endpoint.body else None

    with transaction.atomic():
        response = call(client, endpoint.method, endpoint.url(holdings), body)
        transaction.set_rollback(True)

    want = expected(endpoint, principal, owner)
    assert response.status_code == want, (
        f"{principal} -> {endpoint.id} on the {owner} organisation's object: "
        f"{response.status_code}, expected {want}: {getattr(response, 'data', None)}"
    )
