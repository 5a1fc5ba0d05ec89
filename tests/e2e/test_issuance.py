"""Issuing in the browser: Northbridge's QA officer issues to a demo offering from a CSV upload; the
learner opens the claim link, downloads the credential, and anyone verifies it on the verification page."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from django.core.management import call_command

from credence.demo.people import DEMO_PASSWORD
from credence.issuance.models import IssuedCredential

SCREENSHOTS = os.environ.get("CREDENCE_SCREENSHOTS", "/tmp")
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});
"""


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_issue_claim_download_and_verify(live_server: Any, chromium_page: Any, tmp_path: Any) -> None:
    from playwright.sync_api import expect

    call_command("load_demo")
    page = chromium_page
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.add_init_script(WATCH_CSP)
    url = live_server.url

    # Northbridge's QA officer signs in and opens the demo offering from the Credentials page.
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Username or e-mail address").fill("quinn")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Credentials", exact=True).click()
    page.get_by_role("link", name="NB-DA101-2026-SPRING").click()
    expect(page.get_by_role("heading", name="Issue credentials")).to_be_visible()

    # A list with a mistake is refused whole, with the row named.
    page.get_by_label("Completion list (CSV or XLSX)").set_input_files(
        files=[
            {
                "name": "bad.csv",
                "mimeType": "text/csv",
                "buffer": b"email\nmei.chen@learners.example\nno-at-sign\n",
            }
        ]
    )
    page.get_by_role("button", name="Issue to the learners on the list").click()
    expect(page.get_by_role("alert")).to_contain_text("Row 2, email")
    assert not IssuedCredential.objects.filter(learner__email="mei.chen@learners.example").exists()

    # The corrected list issues Mei's credential.
    page.get_by_label("Completion list (CSV or XLSX)").set_input_files(
        files=[
            {
                "name": "good.csv",
                "mimeType": "text/csv",
                "buffer": b"email,grade\nmei.chen@learners.example,Merit\n",
            }
        ]
    )
    page.get_by_role("button", name="Issue to the learners on the list").click()
    expect(page.get_by_text("Issued 1 credential")).to_be_visible()
    page.screenshot(path=f"{SCREENSHOTS}/issuance-offering.png", full_page=True)
    credential = IssuedCredential.objects.get(learner__email="mei.chen@learners.example")

    # The learner (signed out) opens the claim link from her e-mail and downloads the credential.
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{url}/credentials/claim/{credential.claim_token}/")
    expect(page.get_by_role("heading", name="Valid credential")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the credential (JSON)").click()
    saved = tmp_path / "credential.json"
    download_info.value.save_as(saved)
    assert json.loads(saved.read_text())["id"] == credential.credential_id

    # An employer verifies the downloaded file on the public verification page.
    page.goto(f"{url}/")
    page.get_by_role("link", name="Verify a credential").click()
    page.get_by_label("Or upload the credential file (.json)").set_input_files(str(saved))
    page.get_by_role("button", name="Verify", exact=True).click()
    expect(page.get_by_role("heading", name="Valid credential")).to_be_visible()
    expect(page.get_by_text("an organisation registered in Credence")).to_be_visible()
    page.screenshot(path=f"{SCREENSHOTS}/issuance-verified.png", full_page=True)

    # A changed copy fails, with the reason.
    changed = json.loads(saved.read_text())
    changed["credentialSubject"]["result"][1]["value"] = "Distinction"
    page.get_by_label("Paste the credential (JSON or VC-JWT) or its link").fill(json.dumps(changed))
    page.get_by_role("button", name="Verify", exact=True).click()
    expect(page.get_by_role("heading", name="Not valid")).to_be_visible()
    expect(page.locator(".lead")).to_contain_text("changed after signing")

    problems = [
        *page.evaluate("window.__cspViolations || []"),
        *[m for m in console if "Content Security Policy" in m],
    ]
    assert not problems, problems
