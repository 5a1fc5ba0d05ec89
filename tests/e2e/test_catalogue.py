"""The public catalogue in Chromium, signed out, keyboard only where it matters: search with facets
(htmx swaps the results in and the address stays shareable), open a page with QA and outcome panels
and one where QA is not recorded, compare two; axe-core finds no serious or critical violation."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command

from credence.demo.people import DEMO_PASSWORD

from .conftest import CHROMIUM, CHROMIUM_ARGS
from .test_crawl import AXE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _violations(page) -> list[str]:
    page.evaluate(AXE)
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ')')"
    )


@pytest.fixture
def browser_page(live_server):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    call_command("load_demo")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            browser.close()


def test_search_with_facets_open_pages_and_compare(live_server, browser_page):
    page = browser_page
    base = live_server.url
    violations: dict[str, list[str]] = {}

    page.goto(f"{base}/catalogue/")
    assert page.locator(".catalogue-hit").count() >= 4
    violations["search"] = _violations(page)

    # Keyboard only: type a search and press Enter; htmx swaps in the results and pushes the address.
    page.locator("#catalogue-q").focus()
    page.keyboard.type("security")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=security**")
    titles = page.locator(".catalogue-hit h3").all_inner_texts()
    assert "Cyber Security Fundamentals for Small Businesses" in titles
    assert "Green Hydrogen Systems" not in titles

    # A facet: online self-paced, ticked with the space bar, applied with the button.
    box = page.get_by_label("Online, self-paced", exact=False).first
    box.focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**form=online**")
    titles = page.locator(".catalogue-hit h3").all_inner_texts()
    assert titles == ["Cyber Security Fundamentals for Small Businesses"]
    assert "1–1 of 1" in page.locator(".list-summary").inner_text()
    violations["search-filtered"] = _violations(page)

    # The shared address gives the same result without JavaScript's help.
    shared = page.url
    page.goto(shared)
    assert page.locator(".catalogue-hit h3").all_inner_texts() == titles

    # Open it: the QA panel (peer review per area, external reports) and the outcomes panel.
    page.get_by_role("link", name="Cyber Security Fundamentals for Small Businesses").click()
    page.wait_for_url("**/catalogue/northbridge/NB-CYB201/")
    qa = page.locator("section", has=page.locator("#qa-title"))
    assert "Peer reviewer" in qa.inner_text()
    assert "Annex I: mandatory elements" in qa.inner_text()
    assert "Agency for Quality in Tertiary Education" in qa.inner_text()
    outcomes = page.locator("section", has=page.locator("#outcomes-title")).inner_text()
    assert "Completion rate" in outcomes and "69%" in outcomes
    assert page.locator("svg.stack-graph, #careers-title").count() >= 1
    violations["detail"] = _violations(page)

    # One where quality assurance is not recorded says so plainly.
    page.goto(f"{base}/catalogue/lakeshore-college/LC-EVS-01/")
    qa = page.locator("section", has=page.locator("#qa-title")).inner_text()
    assert "No review of this version is recorded." in qa
    assert "No external QA report on this micro-credential or its provider is recorded." in qa
    violations["detail-not-recorded"] = _violations(page)

    # Compare two.
    page.goto(f"{base}/catalogue/?sort=title")
    page.get_by_label("Compare Cyber Security Fundamentals for Small Businesses").check()
    page.get_by_label("Compare Green Hydrogen Systems").check()
    page.get_by_role("button", name="compare them side by side").click()
    page.wait_for_url("**/catalogue/compare/**")
    table = page.locator("table.compare-table").inner_text()
    assert "Cyber Security Fundamentals for Small Businesses" in table and "Green Hydrogen Systems" in table
    assert "Workload" in table and "Price" in table and "Completion rate" in table
    violations["compare"] = _violations(page)

    for url in (
        "/providers/northbridge/",
        "/catalogue/moderation-policy/",
        "/catalogue/northbridge/NB-DA101/",
    ):
        page.goto(f"{base}{url}")
        violations[url] = _violations(page)
    assert not {k: v for k, v in violations.items() if v}, violations


def test_a_credential_holder_sees_the_published_review_and_the_providers_reply(live_server, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/catalogue/northbridge/NB-DA101/")
    ratings = page.locator("#ratings").inner_text()
    assert "4 out of 5" in ratings and "Reply from Northbridge University" in ratings
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "aoife")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form [type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/catalogue/northbridge/NB-DA101/")
    assert "You rated it 4 out of 5: published." in page.locator("#ratings").inner_text()
    assert not _violations(page)
