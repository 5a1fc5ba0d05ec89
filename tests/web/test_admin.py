from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "url",
    [
        "/admin/organisations/organisation/",
        "/admin/organisations/membership/",
        "/admin/organisations/user/",
        "/admin/microcredentials/microcredential/",
        "/admin/microcredentials/microcredentialversion/",
        "/admin/audit/auditevent/",
    ],
)
def test_platform_admin_can_browse_the_main_models(client_for, world, draft, url):
    assert client_for(world.admin).get(url).status_code == 200


def test_version_admin_page_opens(client_for, world, draft):
    assert (
        client_for(world.admin)
        .get(f"/admin/microcredentials/microcredentialversion/{draft.pk}/change/")
        .status_code
        == 200
    )


def test_audit_events_cannot_be_added_changed_or_deleted_in_the_admin(client_for, world, draft):
    from credence.audit.models import AuditEvent

    event = AuditEvent.objects.first()
    client = client_for(world.admin)
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert client.get(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
    page = client.get(f"/admin/audit/auditevent/{event.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_members_are_not_let_into_the_admin(client_for, world):
    response = client_for(world.user("org_admin")).get("/admin/")
    assert response.status_code == 302
