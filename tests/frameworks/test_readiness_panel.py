"""While drafting, the proposer sees the machine checks of the packs the organisation enables."""

from __future__ import annotations

from credence.frameworks import services
from credence.microcredentials import services as mc_services

from ..factories import make_version


def test_the_editor_shows_the_failing_checks_of_the_enabled_packs(world, client):
    services.enable_pack(actor=None, organisation=world.home, pack_id="nzqa-2022")
    version = make_version(world.home, title="Diploma of data")
    client.force_login(world.user("proposer"))

    page = client.get(f"/versions/{version.pk}/edit/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Readiness against the frameworks" in html
    assert "may be confused with a qualification" in html
    assert f'hx-get="/frameworks/readiness/{version.pk}/"' in html


def test_the_detail_page_shows_the_panel_for_a_draft(world, client):
    services.enable_pack(actor=None, organisation=world.home, pack_id="esg-2015-part1")
    version = make_version(world.home)
    client.force_login(world.user("reviewer"))

    assert (
        b"Readiness against the frameworks"
        in client.get(f"/micro-credentials/{version.micro_credential_id}/").content
    )


def test_the_panel_follows_an_edit(world, client):
    services.enable_pack(actor=None, organisation=world.home, pack_id="emc-cmf-2019")
    version = make_version(world.home)
    client.force_login(world.user("proposer"))
    before = client.get(f"/frameworks/readiness/{version.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "125 notional hours, within 100–150 h" in before

    mc_services.update_draft(
        actor=None, version=version, data={"notional_hours": 60}, lock_version=version.lock_version
    )
    after = client.get(f"/frameworks/readiness/{version.pk}/", HTTP_HX_REQUEST="true").content.decode()

    assert "60 notional hours is outside 100–150 h" in after
    assert "<html" not in after


def test_an_outsider_gets_no_panel(world, client):
    version = make_version(world.home)
    client.force_login(world.outsider)

    assert client.get(f"/frameworks/readiness/{version.pk}/").status_code == 404


def test_no_panel_once_the_version_left_draft(world, client):
    services.enable_pack(actor=None, organisation=world.home, pack_id="esg-2015-part1")
    version = make_version(world.home, status="in_review")
    client.force_login(world.user("proposer"))

    assert (
        b"Readiness against the frameworks"
        not in client.get(f"/micro-credentials/{version.micro_credential_id}/").content
    )
