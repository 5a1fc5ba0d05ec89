"""A QA agency's admins keep its registration period and activities; nobody else can."""

from __future__ import annotations

import datetime as dt

from credence.register.models import AgencyActivity, AgencyProfile

from ..factories import make_organisation, make_user


def test_the_agency_admin_saves_the_registration_and_adds_an_activity(db, client):
    agency = make_organisation("Page Agency", kind="qa_agency", acronym="PGA")
    client.force_login(make_user(agency, ["org_admin"], username="pga_admin"))
    url = f"/register/agencies/{agency.slug}/manage/"

    saved = client.post(
        url,
        {
            "form": "profile",
            "is_registered": "on",
            "registration_start": "2020-02-01",
            "geographical_focus": "national",
            "focus_countries": "IE, BE-fl",
        },
    )
    added = client.post(
        url, {"form": "activity", "name": "Programme accreditation", "activity_type": "programme"}
    )

    assert saved.status_code == added.status_code == 302
    profile = AgencyProfile.objects.get(organisation=agency)
    assert profile.registration_start == dt.date(2020, 2, 1)
    assert profile.focus_countries == ["IE", "BE-fl"]
    assert AgencyActivity.objects.get(organisation=agency).activity_type == "programme"
    assert "Programme accreditation" in client.get(f"/register/agencies/{agency.slug}/").content.decode()


def test_a_registration_that_ends_before_it_starts_is_refused_next_to_the_field(db, client):
    agency = make_organisation("Page Agency", kind="qa_agency", acronym="PGA")
    client.force_login(make_user(agency, ["org_admin"], username="pga_admin"))

    response = client.post(
        f"/register/agencies/{agency.slug}/manage/",
        {"form": "profile", "registration_start": "2020-02-01", "registration_valid_to": "2019-01-01"},
    )

    assert response.status_code == 400
    assert "The registration ends before it starts." in response.content.decode()


def test_other_people_cannot_manage_the_agency(world, client):
    agency = make_organisation("Page Agency", kind="qa_agency", acronym="PGA")
    client.force_login(world.user("org_admin"))

    assert client.get(f"/register/agencies/{agency.slug}/manage/").status_code == 403
