"""Several reviewers: the combined view shows where they disagree; the report (HTML and PDF) has it all."""

from __future__ import annotations

import io

from pypdf import PdfReader

from credence.reviews import services


def _two_reviews(world, review):
    peer = services.open_review(
        actor=None, version=review.version, reviewer=world.user("qa_officer"), reviewer_kind="peer"
    )
    services.record_judgement(
        actor=world.user("reviewer"),
        review=review,
        pack_id="esg-2015-part1",
        criterion_id="esg.1.7",
        verdict="met",
    )
    services.record_judgement(
        actor=world.user("qa_officer"),
        review=peer,
        pack_id="esg-2015-part1",
        criterion_id="esg.1.7",
        verdict="not met",
        comment="No data.",
    )
    services.record_judgement(
        actor=world.user("reviewer"),
        review=review,
        pack_id="esg-2015-part1",
        criterion_id="esg.1.8",
        verdict="met",
    )
    services.record_judgement(
        actor=world.user("qa_officer"),
        review=peer,
        pack_id="esg-2015-part1",
        criterion_id="esg.1.8",
        verdict="met",
    )
    return peer


def test_the_combined_view_marks_the_disagreements(world, review, client):
    _two_reviews(world, review)
    client.force_login(world.user("org_admin"))

    html = client.get(f"/reviews/versions/{review.version_id}/combined/").content.decode()

    assert "They disagree on 1 criterion" in html
    assert html.count("<strong>Disagreement</strong>") == 1
    only = client.get(f"/reviews/versions/{review.version_id}/combined/?only=disagreements").content.decode()
    assert "Information management" in only
    assert "Public information" not in only


def test_the_report_has_a_chart_and_every_criterion(world, review, client):
    _two_reviews(world, review)
    client.force_login(world.user("reviewer"))

    html = client.get(f"/reviews/{review.pk}/report/").content.decode()

    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in html
    assert "Criteria per area, by verdict" in html
    assert "esg.1.10" in html and "nzqa.title" in html


def test_the_pdf_report_contains_the_criteria_and_the_verdicts(world, review, client):
    _two_reviews(world, review)
    client.force_login(world.user("reviewer"))

    response = client.get(f"/reviews/{review.pk}/report.pdf")

    assert response["Content-Type"] == "application/pdf"
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split()
    )
    assert "Review report: Diploma of data analysis" in text
    assert "esg.1.7" in text and "Information management" in text
    assert "nzqa.title" in text
