"""Every page a person can reach answers, and no link points at a missing page.

For each person of the `world` fixture and an anonymous visitor, start from the home page, the list,
and the detail, editor, changes and audit pages, and follow the links breadth-first.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from credence.microcredentials import services
from tests.factories import make_version

PER_PATTERN = 2
LIMIT = 80
SKIP = re.compile(r"^/(admin|api|static|media)/|/logout/|\.csv$")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in ("href", "hx-get"):
            if tag in ("a", "link") and found.get(name):
                self.links.append(str(found[name]))


def _pattern(url: str) -> str:
    return re.sub(r"\d+", "N", urlsplit(url).path)


def crawl(client: Client, seeds: list[str]) -> tuple[dict[str, int], dict[str, str]]:
    """Visit pages breadth-first; return ({url: status}, {linked url: the page that linked to it})."""
    seen: dict[str, int] = {}
    linked_from: dict[str, str] = {}
    per_pattern: dict[str, int] = {}
    queue = deque(seeds)
    while queue and len(seen) < LIMIT:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        for href in parser.links:
            parts = urlsplit(urljoin(url, href))
            if (
                parts.scheme not in ("", "http")
                or parts.netloc not in ("", "testserver")
                or SKIP.search(parts.path)
            ):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in linked_from:
                continue
            linked_from[target] = url
            if target in seen or target in seeds:
                continue  # visited, or will be: its status is checked all the same
            if per_pattern.get(_pattern(target), 0) >= PER_PATTERN:
                continue
            per_pattern[_pattern(target)] = per_pattern.get(_pattern(target), 0) + 1
            queue.append(target)
    return seen, linked_from


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
    results, linked_from = crawl(client, landscape)
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
