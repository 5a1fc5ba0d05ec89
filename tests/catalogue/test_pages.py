"""The micro-credential page: the Annex I elements in plain words, the QA, outcomes, ratings and
pathways panels, each saying plainly when nothing is recorded; the provider page; compare."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from credence.catalogue.models import SearchEntry
from credence.microcredentials.models import MicroCredential
from credence.register import services as register_services
from credence.reviews import services as review_services

from ..factories import make_organisation, make_user, make_version
from .conftest import run_offering

pytestmark = pytest.mark.django_db


def _page(client, version):
    mc = version.micro_credential
    response = client.get(f"/catalogue/{mc.organisation.slug}/{mc.code}/")
    assert response.status_code == 200
    return response.content.decode()


def _text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_it_shows_what_a_learner_needs_before_enrolling(client, shelf):
    text = _text(_page(client, shelf.analytics))
    assert "125 hours of learning in total, 30 of them with teaching staff" in text
    assert "5 ECTS credits" in text
    assert "About 15.6 hours a week for 8 weeks" in text
    assert "EQF level 6" in text
    assert "Online, scheduled" in text
    assert "Supervised online or on site, with identity verification" in text
    assert "Clean and describe a data set with summary statistics." in text
    assert "Project (60%)" in text


def test_an_unreviewed_micro_credential_says_nothing_is_recorded(client, shelf):
    text = _text(_page(client, shelf.solar))
    assert "No review of this version is recorded." in text
    assert "No external QA report on this micro-credential or its provider is recorded." in text
    assert text.count("Not recorded") >= 5  # outcomes rows, next review, ...
    assert "No ratings are published yet." in text


def test_the_qa_panel_shows_each_submitted_review_by_framework_area(
    client, shelf, django_capture_on_commit_callbacks
):
    reviewer = make_user(shelf.provider, ["reviewer"])
    with django_capture_on_commit_callbacks(execute=True):
        review = review_services.open_review(
            actor=None,
            version=shelf.analytics,
            reviewer=reviewer,
            pack_ids=["eu-council-2022"],
            reviewer_kind="peer",
        )
        for criterion, verdict in (("eu.e.title", "met"), ("eu.e.learner", "partly met")):
            review_services.record_judgement(
                actor=None,
                review=review,
                pack_id="eu-council-2022",
                criterion_id=criterion,
                verdict=verdict,
                comment="The learner's identity is described only in general terms.",
            )
    assert SearchEntry.objects.get(code="DA-101").qa_status == "under review"
    with django_capture_on_commit_callbacks(execute=True):
        review_services.submit_review(actor=None, review=review, recommendation="approve")
    text = _text(_page(client, shelf.analytics))
    assert "Peer reviewer for Northbridge University" in text
    assert "recommended: approve" in text
    assert "Annex I: mandatory elements 1 met, 1 partly met" in text
    assert reviewer.get_full_name() not in text or not reviewer.get_full_name()
    assert SearchEntry.objects.get(code="DA-101").qa_status == "internally reviewed"


def test_the_qa_panel_shows_external_reports_and_the_approval(
    client, shelf, django_capture_on_commit_callbacks
):
    agency = make_organisation("Quality Agency", kind="qa_agency", acronym="QAG")
    register_services.set_agency_profile(actor=None, agency=agency, registration_start=dt.date(2020, 1, 1))
    register_services.add_agency_activity(
        actor=None, agency=agency, name="MC review", activity_type="programme", local_identifier="QAG-MC"
    )
    register_services.add_agency_activity(
        actor=None, agency=agency, name="Audit", activity_type="institutional", local_identifier="QAG-INST"
    )
    register_services.submit_report(
        actor=None,
        package={
            "agency": "QAG",
            "local_identifier": "QAG-1",
            "activities": [{"local_identifier": "QAG-INST"}],
            "status": "voluntary",
            "decision": "positive",
            "valid_from": "2025-01-15",
            "date_format": "%Y-%m-%d",
            "institutions": [{"identifier": shelf.provider.slug, "resource": "credence"}],
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        register_services.submit_report(
            actor=None,
            package={
                "agency": "QAG",
                "local_identifier": "QAG-2",
                "activities": [{"local_identifier": "QAG-MC"}],
                "status": "voluntary",
                "decision": "positive with conditions or restrictions",
                "valid_from": "2025-02-01",
                "date_format": "%Y-%m-%d",
                "institutions": [{"identifier": shelf.provider.slug, "resource": "credence"}],
                "programmes": [
                    register_services.programme_for_micro_credential(
                        MicroCredential.objects.get(pk=shelf.analytics.micro_credential_id)
                    )
                ],
            },
        )
    text = _text(_page(client, shelf.analytics))
    assert "Quality Agency This micro-credential Positive with conditions or restrictions 1 Feb 2025" in text
    assert "Quality Agency The provider Positive 15 Jan 2025 to 15 Jan 2031" in text
    assert SearchEntry.objects.get(code="DA-101").qa_status == "externally accredited"
    assert "Quality Agency The provider Positive" in _text(_page(client, shelf.nursing))
    approved = MicroCredential.objects.get(
        pk=shelf.analytics.micro_credential_id
    ).published_version.approved_at
    assert f"Approved {approved:%-d %b %Y}" in text


def test_outcomes_from_fewer_than_10_people_are_suppressed(client, shelf):
    run_offering(shelf.solar, "SOL-2025", enrolled=8, completed=6)
    text = _text(_page(client, shelf.solar))
    assert "Fewer than 10 people: not shown" in text
    assert "75%" not in text


def test_outcomes_from_10_or_more_are_shown_with_their_respondents_and_period(client, shelf):
    run_offering(shelf.analytics, "DA-2025", enrolled=20, completed=16)
    text = _text(_page(client, shelf.analytics))
    assert "Completion rate 80% 20 " in text
    assert "Pass rate 100% 16 " in text
    assert "2025" in text.split("Completion rate 80% 20 ")[1][:30]
    assert "Learner satisfaction Not recorded" in text


def test_the_page_embeds_schema_org_course_and_credential(client, shelf):
    html = _page(client, shelf.analytics)
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["@context"] == "https://schema.org"
    course, credential = data["@graph"]
    assert course["@type"] == "Course"
    assert course["name"] == "Practical data analysis"
    assert course["courseCode"] == "DA-101"
    assert course["provider"]["name"] == "Northbridge University"
    assert course["timeRequired"] == "PT125H"
    assert course["hasCourseInstance"]["courseMode"] == "online"
    assert course["educationalCredentialAwarded"] == {"@id": credential["@id"]}
    assert credential["@type"] == "EducationalOccupationalCredential"
    assert credential["credentialCategory"] == "Micro-credential"
    assert credential["educationalLevel"] == "EQF level 6"


def test_json_ld_cannot_break_out_of_its_script(client, shelf):
    version = make_version(
        shelf.provider, status="published", code="XSS-1", title="Data </script><script>alert(1)</script>"
    )
    html = _page(client, version)
    block = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[0]
    assert json.loads(block)["@graph"][0]["name"] == "Data </script><script>alert(1)</script>"


def test_pathways_are_drawn_and_listed(client, shelf):
    stacked = make_version(
        shelf.provider,
        status="published",
        code="DA-201",
        title="Data analysis capstone",
        pathways=[
            {"kind": "stacks into", "external_award": "MSc Data Science", "external_provider": "Northbridge"}
        ],
    )
    html = _page(client, stacked)
    assert "<svg" in html and '<title id="graph-title">' in html
    assert "MSc Data Science" in _text(html)
    feeder = make_version(
        shelf.provider,
        status="published",
        code="DA-050",
        title="Spreadsheet basics",
        pathways=[{"kind": "stacks into", "target_micro_credential": stacked.micro_credential_id}],
    )
    text = _text(_page(client, stacked))
    assert "What counts towards it Spreadsheet basics" in text
    assert "Data analysis capstone" in _text(_page(client, feeder))


def test_the_page_takes_the_same_number_of_queries_however_many_learners(client, shelf):
    mc = shelf.solar.micro_credential
    url = f"/catalogue/{mc.organisation.slug}/{mc.code}/"
    run_offering(shelf.solar, "SOL-Q1", enrolled=12, completed=12)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    run_offering(shelf.solar, "SOL-Q2", enrolled=40, completed=30)
    run_offering(shelf.solar, "SOL-Q3", enrolled=25, completed=20)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert "Completion rate 80% 77" in _text(response.content.decode())
    assert len(many) == len(few)


def test_search_takes_two_queries_for_one_result_or_twenty(client, shelf):
    for i in range(20):
        make_version(shelf.college, status="published", code=f"BULK-{i}", title=f"Welding level {i}")
    client.get("/catalogue/")
    with CaptureQueriesContext(connection) as one:
        response = client.get("/catalogue/", {"q": "photovoltaic"})
    assert response.context["result"].total == 1
    with CaptureQueriesContext(connection) as twenty:
        response = client.get("/catalogue/", {"q": "welding"})
    assert len(response.context["result"].hits) == 20
    assert len(one) == len(twenty)
    catalogue_queries = [q for q in one.captured_queries if "catalogue_searchentry" in q["sql"]]
    assert len(catalogue_queries) == 2


def test_the_provider_page_lists_its_micro_credentials_and_qa(client, shelf):
    response = client.get(f"/providers/{shelf.provider.slug}/")
    text = _text(response.content.decode())
    assert "Practical data analysis" in text and "Infection control in care homes" in text
    assert "Solar panel installation" not in text
    assert "No external QA report on this provider is recorded." in text
    assert "Completion rate: not recorded" in text


def test_compare_puts_two_side_by_side(client, shelf):
    ids = f"{shelf.analytics.micro_credential_id},{shelf.solar.micro_credential_id}"
    text = _text(client.get("/catalogue/compare/", {"ids": ids}).content.decode())
    assert "Practical data analysis" in text and "Solar panel installation" in text
    assert "Workload 125 hours over 8 weeks 40 hours" in text
    assert "Price Not recorded Free" in text


def test_compare_shows_at_most_four(client, shelf):
    extra = [
        make_version(shelf.college, status="published", code=f"C-{i}", title=f"Course {i}") for i in range(3)
    ]
    ids = [shelf.analytics, shelf.solar, shelf.nursing, *extra]
    response = client.get("/catalogue/compare/", {"ids": ",".join(str(v.micro_credential_id) for v in ids)})
    assert len(response.context["rows"]) == 4
    assert b"Up to four can be compared" in response.content
