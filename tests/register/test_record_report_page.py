"""A QA agency's admin records a report on a micro-credential from the register's page; the report shows on
the micro-credential's external QA panel."""

from __future__ import annotations

import datetime as dt

from credence.register import services
from credence.register.models import QAReport

from ..factories import make_organisation, make_user, make_version


def _agency():
    agency = make_organisation("Test Agency", kind="qa_agency", acronym="TQA")
    services.set_agency_profile(actor=None, agency=agency, registration_start=dt.date(2020, 1, 1))
    services.add_agency_activity(
        actor=None, agency=agency, name="MC certification", activity_type="programme"
    )
    return agency, make_user(agency, ["org_admin"], username="tqa_admin")


def _form(agency, provider, version, **extra):
    return {
        "agency": agency.pk,
        "activity": agency.agency_activities.get().pk,
        "local_identifier": "TQA-1",
        "provider": provider.pk,
        "micro_credential": version.micro_credential_id,
        "status": "voluntary",
        "decision": "positive",
        "valid_from": "2025-01-10",
        "report_language": "en",
        **extra,
    }


def test_an_agency_admin_records_a_report_on_an_alternative_providers_micro_credential(db, client):
    agency, admin = _agency()
    provider = make_organisation("Skills Co", kind="alternative_provider")
    version = make_version(provider, status="published", code="SK-1", title="Cloud basics")
    client.force_login(admin)

    response = client.post("/register/reports/new/", _form(agency, provider, version))

    report = QAReport.objects.get()
    assert response.status_code == 302
    provision = report.provisions.get()
    assert provision.micro_credential_id == version.micro_credential_id
    assert provision.degree_outcome == "no full degree"
    client.logout()
    panel = client.get(f"/micro-credentials/{version.micro_credential_id}/").content.decode()
    assert "External quality assurance" in panel
    assert "TQA-1" in panel and "This micro-credential" in panel


def test_the_form_shows_the_rule_that_failed_next_to_the_field(db, client):
    agency, admin = _agency()
    provider = make_organisation("Skills Co", kind="alternative_provider")
    version = make_version(provider, status="published", code="SK-1")
    client.force_login(admin)

    response = client.post(
        "/register/reports/new/", _form(agency, provider, version, status="part of obligatory EQA system")
    )

    assert response.status_code == 400
    assert "Status should be &#x27;voluntary&#x27;" in response.content.decode()
    assert QAReport.objects.count() == 0


def test_people_outside_an_agency_cannot_open_the_form(world, client):
    client.force_login(world.user("org_admin"))

    assert client.get("/register/reports/new/").status_code == 403


def test_the_panel_lists_institutional_reports_on_the_provider(world, client):
    agency, admin = _agency()
    services.add_agency_activity(
        actor=None, agency=agency, name="Audit", activity_type="institutional", local_identifier="AUD"
    )
    version = make_version(world.home, status="published", code="HOME-1")
    services.submit_report(
        actor=admin,
        package={
            "agency": "TQA",
            "local_identifier": "AUDIT-9",
            "activities": [{"local_identifier": "AUD"}],
            "status": "voluntary",
            "decision": "negative",
            "valid_from": "2024-04-01",
            "institutions": [{"identifier": world.home.slug, "resource": "credence"}],
        },
    )

    panel = client.get(f"/micro-credentials/{version.micro_credential_id}/").content.decode()

    assert "AUDIT-9" in panel and "The provider" in panel and "Negative" in panel
