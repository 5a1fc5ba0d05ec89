"""Submit, approve, publish, retire and start a new version from the micro-credential page."""

from __future__ import annotations

from credence.microcredentials import services
from credence.microcredentials.models import MicroCredentialVersion, VersionStatus
from tests.factories import make_version


def _status(version: MicroCredentialVersion) -> str:
    return MicroCredentialVersion.objects.get(pk=version.pk).status


def test_proposer_submits_a_complete_draft(client_for, world, draft):
    client = client_for(world.user("proposer"))
    response = client.post(f"/versions/{draft.pk}/submit/", {"lock_version": draft.lock_version})
    assert response.status_code == 302
    assert response["Location"] == f"/micro-credentials/{draft.micro_credential_id}/"
    assert _status(draft) == VersionStatus.IN_REVIEW
    assert "Version 1 is submitted for review." in client.get(response["Location"]).content.decode()


def test_submitting_an_incomplete_draft_says_what_is_missing(client_for, world):
    version = services.create_micro_credential(actor=None, organisation=world.home, code="BARE", title="Bare")
    client = client_for(world.user("proposer"))
    response = client.post(f"/versions/{version.pk}/submit/", follow=True)
    assert "could not be submitted" in response.content.decode()
    assert "State at least one learning outcome." in response.content.decode()
    assert _status(version) == VersionStatus.DRAFT


def test_submitting_a_draft_that_changed_since_it_was_shown_is_refused(client_for, world, draft):
    shown = draft.lock_version
    services.update_draft(
        actor=None, version=draft, data={"summary": "Changed meanwhile."}, lock_version=None
    )
    response = client_for(world.user("proposer")).post(
        f"/versions/{draft.pk}/submit/", {"lock_version": shown}, follow=True
    )
    assert "changed by someone else" in response.content.decode()
    assert _status(draft) == VersionStatus.DRAFT


def test_approver_approves_and_qa_officer_publishes(client_for, world):
    version = make_version(world.home, status="in_review", code="REV")
    client_for(world.user("approver")).post(f"/versions/{version.pk}/approve/")
    assert _status(version) == VersionStatus.APPROVED
    client_for(world.user("qa_officer")).post(f"/versions/{version.pk}/publish/")
    assert _status(version) == VersionStatus.PUBLISHED


def test_a_role_without_the_permission_gets_403(client_for, world):
    version = make_version(world.home, status="in_review", code="REV")
    assert client_for(world.user("proposer")).post(f"/versions/{version.pk}/approve/").status_code == 403
    assert client_for(world.user("approver")).post(f"/versions/{version.pk}/publish/").status_code == 403
    assert _status(version) == VersionStatus.IN_REVIEW


def test_outsider_cannot_act_on_another_organisations_version(client_for, world, draft):
    assert client_for(world.outsider_qa).post(f"/versions/{draft.pk}/submit/").status_code == 404
    assert _status(draft) == VersionStatus.DRAFT


def test_a_step_out_of_order_is_explained(client_for, world, draft):
    response = client_for(world.user("approver")).post(f"/versions/{draft.pk}/approve/", follow=True)
    assert "Only a version in review can be approved" in response.content.decode()


def test_retiring_needs_a_reason_next_to_the_field(client_for, world, published):
    client = client_for(world.user("qa_officer"))
    response = client.post(f"/versions/{published.pk}/retire/", {"reason": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_reason_error"' in html
    assert _status(published) == VersionStatus.PUBLISHED
    client.post(f"/versions/{published.pk}/retire/", {"reason": "Replaced by DATA-200."})
    assert _status(published) == VersionStatus.RETIRED
    assert (
        "Replaced by DATA-200."
        in client.get(f"/micro-credentials/{published.micro_credential_id}/").content.decode()
    )


def test_starting_a_new_version_lands_in_its_editor(client_for, world, published):
    response = client_for(world.user("proposer")).post(
        f"/micro-credentials/{published.micro_credential_id}/new-version/"
    )
    draft = published.micro_credential.versions.get(number=2)
    assert response["Location"] == f"/versions/{draft.pk}/edit/"
    assert draft.status == VersionStatus.DRAFT


def test_a_second_new_version_is_refused_with_a_message(client_for, world, published):
    client = client_for(world.user("proposer"))
    client.post(f"/micro-credentials/{published.micro_credential_id}/new-version/")
    response = client.post(f"/micro-credentials/{published.micro_credential_id}/new-version/", follow=True)
    assert "is already a draft" in response.content.decode()


def test_lifecycle_steps_need_post(client_for, world, draft):
    assert client_for(world.user("proposer")).get(f"/versions/{draft.pk}/submit/").status_code == 405
