"""A proposer imports a spreadsheet with a broken row in the browser: the preview names the row, a better
mapping fixes it, and the import completes."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest

from credence.microcredentials.models import MicroCredentialVersion
from tests.factories import PASSWORD, make_organisation, make_user

from .test_crawl import AXE
from .test_draft_editing import WATCH_CSP, _csp_problems


def _axe_problems(page: Any) -> list[str]:
    """Serious or critical accessibility violations on the page as it is now."""
    page.evaluate(AXE)
    found: list[str] = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ')')"
    )
    return found


ROWS = [
    ["Module code", "Module title", "Overview", "Learning outcomes", "Credits", "Level", "Study time"],
    [
        "SCI-101",
        "Lab safety essentials",
        "Safe practice in teaching labs.",
        "• Identify hazards\n• Write a risk assessment",
        "5 ECTS",
        "6",
        "6 weeks, 4 hours per week",
    ],
    [
        "SCI-102",
        "Research data stewardship",
        "Managing research data well.",
        "1. Plan data\n2. Share data",
        "10 credits",
        "SCQF 11",
        "120 hours",
    ],
    [
        "SCI-103",
        "Science communication",
        "Talking science to the public.",
        "Explain a result; Answer questions",
        "2,5 ECTS",
        "5",
        "3 h/week for 10 weeks",
    ],
]


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_spreadsheet_with_a_broken_row_is_fixed_by_the_mapping_and_imported(
    live_server: Any, chromium_page: Any, tmp_path: Any, settings: Any
) -> None:
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = str(tmp_path / "media")

    home = make_organisation("Browser Import University")
    make_user(home, ["proposer"], username="importer")
    book = openpyxl.Workbook()
    for row in ROWS:
        book.active.append(row)
    path = tmp_path / "science-short-courses.xlsx"
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())

    page = chromium_page
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.add_init_script(WATCH_CSP)
    url = live_server.url
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Username or e-mail address").fill("importer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Import").click()
    assert _axe_problems(page) == []
    page.get_by_label("Catalogue file").set_input_files(str(path))
    page.get_by_role("button", name="Upload and map the columns").click()
    expect(page.get_by_role("heading", name="1. Map the columns")).to_be_visible()
    expect(page.get_by_label("Level", exact=True)).to_have_value("eqf_level")  # the guess
    page.get_by_role("button", name="Preview the import").click()

    broken = page.locator("#row-3")
    expect(broken).to_contain_text("SCI-102")
    expect(broken).to_contain_text("Level: 'SCQF 11' is not an EQF level")
    expect(page.get_by_role("status").first).to_contain_text("1 has problems")
    assert _axe_problems(page) == []

    # The 'Level' column holds national framework levels, not EQF levels: map it so.
    page.get_by_label("Level", exact=True).select_option("nqf_level")
    page.get_by_label("Save this mapping for the source").fill("Science faculty sheet")
    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator("#row-3")).to_contain_text("will be created")
    expect(page.get_by_text("has problems")).to_have_count(0)

    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Imported 3 micro-credential(s), 0 unchanged.")).to_be_visible()
    assert _axe_problems(page) == []
    versions = {
        v.micro_credential.code: v for v in MicroCredentialVersion.objects.select_related("micro_credential")
    }
    assert versions["SCI-102"].nqf_level == "SCQF 11" and versions["SCI-102"].notional_hours == 120
    assert versions["SCI-103"].notional_hours == 30 and str(versions["SCI-103"].credits) == "2.50"
    assert _csp_problems(page, console) == []
