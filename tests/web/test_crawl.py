"""Every page a person can reach answers, and no link points at a missing page.

For each person of the `world` fixture and an anonymous visitor, start from the home page, the list,
and the detail, editor, changes and audit pages, and follow the links breadth-first.
"""

from __future__ import annotations

import pytest
from django.test import Client

from credence.microcredentials import services
from tests.crawling import crawl
from tests.factories import make_version

LIMIT = 80


@pytest.fixture
def landscape(world):
    """Micro-credentials in every state, in both organisations."""
    published = make_version(world.home, status="published", code="PUB")
    draft2 = services.start_new_version(
        actor=world.user("proposer"), micro_credential=published.micro_credential
    )
    services.update_draft(
        actor=world.user("proposer"), version=draft2, data={"summary": "New."}, lock_version=None
    )
    versions = [
        make_version(world.home, code="DRAFT"),
        make_version(world.home, status="in_review", code="REV"),
        make_version(world.home, status="approved", code="APP"),
        make_version(world.home, status="retired", code="OLD"),
        make_version(world.other, code="OTHER-DRAFT"),
        make_version(world.other, status="published", code="OTHER-PUB"),
        published,
        draft2,
    ]
    seeds = ["/", "/micro-credentials/", "/audit/"]
    for version in versions:
        mc = version.micro_credential_id
        seeds += [f"/micro-credentials/{mc}/", f"/micro-credentials/{mc}/changes/"]
        if version.is_draft:
            seeds.append(f"/versions/{version.pk}/edit/")
    return list(dict.fromkeys(seeds))


PEOPLE = [
    "anonymous",
    "proposer",
    "reviewer",
    "qa_officer",
    "committee_secretary",
    "committee_member",
    "approver",
    "org_admin",
    "outsider",
    "outsider_qa",
    "admin",
    "nobody",
]


@pytest.mark.parametrize("who", PEOPLE)
def test_no_page_fails_and_no_link_is_broken(world, landscape, who):
    user = None if who == "anonymous" else getattr(world, who, None) or world.user(who)
    client = Client()
    if user is not None:
        client.force_login(user)
    results, linked_from = crawl(client, landscape, limit=LIMIT)
    print(who, len(results), "pages")
    assert len(results) > 5
    errors = {url: status for url, status in results.items() if status >= 500}
    assert not errors, f"server errors as {who}: {errors}"
    broken = {
        url: linked_from[url] for url, status in results.items() if status == 404 and url in linked_from
    }
    assert not broken, f"links to missing pages as {who} (page: linked from): {broken}"
    reached = {url for url, status in results.items() if status == 200}
    assert "/" in reached and "/micro-credentials/" in reached
