from __future__ import annotations

from credence.audit.models import AuditEvent
from credence.microcredentials.models import Partnership, VersionStatus

from ..factories import PASSWORD, make_organisation, make_version


def test_an_editor_adds_and_removes_a_partner_on_the_page(world, client):
    version = make_version(world.home, status=VersionStatus.PUBLISHED)
    employer = make_organisation("Acme Employers", kind="employer")
    client.login(username="home_qa_officer", password=PASSWORD)
    page = client.get(f"/micro-credentials/{version.micro_credential_id}/")
    assert "Add a partner" in page.content.decode()

    response = client.post(
        f"/micro-credentials/{version.micro_credential_id}/partners/",
        {"organisation": employer.pk, "role": "industry partner"},
        follow=True,
    )
    assert "Acme Employers (Industry partner)" in response.content.decode()
    partnership = Partnership.objects.get(micro_credential=version.micro_credential)
    assert AuditEvent.objects.filter(action="microcredential.partner_added").exists()

    response = client.post(
        f"/micro-credentials/{version.micro_credential_id}/partners/{partnership.pk}/remove/", follow=True
    )
    assert "No partners are recorded." in response.content.decode()
    assert not Partnership.objects.exists()


def test_a_missing_role_is_shown_next_to_the_field_and_nothing_is_added(world, client):
    version = make_version(world.home)
    client.login(username="home_proposer", password=PASSWORD)
    response = client.post(
        f"/micro-credentials/{version.micro_credential_id}/partners/", {"organisation": world.other.pk}
    )
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert not Partnership.objects.exists()


def test_people_who_may_not_manage_partners_see_no_form_and_cannot_post(world, client):
    version = make_version(world.home, status=VersionStatus.PUBLISHED)
    client.login(username="home_reviewer", password=PASSWORD)
    page = client.get(f"/micro-credentials/{version.micro_credential_id}/")
    assert "Add a partner" not in page.content.decode()
    response = client.post(
        f"/micro-credentials/{version.micro_credential_id}/partners/",
        {"organisation": world.other.pk, "role": "co-provider"},
    )
    assert response.status_code == 403
    assert not Partnership.objects.exists()


def test_an_outsider_cannot_touch_another_organisations_draft_partners(world, client):
    version = make_version(world.home)
    client.login(username="other_proposer", password=PASSWORD)
    response = client.post(
        f"/micro-credentials/{version.micro_credential_id}/partners/",
        {"organisation": world.other.pk, "role": "co-provider"},
    )
    assert response.status_code == 404
