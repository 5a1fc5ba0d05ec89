"""Organisations upload their own packs (validated like shipped ones) and choose which packs apply."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from credence.audit.models import AuditEvent
from credence.frameworks import selectors, services

from .test_pack_validation import GOOD


def test_a_qa_officer_uploads_a_pack_and_it_becomes_available(world):
    services.upload_pack(
        actor=world.user("qa_officer"), organisation=world.home, text=GOOD, filename="own.yaml"
    )

    assert "own-policy" in selectors.packs_available_to(world.home.pk)
    assert "own-policy" not in selectors.packs_available_to(world.other.pk)
    assert AuditEvent.objects.filter(action="frameworks.pack_uploaded", organisation=world.home).exists()


def test_it_refuses_an_upload_with_the_line_and_the_reason(world):
    with pytest.raises(ValidationError) as caught:
        services.upload_pack(
            actor=world.user("org_admin"),
            organisation=world.home,
            text=GOOD.replace("check: outcome_count", "check: nope"),
            filename="own.yaml",
        )

    assert "own.yaml, line 14" in caught.value.message_dict["file"][0]


def test_it_refuses_the_id_of_a_shipped_pack_and_a_repeated_version(world):
    with pytest.raises(ValidationError, match="ships with Credence"):
        services.upload_pack(
            actor=None, organisation=world.home, text=GOOD.replace("own-policy", "eu-council-2022")
        )
    services.upload_pack(actor=None, organisation=world.home, text=GOOD)
    with pytest.raises(ValidationError, match="already uploaded"):
        services.upload_pack(actor=None, organisation=world.home, text=GOOD)


@pytest.mark.parametrize("role", ["proposer", "reviewer", "approver"])
def test_other_roles_cannot_upload_or_choose_packs(world, role):
    with pytest.raises(PermissionDenied):
        services.upload_pack(actor=world.user(role), organisation=world.home, text=GOOD)
    with pytest.raises(PermissionDenied):
        services.enable_pack(actor=world.user(role), organisation=world.home, pack_id="esg-2015-part1")


def test_an_outsider_cannot_choose_another_organisations_packs(world):
    with pytest.raises(PermissionDenied):
        services.enable_pack(actor=world.outsider_qa, organisation=world.home, pack_id="esg-2015-part1")


def test_enabling_and_disabling_a_pack(world):
    services.enable_pack(actor=world.user("org_admin"), organisation=world.home, pack_id="esg-2015-part1")
    assert [p.id for p in selectors.enabled_packs(world.home.pk)] == ["esg-2015-part1"]

    services.disable_pack(actor=world.user("org_admin"), organisation=world.home, pack_id="esg-2015-part1")
    assert selectors.enabled_packs(world.home.pk) == []
    with pytest.raises(ValidationError, match="no pack"):
        services.enable_pack(actor=None, organisation=world.home, pack_id="no-such-pack")


def test_the_packs_page_lets_a_qa_officer_enable_a_pack_and_upload_one(world, client):
    client.force_login(world.user("qa_officer"))

    page = client.get("/frameworks/")
    assert page.status_code == 200
    assert b"EU Council Recommendation" in page.content

    client.post("/frameworks/packs/esg-2015-part1/choice/", {"enable": "1"})
    assert selectors.enabled_pack_ids(world.home.pk) == ["esg-2015-part1"]

    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = client.post(
        "/frameworks/",
        {"file": SimpleUploadedFile("bad.yaml", GOOD.replace("level: advisory", "level: maybe").encode())},
    )
    assert bad.status_code == 422
    assert b"bad.yaml, line 19: areas[0].criteria[1].level" in bad.content
    good = client.post("/frameworks/", {"file": SimpleUploadedFile("own.yaml", GOOD.encode())})
    assert good.status_code == 302


def test_a_proposer_sees_the_packs_but_no_buttons(world, client):
    client.force_login(world.user("proposer"))

    page = client.get("/frameworks/")

    assert page.status_code == 200
    assert b"Upload the pack" not in page.content
    assert client.post("/frameworks/packs/esg-2015-part1/choice/", {"enable": "1"}).status_code == 403


def test_a_pack_page_lists_its_criteria_and_what_is_unverified(client):
    page = client.get("/frameworks/packs/qaa-2022/")

    assert page.status_code == 200
    assert b"qaa.hours" in page.content
    assert b"Unverified" in page.content


def test_a_platform_admin_without_an_organisation_sees_the_shipped_packs(world, client):
    client.force_login(world.admin)

    page = client.get("/frameworks/")

    assert page.status_code == 200
    assert b"The QA frameworks that ship with Credence" in page.content
    assert client.post("/frameworks/", {}).status_code == 403
