"""Monitoring in the browser: the QA officer imports an offering's results (upload, map, import), a
learner answers the survey through their anonymous link, the QA officer closes the survey and sees the
flag it raised, starts the cyclic review from it, and downloads the annual QA report. axe-core checks
every page on the way."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from credence.monitoring import services
from credence.monitoring.models import CyclicReview
from credence.workflows import services as workflows
from credence.workflows.models import Proposal

from ..factories import PASSWORD, make_organisation, make_user, make_version
from .test_crawl import AXE

RESULTS = b"Student ID,Name,Status,Passed,Completed on\n" + b"".join(
    f"E{n},Learner {n},completed,yes,2025-05-30\n".encode() for n in range(1, 11)
)


def _no_serious_violations(page: Any) -> list[str]:
    page.evaluate(AXE)
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ')')"
    )


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_import_survey_flag_cyclic_review_and_annual_report(live_server: Any, chromium_page: Any) -> None:
    from playwright.sync_api import expect

    organisation = make_organisation("Riverside University", acronym="RU")
    qa = make_user(organisation, ["qa_officer"], username="rita")
    make_user(organisation, ["approver"], username="arne")
    version = make_version(organisation, status="published", code="RU-DATA1", title="Data for managers")
    offering = services.create_offering(
        actor=qa,
        version=version,
        code="RU-DATA1-2025",
        starts_on=dt.date(2025, 2, 3),
        ends_on=dt.date(2025, 5, 30),
    )
    for key, comparison, value in services.DEFAULT_THRESHOLDS[:3]:
        services.set_threshold(
            actor=qa, organisation=organisation, indicator=key, comparison=comparison, value=value
        )
    workflows.save_template(
        actor=None,
        organisation=organisation,
        proposal_kind="cyclic_review",
        name="Cyclic review",
        stages=[{"name": "QA approval", "kind": "approval", "order": 1, "role": "approver", "quorum": "any"}],
    )
    page, url = chromium_page, live_server.url
    problems: dict[str, list[str]] = {}

    def check(name: str) -> None:
        found = _no_serious_violations(page)
        if found:
            problems[name] = found

    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Username or e-mail address").fill("rita")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # Import the offering's results: upload, check the guessed mapping, import.
    page.get_by_role("link", name="Monitoring", exact=True).click()
    check("dashboard")
    page.get_by_role("link", name="Import results").first.click()
    page.get_by_label("Offering").select_option(label="RU-DATA1-2025 — RU-DATA1")
    page.get_by_label("File (CSV or XLSX)").set_input_files(
        files=[{"name": "results.csv", "mimeType": "text/csv", "buffer": RESULTS}]
    )
    page.get_by_role("button", name="Upload and map the columns").click()
    expect(page.get_by_role("heading", name="Map the columns of results.csv")).to_be_visible()
    expect(page.get_by_label("Student ID")).to_have_value("external_id")
    check("mapping")
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("10 enrolments added")).to_be_visible()
    check("import done")

    # A learner survey: ten links, one answered anonymously in a browser with no sign-in.
    survey = services.open_survey(actor=qa, offering=offering, kind="learner")
    token = services.invite(actor=qa, survey=survey, send_emails=False).tokens[0]
    learner = page.context.browser.new_context().new_page()
    learner.goto(f"{url}/s/{token}/")
    learner.get_by_label("5 — Strongly agree").first.check()
    learner.get_by_role("group", name="Overall, I am satisfied with this micro-credential.").get_by_label(
        "4 — Agree"
    ).check()
    learner.get_by_role("button", name="Send my answers").click()
    expect(learner.get_by_role("heading", name="Thank you")).to_be_visible()
    learner.close()

    # Closing the survey raises a flag: one response out of ten is below the 20 % response rate.
    page.goto(f"{url}/monitoring/surveys/")
    check("surveys")
    page.get_by_role("link", name="Learner questionnaire — RU-DATA1-2025").click()
    check("survey")
    page.get_by_role("button", name="Close the survey and check the thresholds").click()
    expect(page.get_by_text("1 flag(s) raised")).to_be_visible()
    page.goto(f"{url}/monitoring/flags/")
    flag_row = page.get_by_role("row").filter(has_text="Survey response rate in RU-DATA1-2025 is 10.0 %")
    expect(flag_row).to_be_visible()
    check("flags")

    # Start the cyclic review from the flag.
    flag_row.get_by_role("link", name="Start a cyclic review").click()
    check("micro-credential")
    page.get_by_role("button", name="Start the cyclic review").click()
    expect(page.get_by_role("heading", name="Cyclic review of RU-DATA1")).to_be_visible()
    check("review")
    review = CyclicReview.objects.get()
    proposal = Proposal.objects.get(pk=review.proposal_id)
    assert proposal.evidence["open_flags"][0]["indicator"] == "response_rate"

    # The annual report, as a page and as a PDF.
    page.goto(f"{url}/monitoring/report/2025/")
    expect(page.get_by_role("heading", name="Annual QA report 2025: Riverside University")).to_be_visible()
    expect(
        page.get_by_role("listitem").filter(has_text="Survey response rate in RU-DATA1-2025").first
    ).to_contain_text("in cyclic review")
    expect(page.get_by_role("listitem").filter(has_text="Cyclic review started")).to_contain_text(
        "in progress"
    )
    check("annual report")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    pdf = download.value.path().read_bytes()
    assert pdf[:5] == b"%PDF-"
    assert not problems, problems
