"""Reports nearing the end of their validity are flagged to the provider's own people; the register's
'valid today' filter leaves out expired and withdrawn reports."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from credence.register import services

from ..factories import make_organisation


def _agency():
    agency = make_organisation("Expiry Agency", kind="qa_agency", acronym="EXA")
    services.add_agency_activity(actor=None, agency=agency, name="Audit", activity_type="institutional")
    return agency


def _report(provider, local_id, valid_from, valid_to=None):
    return services.submit_report(
        actor=None,
        package={
            "agency": "EXA",
            "local_identifier": local_id,
            "activities": [{"activity": "Audit"}],
            "status": "voluntary",
            "decision": "positive",
            "valid_from": valid_from.isoformat(),
            "valid_to": valid_to.isoformat() if valid_to else None,
            "institutions": [{"identifier": provider.slug, "resource": "credence"}],
        },
    )


def test_the_providers_people_see_reports_nearing_expiry(world, client):
    _agency()
    today = timezone.localdate()
    _report(world.home, "SOON", today - dt.timedelta(days=900), today + dt.timedelta(days=60))
    _report(world.home, "LATER", today - dt.timedelta(days=10), today + dt.timedelta(days=900))
    url = f"/register/providers/{world.home.slug}/"

    assert "Reports nearing expiry" not in client.get(url).content.decode()
    client.force_login(world.user("proposer"))
    page = client.get(url).content.decode()
    assert "Reports nearing expiry" in page
    assert page.index("Reports nearing expiry") < page.index("SOON")
    client.force_login(world.outsider)
    assert "Reports nearing expiry" not in client.get(url).content.decode()


def test_valid_today_leaves_out_expired_and_withdrawn_reports(world, client):
    _agency()
    today = timezone.localdate()
    _report(world.home, "CURRENT", today - dt.timedelta(days=30))
    _report(world.home, "EXPIRED", dt.date(2010, 1, 1))  # six years, long gone
    withdrawn = _report(world.home, "GONE", today - dt.timedelta(days=30))
    services.withdraw_report(actor=None, report=withdrawn, reason="Error.")

    page = client.get("/register/", {"current": "on"}).content.decode()

    assert "CURRENT" in page
    assert "EXPIRED" not in page and "GONE" not in page
