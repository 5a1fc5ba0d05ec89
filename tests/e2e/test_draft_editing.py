"""A proposer drafts a micro-credential in the browser, and sees a later edit on the show-changes page."""

from __future__ import annotations

import os
from typing import Any

import pytest

from credence.microcredentials import services
from credence.microcredentials.models import MicroCredential, VersionStatus
from tests.factories import PASSWORD

SCREENSHOTS = os.environ.get("CREDENCE_SCREENSHOTS", "/tmp")

# Reports every Content-Security-Policy violation of the page into window.__cspViolations.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});
"""


def _csp_problems(page: Any, console: list[str]) -> list[str]:
    reported = page.evaluate("window.__cspViolations || []")
    logged = [m for m in console if "Content Security Policy" in m or "Refused to" in m]
    return [*reported, *logged]


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_proposer_drafts_edits_an_outcome_and_sees_the_change(
    live_server: Any, world: Any, chromium_page: Any
) -> None:
    from playwright.sync_api import expect

    page = chromium_page
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.add_init_script(WATCH_CSP)
    url = live_server.url

    # Sign in as the proposer.
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Username or e-mail address").fill("home_proposer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="What needs you now")).to_be_visible()

    # Create a micro-credential: it lands in the draft editor.
    page.get_by_role("link", name="New micro-credential").click()
    page.get_by_label("Code").fill("E2E-101")
    page.get_by_label("Title").fill("Data storytelling")
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_role("heading", name="Edit draft: Data storytelling")).to_be_visible()
    version_id = MicroCredential.objects.get(code="E2E-101").versions.get().pk
    assert page.url.endswith(f"/versions/{version_id}/edit/")

    # Add two outcomes and an assessment in place (htmx): the page is never reloaded.
    page.evaluate("window.__samePage = true")
    outcomes = page.locator("#part-outcomes")
    for text in ("Tell a story with a chart.", "Choose the right chart for the data."):
        outcomes.get_by_role("textbox", name="Outcome").fill(text)
        outcomes.get_by_role("button", name="Add the learning outcome").click()
        expect(outcomes.locator(".parts__list")).to_contain_text(text)
    assessments = page.locator("#part-assessments")
    assessments.get_by_label("Type").select_option("project")
    assessments.get_by_label("Description").fill("A data story for a real audience")
    assessments.get_by_label("Weight (%)").fill("100")
    assessments.get_by_label("LO1 Tell a story with a chart.").check()
    assessments.get_by_label("LO2 Choose the right chart for the data.").check()
    assessments.get_by_role("button", name="Add the assessment").click()
    expect(assessments.locator(".parts__list")).to_contain_text("LO1, LO2")
    assert page.evaluate("window.__samePage") is True
    page.screenshot(path=f"{SCREENSHOTS}/credence-e2e-editor.png", full_page=True)
    assert not _csp_problems(page, console), _csp_problems(page, console)

    # Save the description: the lock version moved with each part edit, so this is not a stale save.
    page.get_by_label("Summary").fill("Turn data into a story that people act on.")
    page.get_by_role("button", name="Save the description").click()
    expect(page.get_by_text("Your changes are saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="Ready for review")).to_be_visible()

    # The version can go to review.
    page.get_by_role("link", name="View the micro-credential").click()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Version 1 is submitted for review.")).to_be_visible()
    first = MicroCredential.objects.get(code="E2E-101").versions.get()
    assert first.status == VersionStatus.IN_REVIEW
    assert first.learning_outcomes.count() == 2 and first.assessments.get().outcomes.count() == 2

    # Others approve and publish it; the proposer starts version 2 and edits an outcome in place.
    services.approve_version(actor=world.user("approver"), version=first)
    services.publish_version(actor=world.user("qa_officer"), version=first)
    page.reload()
    page.get_by_role("button", name="Start a new version").click()
    expect(page.get_by_role("heading", name="Edit draft: Data storytelling")).to_be_visible()
    outcome = page.locator("#part-outcomes .part").first
    outcome.get_by_role("link", name="Edit LO1").click()
    outcome.get_by_role("textbox", name="Outcome").fill("Tell a story with two charts.")
    outcome.get_by_role("button", name="Save LO1").click()
    expect(page.locator("#part-outcomes .parts__list")).to_contain_text("Tell a story with two charts.")
    assert not _csp_problems(page, console), _csp_problems(page, console)

    # Show changes: the old words struck through, the new ones inserted.
    page.get_by_role("link", name="View the micro-credential").click()
    page.get_by_role("link", name="Changes in version 2").click()
    change = page.locator(".part-change--changed")
    expect(change).to_contain_text("Changed LO1")
    expect(change.locator("del")).to_have_text("a chart.")
    expect(change.locator("ins")).to_have_text("two charts.")
    page.screenshot(path=f"{SCREENSHOTS}/credence-e2e-changes.png", full_page=True)
    assert not _csp_problems(page, console), _csp_problems(page, console)
