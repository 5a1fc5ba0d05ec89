from __future__ import annotations

from credence.microcredentials.models import MicroCredential, VersionStatus
from credence.organisations import services as org_services


def test_proposer_creates_a_micro_credential_and_lands_in_the_editor(client_for, world):
    client = client_for(world.user("proposer"))
    page = client.get("/micro-credentials/new/")
    assert page.status_code == 200
    response = client.post(
        "/micro-credentials/new/", {"organisation": world.home.pk, "code": "NEW-1", "title": "A new course"}
    )
    micro_credential = MicroCredential.objects.get(code="NEW-1")
    version = micro_credential.versions.get()
    assert response.status_code == 302
    assert response["Location"] == f"/versions/{version.pk}/edit/"
    assert version.status == VersionStatus.DRAFT
    assert version.created_by == world.user("proposer")
    assert "NEW-1 is created" in client.get(response["Location"]).content.decode()


def test_duplicate_code_is_shown_next_to_the_field(client_for, world, draft):
    response = client_for(world.user("proposer")).post(
        "/micro-credentials/new/", {"organisation": world.home.pk, "code": "DRAFT-1", "title": "Again"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_code_error"' in html
    assert "already has a micro-credential with the code" in html
    assert 'aria-describedby="id_code_helptext id_code_error"' in html
    assert 'aria-invalid="true"' in html


def test_missing_title_is_shown_next_to_the_field(client_for, world):
    response = client_for(world.user("proposer")).post(
        "/micro-credentials/new/", {"organisation": world.home.pk, "code": "X", "title": ""}
    )
    assert response.status_code == 422
    assert 'id="id_title_error"' in response.content.decode()


def test_only_organisations_where_the_person_may_add_are_offered(client_for, world):
    user = world.user("proposer")
    org_services.add_member(actor=None, organisation=world.other, email=user.email, roles=["reviewer"])
    form = client_for(user).get("/micro-credentials/new/").context["form"]
    assert list(form.fields["organisation"].queryset) == [world.home]
    response = client_for(user).post(
        "/micro-credentials/new/", {"organisation": world.other.pk, "code": "SNEAK", "title": "Sneaky"}
    )
    assert response.status_code == 422
    assert not MicroCredential.objects.filter(code="SNEAK").exists()


def test_people_who_may_not_add_get_403(client_for, world):
    for user in (world.user("reviewer"), world.user("approver"), world.nobody):
        assert client_for(user).get("/micro-credentials/new/").status_code == 403


def test_title_with_markup_is_kept_as_text(client_for, world):
    client = client_for(world.user("proposer"))
    response = client.post(
        "/micro-credentials/new/",
        {"organisation": world.home.pk, "code": "T<b>", "title": "<b>Bold</b> & <i>brave</i>"},
        follow=True,
    )
    html = response.content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;i&gt;brave&lt;/i&gt;" in html
    assert "<b>Bold</b>" not in html
