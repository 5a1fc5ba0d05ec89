"""A breadth-first crawler over the site, as a newcomer clicking every link would go.

Shared by the page tests (tests/web/test_crawl.py) and the demo crawl (tests/e2e/test_crawl.py).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.test import Client

PER_PATTERN = 2  # pages of one shape (the same path with other ids) worth visiting
SKIP = re.compile(r"^/(admin|api|static|media)/|/logout/|\.(csv|json|xlsx|pdf|ics)$|[?&]format=|/export")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in ("href", "hx-get"):
            if tag in ("a", "link") and found.get(name):
                self.links.append(str(found[name]))


def pattern(url: str) -> str:
    """The shape of a URL: its path with every number as N."""
    return re.sub(r"\d+", "N", urlsplit(url).path)


def crawl(client: Client, seeds: Iterable[str], limit: int = 150) -> tuple[dict[str, int], dict[str, str]]:
    """Visit pages breadth-first; return ({url: status}, {linked url: the page that linked to it})."""
    seeds = list(dict.fromkeys(seeds))
    seen: dict[str, int] = {}
    linked_from: dict[str, str] = {}
    per_pattern: dict[str, int] = {}
    queue = deque(seeds)
    while queue and len(seen) < limit:
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
                or SKIP.search(parts.path + ("?" + parts.query if parts.query else ""))
            ):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in linked_from:
                continue
            linked_from[target] = url
            if target in seen or target in seeds:
                continue  # visited, or will be: its status is checked all the same
            if per_pattern.get(pattern(target), 0) >= PER_PATTERN:
                continue
            per_pattern[pattern(target)] = per_pattern.get(pattern(target), 0) + 1
            queue.append(target)
    return seen, linked_from
