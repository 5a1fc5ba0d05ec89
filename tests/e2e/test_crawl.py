"""Crawl the demo as a newcomer would: every page reachable from home, as every demo user.

Over HTTP (Django's test client, fast) for every user: no server error and no link to a missing page.
In Chromium with axe-core for a few users: no serious or critical accessibility violation on any kind
of page.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from credence.demo.people import DEMO_PASSWORD, LEARNERS, PEOPLE, PLATFORM_ADMIN
from tests.crawling import crawl, pattern

AXE = (Path(__file__).resolve().parent / "vendor" / "axe.min.js").read_text()
USERS = [None, PLATFORM_ADMIN[0], *[p[0] for p in PEOPLE], *[learner[0] for learner in LEARNERS]]


@pytest.fixture
def demo(db):
    call_command("load_demo")


@pytest.mark.parametrize("username", USERS, ids=lambda u: u or "anonymous")
def test_every_page_answers_and_no_link_is_broken(demo, username):
    client = Client()
    if username:
        assert client.login(username=username, password=DEMO_PASSWORD)
    results, _ = crawl(client, ["/"])
    assert len(results) > (3 if username else 1), results
    errors = {url: status for url, status in results.items() if status >= 500}
    broken = {url: status for url, status in results.items() if status == 404}
    assert not errors, f"server errors as {username}: {errors}"
    assert not broken, f"links to missing pages as {username}: {broken}"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("username", [None, "priya", "quinn"], ids=lambda u: u or "anonymous")
def test_no_serious_accessibility_violations(live_server, username):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    call_command("load_demo")
    client = Client()
    if username:
        client.login(username=username, password=DEMO_PASSWORD)
    pages = [url for url, status in crawl(client, ["/"], limit=60)[0].items() if status == 200]
    one_per_pattern = list({pattern(url): url for url in pages}.values())
    violations: dict[str, list[str]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context()
        page = context.new_page()
        if username:
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", DEMO_PASSWORD)
            page.click("form [type=submit]")
            page.wait_for_load_state()
        for url in one_per_pattern:
            page.goto(f"{live_server.url}{url}")
            page.evaluate(AXE)
            result = page.evaluate(
                "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                ".map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ')')"
            )
            if result:
                violations[url] = result
        browser.close()
    assert len(one_per_pattern) >= 3
    assert not violations, violations
