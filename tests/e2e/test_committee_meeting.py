"""In a real browser: the secretary allocates a waiting proposal to a meeting and records the committee's
outcome on the meeting page; a colleague @mentioned in a comment finds it in their notifications."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from credence.committees import services
from credence.workflows.models import StageRunStatus, Task

from ..factories import PASSWORD, make_version
from ..workflows.conftest import COMMITTEE, make_proposal, make_template
from .test_crawl import AXE
from .test_draft_editing import WATCH_CSP, _csp_problems


def _serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical accessibility violations on the page as it is now."""
    page.evaluate(AXE)
    return list(
        page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
            ".map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ')')"
        )
    )


def _sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username or e-mail address").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_secretary_allocates_and_records_approved_with_conditions(live_server: Any, world: Any, chromium_page: Any) -> None:
    from playwright.sync_api import expect

    make_template(world.home, [COMMITTEE])
    proposal = make_proposal(world, code="DA-101", title="Data analysis at work")
    committee = services.create_committee(actor=None, organisation=world.home, name="Academic Board", slug="academic-board")
    services.seat_member(actor=None, committee=committee, user=world.user("committee_secretary"), role="secretary")
    start = timezone.now() + dt.timedelta(days=14)
    meeting = services.schedule_meeting(actor=None, committee=committee, start=start, end=start + dt.timedelta(hours=2), place="Senate Room")

    page = chromium_page
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.add_init_script(WATCH_CSP)
    _sign_in(page, live_server.url, "home_committee_secretary")

    page.goto(f"{live_server.url}/committees/")
    page.get_by_role("link", name="Academic Board").click()
    expect(page.get_by_role("heading", name="Proposals waiting for the committee")).to_be_visible()
    page.get_by_role("link", name=start.strftime("%A")).first.click()

    # Allocate the waiting proposal.
    page.get_by_label("Proposal waiting for the committee").select_option(label=page.locator("#id_stage_run option").first.inner_text())
    page.get_by_role("button", name="Add to the agenda").click()
    expect(page.get_by_role("heading", name=f"Item 1: {proposal.title}")).to_be_visible()

    # Record 'approved with conditions' without a condition: told what is missing, nothing recorded.
    item = meeting.items.get()
    form = page.locator(f"#item-{item.pk}")
    form.get_by_label("Approved with conditions").check()
    form.get_by_role("button", name="Record the outcome").click()
    expect(page.get_by_text("State at least one condition")).to_be_visible()

    form = page.locator(f"#item-{item.pk}")
    form.get_by_label("Approved with conditions").check()
    form.get_by_role("textbox", name="Conditions").fill("Add an employer to the advisory panel.")
    form.get_by_role("button", name="Record the outcome").click()
    expect(page.get_by_text(f"Recorded: '{proposal.title}' approved with conditions.")).to_be_visible()
    expect(page.locator(f"#item-{item.pk}").get_by_text("Add an employer to the advisory panel.")).to_be_visible()

    stage_run = item.stage_run
    stage_run.refresh_from_db()
    assert stage_run.status == StageRunStatus.COMPLETED
    assert Task.objects.filter(proposal=proposal, kind="condition", assignee=world.user("proposer")).count() == 1
    assert _csp_problems(page, console) == []
    assert _serious_violations(page) == []
    page.goto(f"{live_server.url}/committees/academic-board/")
    assert _serious_violations(page) == []
    page.goto(f"{live_server.url}/committees/academic-board/meetings/new/")
    assert _serious_violations(page) == []


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_mention_in_a_comment_reaches_the_colleagues_notifications(live_server: Any, world: Any, chromium_page: Any) -> None:
    from playwright.sync_api import expect

    version = make_version(world.home, code="DA-102", title="Spreadsheet modelling")
    page = chromium_page
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.add_init_script(WATCH_CSP)

    _sign_in(page, live_server.url, "home_proposer")
    page.goto(f"{live_server.url}/micro-credentials/{version.micro_credential_id}/")
    panel = page.locator("#comments")
    panel.get_by_label("On").select_option(label="Title")
    panel.get_by_label("Comment").fill("@home_reviewer is the title clear enough?")
    panel.get_by_role("button", name="Post the comment").click()
    expect(page.locator("#comments").get_by_text("is the title clear enough?")).to_be_visible()
    assert _csp_problems(page, console) == []

    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, live_server.url, "home_reviewer")
    expect(page.get_by_role("link", name="Notifications 1 unread")).to_be_visible()
    page.get_by_role("link", name="Notifications 1 unread").click()
    assert _serious_violations(page) == []
    page.get_by_role("link", name="home_proposer mentioned you in a comment", exact=False).click()
    expect(page.locator("#comments").get_by_text("is the title clear enough?")).to_be_visible()
    assert _serious_violations(page) == []
    page.goto(f"{live_server.url}/notifications/preferences/")
    assert _serious_violations(page) == []
