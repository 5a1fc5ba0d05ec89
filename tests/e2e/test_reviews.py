"""A reviewer opens their review of a demo version, sees the failing machine checks, records judgements
and downloads the PDF report, whose text holds the criteria."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from credence.demo.people import DEMO_PASSWORD
from credence.reviews.models import Judgement, Review

from .test_draft_editing import WATCH_CSP, _csp_problems


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_reviewer_judges_a_demo_version_and_downloads_the_pdf(live_server: Any, chromium_page: Any) -> None:
    from playwright.sync_api import expect

    call_command("load_demo")
    review = Review.objects.get(reviewer__username="rob", version__micro_credential__code="NB-SUS110")
    page = chromium_page
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.add_init_script(WATCH_CSP)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username or e-mail address").fill("rob")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # The top bar leads to the review assigned to him.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reviews").click()
    page.get_by_role("link", name="NB-SUS110 · Sustainability Reporting").first.click()
    expect(
        page.get_by_role("heading", name="Review of Sustainability Reporting", exact=False)
    ).to_be_visible()

    # The machine checks that fail are shown beside their criteria.
    expect(page.get_by_text("Machine check: Fail").first).to_be_visible()
    assert (
        "machine check" in page.locator("#checks-title + p").inner_text()
        and " fail" in page.locator("#checks-title + p").inner_text()
    )

    # Record two judgements in place (htmx); the page is not reloaded.
    page.evaluate("window.__notReloaded = true")
    criterion = page.locator("#c-esg-2015-part1--esg\\.1\\.9")
    criterion.get_by_label("Verdict").select_option("partly met")
    criterion.get_by_label("Comment").fill("A review date is set, but no cycle is written down.")
    criterion.get_by_role("button", name="Record the judgement").click()
    expect(page.locator("#c-esg-2015-part1--esg\\.1\\.9").get_by_text("Verdict: Partly met")).to_be_visible()

    criterion = page.locator("#c-eu-council-2022--eu\\.p1")
    criterion.get_by_label("Verdict").select_option("met")
    criterion.get_by_label("Evidence links (one web address per line)").fill(
        "https://www.northbridge.example.ie/quality"
    )
    criterion.get_by_role("button", name="Record the judgement").click()
    expect(page.locator("#c-eu-council-2022--eu\\.p1").get_by_text("Verdict: Met")).to_be_visible()
    assert page.evaluate("window.__notReloaded") is True
    assert Judgement.objects.filter(review=review, criterion_id__in=["esg.1.9", "eu.p1"]).count() == 2

    # Download the PDF report: its text holds the criteria and the new verdicts.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF report").click()
    pdf = PdfReader(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "Review report: Sustainability Reporting" in text
    assert "esg.1.9" in text and "On-going monitoring and periodic review" in text
    assert "eu.e.title" in text and "Partly met" in text

    assert _csp_problems(page, console) == []


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_readiness_panel_follows_the_proposers_edits(live_server: Any, chromium_page: Any) -> None:
    from playwright.sync_api import expect

    from credence.microcredentials.models import MicroCredential

    call_command("load_demo")
    draft = MicroCredential.objects.get(code="NB-HLT150").versions.get()
    page = chromium_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username or e-mail address").fill("priya")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/versions/{draft.pk}/edit/")
    panel = page.locator("#readiness")
    expect(panel.get_by_role("heading", name="Readiness against the frameworks")).to_be_visible()
    assert "starts with 'understand'" not in panel.inner_text()

    # Adding a vague outcome in place refreshes the panel without a reload.
    page.evaluate("window.__samePage = true")
    outcomes = page.locator("#part-outcomes")
    outcomes.get_by_role("textbox", name="Outcome").fill("Understand the records systems of a hospital.")
    outcomes.get_by_role("button", name="Add the learning outcome").click()
    expect(page.locator("#readiness")).to_contain_text("starts with 'understand'")
    assert page.evaluate("window.__samePage") is True


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_framework_and_review_pages_have_no_serious_accessibility_violations(
    live_server: Any, chromium_page: Any
) -> None:
    from credence.microcredentials.models import MicroCredential

    from .test_crawl import AXE

    call_command("load_demo")
    review = Review.objects.get(reviewer__username="rob", version__micro_credential__code="NB-SUS110")
    draft = MicroCredential.objects.get(code="NB-HLT150").versions.get()
    page = chromium_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username or e-mail address").fill("quinn")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    urls = [
        "/reviews/",
        "/reviews/open/",
        f"/reviews/{review.pk}/",
        f"/reviews/{review.pk}/report/",
        f"/reviews/versions/{review.version_id}/combined/",
        "/frameworks/",
        "/frameworks/packs/eu-council-2022/",
        f"/versions/{draft.pk}/edit/",
        f"/micro-credentials/{draft.micro_credential_id}/",
    ]
    violations = {}
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
