"""The assigned reviewer records verdicts with evidence, then a recommendation; nobody else may."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from credence.audit.models import AuditEvent
from credence.reviews import services


def test_the_reviewer_records_and_changes_a_judgement(world, review):
    reviewer = world.user("reviewer")
    services.record_judgement(
        actor=reviewer,
        review=review,
        pack_id="esg-2015-part1",
        criterion_id="esg.1.7",
        verdict="partly met",
        comment="No completion data yet.",
        evidence_links=["https://example.org/kpi"],
    )
    judgement = services.record_judgement(
        actor=reviewer,
        review=review,
        pack_id="esg-2015-part1",
        criterion_id="esg.1.7",
        verdict="met",
        evidence="The dashboard.",
    )

    assert (judgement.verdict, judgement.pack_version) == ("met", "2015")
    assert review.judgements.count() == 1
    event = AuditEvent.objects.filter(action="reviews.judgement_recorded").order_by("-sequence").first()
    assert event.changes["verdict"] == ["partly met", "met"]


@pytest.mark.parametrize("who", ["qa_officer", "org_admin", "proposer"])
def test_only_the_assigned_reviewer_may_judge(world, review, who):
    with pytest.raises(PermissionDenied):
        services.record_judgement(
            actor=world.user(who),
            review=review,
            pack_id="esg-2015-part1",
            criterion_id="esg.1.7",
            verdict="met",
        )


def test_it_refuses_an_unknown_criterion_a_bad_link_and_a_silent_not_met(world, review):
    reviewer = world.user("reviewer")
    with pytest.raises(ValidationError) as caught:
        services.record_judgement(
            actor=reviewer,
            review=review,
            pack_id="esg-2015-part1",
            criterion_id="esg.9.9",
            verdict="maybe",
            evidence_links=["not a link"],
        )
    errors = caught.value.message_dict

    assert "no criterion 'esg.9.9'" in errors["criterion_id"][0]
    assert "verdict" in errors
    assert "not a web address" in errors["evidence_links[0]"][0]
    with pytest.raises(ValidationError, match="needs a comment or evidence"):
        services.record_judgement(
            actor=reviewer, review=review, pack_id="esg-2015-part1", criterion_id="esg.1.7", verdict="not met"
        )


def test_submitting_closes_the_review(world, review):
    reviewer = world.user("reviewer")
    with pytest.raises(ValidationError, match="at least one judgement"):
        services.submit_review(actor=reviewer, review=review, recommendation="approve")
    services.record_judgement(
        actor=reviewer,
        review=review,
        pack_id="nzqa-2022",
        criterion_id="nzqa.title",
        verdict="not met",
        comment="Drop 'Diploma'.",
    )

    submitted = services.submit_review(
        actor=reviewer, review=review, recommendation="revise and resubmit", summary="Fix the title."
    )

    assert submitted.status == "submitted" and submitted.submitted_at
    with pytest.raises(ValidationError, match="submitted"):
        services.record_judgement(
            actor=reviewer, review=review, pack_id="esg-2015-part1", criterion_id="esg.1.7", verdict="met"
        )


def test_the_review_page_groups_criteria_by_area_with_the_checks_beside_them(world, review, client):
    client.force_login(world.user("reviewer"))

    html = client.get(f"/reviews/{review.pk}/").content.decode()

    assert "Part 1: internal quality assurance" in html
    assert "Machine check: Fail" in html
    assert "may be confused with a qualification" in html
    assert 'name="verdict"' in html


def test_judging_on_the_page_without_javascript_and_with_htmx(world, review, client):
    client.force_login(world.user("reviewer"))
    url = f"/reviews/{review.pk}/judge/"

    plain = client.post(
        url,
        {"pack_id": "nzqa-2022", "criterion_id": "nzqa.title", "verdict": "not met", "comment": "Rename it."},
    )
    assert plain.status_code == 302
    invalid = client.post(
        url,
        {"pack_id": "nzqa-2022", "criterion_id": "nzqa.size", "verdict": "not met"},
        HTTP_HX_REQUEST="true",
    )
    assert invalid.status_code == 422
    assert "needs a comment or evidence" in invalid.content.decode()
    assert "<html" not in invalid.content.decode()
    assert review.judgements.get().criterion_id == "nzqa.title"


def test_others_see_the_review_without_the_forms_and_outsiders_get_404(world, review, client):
    client.force_login(world.user("proposer"))
    page = client.get(f"/reviews/{review.pk}/")
    assert page.status_code == 200
    assert b'name="verdict"' not in page.content
    assert (
        client.post(
            f"/reviews/{review.pk}/judge/",
            {"pack_id": "nzqa-2022", "criterion_id": "nzqa.title", "verdict": "met"},
        ).status_code
        == 403
    )

    client.force_login(world.outsider_qa)
    assert client.get(f"/reviews/{review.pk}/").status_code == 404
    assert client.get(f"/reviews/{review.pk}/report.pdf").status_code == 404


def test_an_external_reviewer_sees_only_their_own_review(world, review, client):
    external = services.open_review(
        actor=None,
        version=review.version,
        reviewer=world.outsider_qa,
        pack_ids=["esg-2015-part1"],
        reviewer_kind="external",
    )
    client.force_login(world.outsider_qa)

    page = client.get(f"/reviews/{external.pk}/")
    assert page.status_code == 200
    assert "LO1: Clean and describe a data set with summary statistics." in page.content.decode()
    assert b"Run the checks again" not in page.content
    assert client.get(f"/reviews/{review.pk}/").status_code == 404


def test_the_qa_officer_sees_the_reviews_history(world, review, client):
    services.record_judgement(
        actor=world.user("reviewer"),
        review=review,
        pack_id="esg-2015-part1",
        criterion_id="esg.1.7",
        verdict="met",
    )
    client.force_login(world.user("qa_officer"))

    html = client.get(f"/reviews/{review.pk}/").content.decode()

    assert "What happened in this review" in html
    assert "reviews.judgement_recorded" in html and "reviews.review_opened" in html
