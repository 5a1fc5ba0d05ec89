"""The whole governance path in a browser, with the demo users: Priya submits her proposal; Robert
reviews it against a pack; Abdul approves with a condition; Samira puts it on the Academic Board's next
agenda and records 'approved with conditions'; Priya meets the conditions; Quinn publishes it, and it
is the current version in the public list."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from credence.demo.people import DEMO_PASSWORD
from credence.microcredentials.models import MicroCredential, VersionStatus
from credence.workflows.models import Proposal, ProposalStatus, Task, TaskStatus

from .test_draft_editing import WATCH_CSP, _csp_problems

TITLE = "New: Project Management Essentials"


def _sign_in(page: Any, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username or e-mail address").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_proposal_goes_from_submission_to_the_public_list(live_server: Any, chromium_page: Any) -> None:
    from playwright.sync_api import expect

    call_command("load_demo")
    base = live_server.url
    page = chromium_page
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.add_init_script(WATCH_CSP)

    # Priya submits her draft proposal.
    _sign_in(page, base, "priya")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Proposals").click()
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="Submit the proposal").click()
    expect(page.get_by_text("Submitted. The first stage of the workflow has started.")).to_be_visible()
    expect(page.locator(".stage--active").get_by_role("heading", name="Quality review")).to_be_visible()
    proposal = Proposal.objects.get(title=TITLE)

    # Robert finds the review in his inbox, judges a criterion of the pack and submits the review.
    _sign_in(page, base, "rob")
    page.locator(".topbar a[href='/inbox/']").click()
    page.get_by_role("link", name="Open the review for Review NB-PM130 version 1 (Quality review)").click()
    criterion = page.locator("#c-eu-council-2022--eu\\.p1")
    criterion.get_by_label("Verdict").select_option("met")
    criterion.get_by_role("button", name="Record the judgement").click()
    expect(criterion.get_by_text("Verdict: Met")).to_be_visible()
    page.get_by_role("combobox", name="Recommendation").select_option("approve")
    page.get_by_role("button", name="Submit the review").click()
    expect(page.get_by_text("Recommendation: Approve").first).to_be_visible()

    # Abdul approves with a condition.
    _sign_in(page, base, "abdul")
    page.locator(".topbar a[href='/inbox/']").click()
    page.get_by_role("link", name=f"Decide on {TITLE} (Head of school approval)").click()
    decision = page.locator("form.decision-form")
    decision.get_by_label("Approve with conditions").check()
    decision.get_by_label("Conditions (one a line)").fill("Add a module on agile methods to the schedule.")
    decision.get_by_role("button", name="Record the decision").click()
    expect(
        page.get_by_text("Approve with conditions: recorded at 'Head of school approval'.")
    ).to_be_visible()
    expect(page.locator(".stage--active").get_by_role("heading", name="Academic Board")).to_be_visible()

    # Samira puts it on the Academic Board's next agenda and records the board's outcome.
    _sign_in(page, base, "sam")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Meetings").click()
    page.get_by_role("link", name="Academic Board").first.click()
    page.locator("a[href^='/meetings/']").first.click()
    if page.get_by_label("Proposal waiting for the committee").count() == 0:  # the held meeting came first
        page.go_back()
        page.locator("a[href^='/meetings/']").nth(1).click()
    page.get_by_label("Proposal waiting for the committee").select_option(
        label=next(
            option
            for option in page.get_by_label("Proposal waiting for the committee")
            .locator("option")
            .all_inner_texts()
            if option.startswith(TITLE)
        )
    )
    page.get_by_role("button", name="Add to the agenda").click()
    item = page.locator(".agenda-item", has=page.get_by_role("link", name=TITLE))
    item.get_by_label("Approved with conditions").check()
    item.get_by_role("textbox").first.fill("Name an employer representative for the advisory panel.")
    item.get_by_role("button", name="Record the outcome").click()
    item = page.locator(".agenda-item", has=page.get_by_role("link", name=TITLE))
    expect(item.get_by_text("Approved with conditions").first).to_be_visible()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    assert proposal.version.status == VersionStatus.APPROVED

    # Priya meets both conditions from her inbox.
    _sign_in(page, base, "priya")
    page.locator(".topbar a[href='/inbox/']").click()
    for _ in range(2):
        row = page.locator("tr", has=page.get_by_text("Condition on NB-PM130")).first
        row.get_by_label("How it is met").fill("Done; see version 1's schedule and advisory panel.")
        row.get_by_role("button", name="Mark as done").click()
        expect(page.get_by_text("Done: Condition on NB-PM130").first).to_be_visible()
    assert not Task.objects.filter(proposal=proposal, kind="condition", status=TaskStatus.OPEN).exists()

    # Quinn publishes it; it is the current version in the organisation's public list.
    _sign_in(page, base, "quinn")
    page.goto(f"{base}/proposals/{proposal.pk}/")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Done: the proposal is published.")).to_be_visible()
    micro_credential = MicroCredential.objects.get(code="NB-PM130")
    assert micro_credential.published_version == proposal.version

    page.context.clear_cookies()
    page.goto(f"{base}/micro-credentials/?q=Project+Management")
    row = page.locator("tr", has=page.get_by_role("cell", name="NB-PM130"))
    expect(row.get_by_role("link", name="Project Management Essentials")).to_be_visible()
    page.goto(f"{base}/register/providers/northbridge/")
    assert "Project Management Essentials" in page.content()

    assert _csp_problems(page, console) == []


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("username", ["olivia", "abdul", "priya"])
def test_the_governance_pages_have_no_serious_accessibility_violations(
    live_server: Any, chromium_page: Any, username: str
) -> None:
    from credence.workflows.models import WorkflowTemplate

    from .test_crawl import AXE

    call_command("load_demo")
    proposals = {p.micro_credential.code: p for p in Proposal.objects.select_related("micro_credential")}
    template = WorkflowTemplate.objects.get(
        organisation__slug="northbridge", proposal_kind="new", active=True
    )
    urls = [
        "/",
        "/inbox/",
        "/proposals/",
        "/proposals/pipeline/",
        "/proposals/analytics/",
        "/workflows/templates/",
        f"/workflows/templates/{template.pk}/",
        *[f"/proposals/{proposals[code].pk}/" for code in ("NB-PM130", "NB-CYB201", "NB-CX140", "NB-DA101")],
    ]
    if username == "olivia":
        urls += ["/workflows/templates/new/", f"/workflows/templates/{template.pk}/edit/"]
    if username == "priya":
        urls += ["/proposals/new/", f"/proposals/{proposals['NB-PM130'].pk}/edit/"]
    page = chromium_page
    _sign_in(page, live_server.url, username)
    violations: dict[str, list[str]] = {}
    for url in urls:
        response = page.goto(f"{live_server.url}{url}")
        assert response is not None and response.status == 200, url
        page.evaluate(AXE)
        found = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
            ".map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ')')"
        )
        if found:
            violations[url] = found
    assert not violations, violations
