"""Every kind of register page, with the demo's data, in Chromium with axe-core: no serious or critical
accessibility violation, signed out and as the agency's admin."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command

from credence.demo.people import DEMO_PASSWORD
from credence.microcredentials.models import MicroCredential
from credence.register.models import QAReport

from .test_crawl import AXE

BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-sync",
    "--no-first-run",
]


def _urls() -> list[str]:
    mc_report = QAReport.objects.get(local_identifier="AQTE-2024-031")
    withdrawn = QAReport.objects.get(local_identifier="AQTE-2023-060")
    analytics = MicroCredential.objects.get(code="NB-DA101")
    return [
        "/register/",
        "/register/?decision=positive&current=on",
        f"/register/reports/{mc_report.pk}/",
        f"/register/reports/{withdrawn.pk}/",
        "/register/providers/",
        "/register/providers/northbridge/",
        "/register/providers/codeforge/",
        "/register/agencies/",
        "/register/agencies/aqte/",
        "/register/jurisdictions/",
        f"/micro-credentials/{analytics.pk}/",
    ]


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("username", [None, "agnes"], ids=lambda u: u or "anonymous")
def test_register_pages_have_no_serious_accessibility_violations(live_server, username):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    call_command("load_demo")
    urls = _urls() + (["/register/reports/new/", "/register/agencies/aqte/manage/"] if username else [])
    violations: dict[str, list[str]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=BROWSER_ARGS)
        page = browser.new_context().new_page()
        if username:
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", DEMO_PASSWORD)
            page.click("form [type=submit]")
            page.wait_for_load_state()
        for url in urls:
            response = page.goto(f"{live_server.url}{url}")
            assert response is not None and response.status == 200, url
            page.evaluate(AXE)
            result = page.evaluate(
                "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                ".map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ')')"
            )
            if result:
                violations[url] = result
        browser.close()
    assert not violations, violations
