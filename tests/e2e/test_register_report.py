"""An agency admin records a report on an alternative provider's micro-credential in the browser, and it
appears on that micro-credential's public external QA panel."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from credence.register import services
from tests.factories import PASSWORD, make_organisation, make_user, make_version

from .test_draft_editing import WATCH_CSP, _csp_problems


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_agency_admin_records_a_report_that_shows_on_the_public_qa_panel(
    live_server: Any, chromium_page: Any, tmp_path: Any
) -> None:
    from playwright.sync_api import expect

    agency = make_organisation("Browser Quality Agency", kind="qa_agency", acronym="BQA")
    services.set_agency_profile(actor=None, agency=agency, registration_start=dt.date(2020, 1, 1))
    services.add_agency_activity(
        actor=None, agency=agency, name="Micro-credential certification", activity_type="programme"
    )
    make_user(agency, ["org_admin"], username="bqa_admin")
    provider = make_organisation("Skillforge Online", kind="alternative_provider")
    version = make_version(provider, status="published", code="SF-101", title="Secure web development")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    page = chromium_page
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.add_init_script(WATCH_CSP)
    url = live_server.url
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Username or e-mail address").fill("bqa_admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"{url}/register/")
    page.get_by_role("link", name="Record a report").click()
    page.get_by_label("Activity").select_option(label="Micro-credential certification (Programme, BQA)")
    page.get_by_label("Local identifier").fill("BQA-2025-01")
    page.locator("#id_provider").select_option(label="Skillforge Online")
    page.get_by_label("Micro-credential covered").select_option(
        label="Secure web development (SF-101, Skillforge Online)"
    )
    page.get_by_label("Decision").select_option(label="Positive")
    page.get_by_label("Valid from").fill("2025-03-01")
    page.get_by_label("Report (PDF)").set_input_files(str(pdf))
    page.get_by_role("button", name="Record the report").click()
    expect(page.get_by_role("heading", name="BQA report BQA-2025-01")).to_be_visible()

    # Signed out, the public sees it on the micro-credential's page.
    page.context.clear_cookies()
    page.goto(f"{url}/micro-credentials/{version.micro_credential_id}/")
    panel = page.get_by_role("region", name="External quality assurance")
    expect(panel.get_by_role("link", name="BQA-2025-01")).to_be_visible()
    expect(panel).to_contain_text("This micro-credential")
    expect(panel).to_contain_text("Positive")
    assert _csp_problems(page, console) == []
