"""A QA officer opens a review of a version against packs; the machine checks run at once."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from credence.audit.models import AuditEvent
from credence.microcredentials import services as mc_services
from credence.reviews import services
from credence.reviews.models import CheckRun

from ..factories import make_version


def test_opening_a_review_runs_the_checks_of_the_enabled_packs(world, review):
    runs = {run.pack_id: run for run in CheckRun.objects.filter(version=review.version)}

    assert sorted(review.packs) == [["esg-2015-part1", "2015"], ["nzqa-2022", "2022"]]
    assert set(runs) == {"nzqa-2022", "esg-2015-part1"}
    title = next(r for r in runs["nzqa-2022"].results if r["criterion"] == "nzqa.title")
    assert title["status"] == "fail"
    assert AuditEvent.objects.filter(action="reviews.review_opened", organisation=world.home).exists()


@pytest.mark.parametrize("role", ["proposer", "reviewer", "approver"])
def test_only_qa_officers_and_admins_open_reviews(world, role):
    version = make_version(world.home)

    with pytest.raises(PermissionDenied):
        services.open_review(
            actor=world.user(role),
            version=version,
            reviewer=world.user("reviewer"),
            pack_ids=["esg-2015-part1"],
        )


def test_an_outsider_cannot_open_a_review_of_another_organisation(world):
    version = make_version(world.home)

    with pytest.raises(PermissionDenied):
        services.open_review(
            actor=world.outsider_qa, version=version, reviewer=world.outsider_qa, pack_ids=["esg-2015-part1"]
        )


def test_it_refuses_without_packs_or_with_an_unknown_one(world):
    version = make_version(world.home)

    with pytest.raises(ValidationError, match="at least one framework pack"):
        services.open_review(actor=None, version=version, reviewer=world.user("reviewer"))
    with pytest.raises(ValidationError, match="No such pack: nope"):
        services.open_review(actor=None, version=version, reviewer=world.user("reviewer"), pack_ids=["nope"])


def test_the_checks_run_again_on_a_new_version(world, django_capture_on_commit_callbacks):
    version = make_version(world.home, status="published", title="Data analysis")
    review = services.open_review(
        actor=None, version=version, reviewer=world.user("reviewer"), pack_ids=["nzqa-2022"]
    )

    with django_capture_on_commit_callbacks(execute=True):
        draft = mc_services.start_new_version(actor=None, micro_credential=version.micro_credential)

    assert review.is_open
    assert CheckRun.objects.filter(version=draft, pack_id="nzqa-2022").exists()


def test_the_page_opens_a_review_for_a_qa_officer(world, client):
    from credence.frameworks import services as fw

    fw.enable_pack(actor=None, organisation=world.home, pack_id="esg-2015-part1")
    version = make_version(world.home, status="in_review")
    client.force_login(world.user("qa_officer"))

    form = client.get(f"/reviews/open/?version={version.pk}")
    assert form.status_code == 200
    response = client.post(
        "/reviews/open/",
        {
            "version": version.pk,
            "packs": ["esg-2015-part1"],
            "reviewer": world.user("reviewer").pk,
            "reviewer_kind": "peer",
        },
    )

    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_a_proposer_may_not_open_the_page(world, client):
    client.force_login(world.user("proposer"))

    assert client.get("/reviews/open/").status_code == 403


def test_the_review_page_tells_of_a_newer_version_and_its_checks(
    world, client, django_capture_on_commit_callbacks
):
    version = make_version(world.home, status="published", title="Diploma in data")
    review = services.open_review(
        actor=None, version=version, reviewer=world.user("reviewer"), pack_ids=["nzqa-2022"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        mc_services.start_new_version(actor=None, micro_credential=version.micro_credential)
    client.force_login(world.user("reviewer"))

    html = client.get(f"/reviews/{review.pk}/").content.decode()

    assert "Version 2 (draft) now exists; its machine checks ran when it was created" in html
